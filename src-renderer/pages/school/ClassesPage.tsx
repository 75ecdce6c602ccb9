import { useMemo, useState } from 'react';
import { schoolContract, type SchoolClass } from '../../../src-shared/contract/school';
import { api } from '../../api/client';
import { useCan } from '../../app/session';
import { ErrorMessage, gradeOptions, Loading, SplitPanel, Toolbar, useYearChoice, YearSelect } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { ContractForm, FormSelect, FormText, useContractForm } from '../../ui/contract-form';

// «Классы» (D-10, D-19): grade and letter, class teacher, room. Grades 0–1 learn without marks.

export function ClassesPage() {
  const can = useCan();
  const mayEdit = can('school.people');
  const choice = useYearChoice();
  const classes = useApiQuery('school.classes.list', choice.year ? { yearId: choice.year.id } : null);
  const teachers = useApiQuery('staff.list', { onlyTeachers: true });
  const [editing, setEditing] = useState<SchoolClass | 'new' | null>(null);
  const editable = mayEdit && choice.year?.closedAt === null;

  const sorted = useMemo(() => [...(classes.data ?? [])].sort((a, b) => a.grade - b.grade || a.letter.localeCompare(b.letter, 'ru')), [classes.data]);
  const teacherOptions = useMemo(
    () => [{ value: '', label: '— не назначен —' }, ...(teachers.data ?? []).filter((t) => t.active).map((t) => ({ value: String(t.id), label: t.fullName }))],
    [teachers.data],
  );

  return (
    <div className="split">
      <section className="split-main school-page" aria-label="Классы">
        <Toolbar>
          <YearSelect choice={choice} />
          {editable && (
            <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
              Новый класс
            </button>
          )}
        </Toolbar>
        <ErrorMessage error={choice.error ?? classes.error} />
        {choice.year && classes.data === null ? (
          <Loading />
        ) : (
          choice.year && (
            <table className="table table-selectable" aria-label="Список классов">
              <thead>
                <tr>
                  <th>Класс</th>
                  <th>Классный руководитель</th>
                  <th>Кабинет</th>
                  <th className="cell-number">Учеников</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {sorted.map((schoolClass) => (
                  <tr key={schoolClass.id} aria-selected={editing !== 'new' && editing?.id === schoolClass.id} onClick={() => editable && setEditing(schoolClass)}>
                    <td>
                      {editable ? (
                        <button type="button" className="row-link class-name" onClick={() => setEditing(schoolClass)}>
                          {schoolClass.name}
                        </button>
                      ) : (
                        <span className="class-name">{schoolClass.name}</span>
                      )}
                    </td>
                    <td>{schoolClass.classTeacherName ?? <span className="muted">не назначен</span>}</td>
                    <td>{schoolClass.room || <span className="muted">—</span>}</td>
                    <td className="cell-number">
                      <a href={`#/school/students?class=${schoolClass.id}`} onClick={(event) => event.stopPropagation()}>
                        {schoolClass.studentCount}
                      </a>
                    </td>
                    <td>{schoolClass.noMarks && <span className="badge badge-info">безотметочное обучение</span>}</td>
                  </tr>
                ))}
                {sorted.length === 0 && (
                  <tr>
                    <td colSpan={5} className="muted">
                      В этом году классов ещё нет.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          )
        )}
      </section>
      {editing && choice.year && (
        <ClassPanel
          key={editing === 'new' ? 'new' : editing.id}
          yearId={choice.year.id}
          schoolClass={editing === 'new' ? null : editing}
          teacherOptions={teacherOptions}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await classes.reload();
          }}
        />
      )}
    </div>
  );
}

const classFields = schoolContract['school.classes.create'].input.omit({ yearId: true });

function ClassPanel({
  yearId,
  schoolClass,
  teacherOptions,
  onClose,
  onSaved,
}: {
  yearId: number;
  schoolClass: SchoolClass | null;
  teacherOptions: { value: string; label: string }[];
  onClose(): void;
  onSaved(): Promise<void>;
}) {
  const form = useContractForm(classFields, {
    grade: schoolClass?.grade ?? 5,
    letter: schoolClass?.letter ?? 'А',
    classTeacherId: schoolClass?.classTeacherId ?? null,
    room: schoolClass?.room ?? '',
  });
  const grade = form.watch('grade');
  const title = schoolClass ? `Класс ${schoolClass.name}` : 'Новый класс';
  return (
    <SplitPanel label={title} heading={title} onClose={onClose}>
      <ContractForm
        form={form}
        aria-label={title}
        className="panel-section"
        submitLabel={schoolClass ? 'Сохранить' : 'Создать класс'}
        busyLabel="Сохраняю…"
        onSubmit={async ({ grade, letter, classTeacherId, room }) => {
          if (schoolClass) await api.call('school.classes.update', { id: schoolClass.id, letter, classTeacherId, room });
          else await api.call('school.classes.create', { yearId, grade, letter, classTeacherId, room });
          await onSaved();
        }}
        actions={
          <button type="button" className="button" onClick={onClose}>
            Отмена
          </button>
        }
      >
        <div className="field-row">
          {schoolClass ? (
            <div className="field">
              <span className="field-label">Параллель</span>
              <span>{schoolClass.grade} класс</span>
            </div>
          ) : (
            <FormSelect name="grade" label="Параллель" numeric options={gradeOptions} />
          )}
          <FormText name="letter" label="Буква" maxLength={2} autoFocus={!schoolClass} />
        </div>
        {Number(schoolClass?.grade ?? grade) <= 1 && <p className="message message-info small">0–1 классы: безотметочное обучение — только посещаемость и темы уроков.</p>}
        <FormSelect name="classTeacherId" label="Классный руководитель" numeric options={teacherOptions} />
        <FormText name="room" label="Кабинет" placeholder="21" />
      </ContractForm>
    </SplitPanel>
  );
}
