import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import { schoolContract, type subject as subjectSchema } from '../../../src-shared/contract/school';
import { api } from '../../api/client';
import { useCan } from '../../app/session';
import { ErrorMessage, formatHours, gradeOptions, Loading, parseNumber, Toolbar, useYearChoice, YearSelect } from '../../ui/common';
import { useAction, useApiQuery } from '../../api/use-api';
import { ContractForm, FormSelect, FormText, useContractForm, wholeNumberText } from '../../ui/contract-form';

// «Предметы и учебный план» (D-10): subjects with their full curriculum names and grade
// ranges; hours a week per grade for the chosen year.

type Subject = z.infer<typeof subjectSchema>;
const grades = Array.from({ length: 12 }, (_, grade) => grade);

export function SubjectsPage() {
  const can = useCan();
  const manage = can('school.manage');
  const choice = useYearChoice();
  const subjects = useApiQuery('school.subjects.list', {});
  const curriculum = useApiQuery('school.curriculum.get', choice.year ? { yearId: choice.year.id } : null);
  const [editing, setEditing] = useState<Subject | 'new' | null>(null);

  const hoursOf = useMemo(() => {
    const map = new Map<string, number>();
    for (const row of curriculum.data ?? []) map.set(`${row.subjectId}|${row.grade}`, row.hoursPerWeek);
    return map;
  }, [curriculum.data]);

  const sorted = useMemo(() => [...(subjects.data ?? [])].sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'ru')), [subjects.data]);
  const yearOpen = choice.year?.closedAt === null;

  return (
    <div className="school-page">
      <Toolbar>
        <YearSelect choice={choice} />
        {manage && (
          <button type="button" className="button button-primary" onClick={() => setEditing('new')}>
            Новый предмет
          </button>
        )}
      </Toolbar>
      <ErrorMessage error={subjects.error ?? curriculum.error} />
      {editing && (
        <SubjectForm
          key={editing === 'new' ? 'new' : editing.id}
          subject={editing === 'new' ? null : editing}
          onDone={async () => {
            setEditing(null);
            await subjects.reload();
            await curriculum.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {subjects.data === null ? (
        <Loading />
      ) : sorted.length === 0 ? (
        <p className="muted">Предметов пока нет. Добавьте их полными названиями из учебного плана — сокращения в печатном журнале не допускаются.</p>
      ) : (
        <div className="table-scroll">
          <table className="table table-compact curriculum-table" aria-label="Учебный план">
            <thead>
              <tr>
                <th>Предмет</th>
                <th>Классы</th>
                {grades.map((grade) => (
                  <th key={grade} className="cell-number" title={`Часов в неделю в ${grade} классе`}>
                    {grade}
                  </th>
                ))}
                <th />
              </tr>
            </thead>
            <tbody>
              {sorted.map((subject) => (
                <CurriculumRow
                  key={`${subject.id}-${choice.year?.id}-${curriculum.data ? 'ready' : 'wait'}`}
                  subject={subject}
                  hoursOf={hoursOf}
                  yearId={choice.year?.id}
                  editable={manage && yearOpen}
                  onEdit={manage ? () => setEditing(subject) : undefined}
                  onSaved={curriculum.reload}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted small">Часы — в неделю по параллелям выбранного учебного года; 0 или пусто — предмет в этой параллели не изучается.</p>
    </div>
  );
}

function CurriculumRow({
  subject,
  hoursOf,
  yearId,
  editable,
  onEdit,
  onSaved,
}: {
  subject: Subject;
  hoursOf: Map<string, number>;
  yearId: number | undefined;
  editable: boolean;
  onEdit?: () => void;
  onSaved(): Promise<void>;
}) {
  const taught = grades.filter((grade) => grade >= subject.gradeFrom && grade <= subject.gradeTo);
  const initial = useMemo(() => {
    const saved: Record<number, string> = {};
    for (let grade = subject.gradeFrom; grade <= subject.gradeTo; grade++) {
      const value = hoursOf.get(`${subject.id}|${grade}`);
      saved[grade] = value === undefined ? '' : formatHours(value);
    }
    return saved;
  }, [hoursOf, subject]);
  const [hours, setHours] = useState<Record<number, string>>(initial);
  useEffect(() => setHours(initial), [initial]);
  const save = useAction();
  const changed = taught.some((grade) => (hours[grade] ?? '') !== (initial[grade] ?? ''));

  return (
    <>
      <tr>
        <td>
          <div className="subject-name">{subject.name}</div>
          {subject.shortName && <div className="muted small">{subject.shortName}</div>}
        </td>
        <td className="nowrap">
          {subject.gradeFrom}–{subject.gradeTo}
        </td>
        {grades.map((grade) => (
          <td key={grade} className="cell-number">
            {grade < subject.gradeFrom || grade > subject.gradeTo ? (
              <span className="muted">·</span>
            ) : editable ? (
              <input
                className="hours-input"
                inputMode="decimal"
                aria-label={`${subject.name}, ${grade} класс, часов в неделю`}
                value={hours[grade] ?? ''}
                onChange={(event) => setHours((current) => ({ ...current, [grade]: event.target.value }))}
              />
            ) : (
              (hours[grade] ?? '')
            )}
          </td>
        ))}
        <td className="cell-actions nowrap">
          {editable && yearId !== undefined && changed && (
            <button
              type="button"
              className="button button-primary button-small"
              disabled={save.busy}
              onClick={() =>
                void save.run(
                  () =>
                    api.call('school.curriculum.set', {
                      yearId,
                      subjectId: subject.id,
                      hours: taught.map((grade) => ({ grade, hoursPerWeek: parseNumber(hours[grade] ?? '') })),
                    }),
                  onSaved,
                )
              }
            >
              Сохранить часы
            </button>
          )}{' '}
          {onEdit && (
            <button type="button" className="button button-link" onClick={onEdit} aria-label={`Изменить предмет «${subject.name}»`}>
              Изменить
            </button>
          )}
        </td>
      </tr>
      {save.error && (
        <tr>
          <td colSpan={grades.length + 3}>
            <ErrorMessage error={save.error} />
          </td>
        </tr>
      )}
    </>
  );
}

const subjectInput = schoolContract['school.subjects.create'].input;
const subjectFields = subjectInput
  .extend({ sortOrder: wholeNumberText(subjectInput.shape.sortOrder.unwrap(), 'Порядок — целым числом, например 10') })
  .refine((subject) => subject.gradeFrom <= subject.gradeTo, { message: 'Не раньше, чем «С класса»', path: ['gradeTo'] });

function SubjectForm({ subject, onDone, onCancel }: { subject: Subject | null; onDone(): Promise<void>; onCancel(): void }) {
  const form = useContractForm(subjectFields, {
    name: subject?.name ?? '',
    shortName: subject?.shortName ?? '',
    gradeFrom: subject?.gradeFrom ?? 1,
    gradeTo: subject?.gradeTo ?? 11,
    sortOrder: String(subject?.sortOrder ?? 0),
  });
  const title = subject ? `Предмет «${subject.name}»` : 'Новый предмет';
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <ContractForm
        form={form}
        aria-label={title}
        submitLabel={subject ? 'Сохранить' : 'Добавить предмет'}
        busyLabel="Сохраняю…"
        onSubmit={async (input) => {
          if (subject) await api.call('school.subjects.update', { id: subject.id, ...input });
          else await api.call('school.subjects.create', input);
          await onDone();
        }}
        actions={
          <button type="button" className="button" onClick={onCancel}>
            Отмена
          </button>
        }
      >
        <div className="field-row field-row-wide">
          <FormText name="name" label="Полное название по учебному плану" autoFocus placeholder="Русский язык" />
          <FormText name="shortName" label="Сокращение (для экрана)" placeholder="Рус. яз." />
        </div>
        <div className="field-row field-row-3">
          <FormSelect name="gradeFrom" label="С класса" numeric options={gradeOptions} />
          <FormSelect name="gradeTo" label="По класс" numeric options={gradeOptions} />
          <FormText name="sortOrder" label="Порядок в списке" inputMode="numeric" />
        </div>
      </ContractForm>
    </section>
  );
}
