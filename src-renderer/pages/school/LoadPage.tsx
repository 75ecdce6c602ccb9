import { useMemo, useState } from 'react';
import type { z } from 'zod';
import { schoolContract, type teachingLoad } from '../../../src-shared/contract/school';
import { api } from '../../api/client';
import { useCan } from '../../app/session';
import { classOptions, ErrorMessage, formatHours, hashQuery, Loading, Toolbar, useYearChoice, YearSelect } from '../../ui/common';
import { useAction, useApiQuery } from '../../api/use-api';
import { ContractForm, decimalText, FormSelect, FormText, useContractForm, useKeptChoice } from '../../ui/contract-form';
import { SubgroupsSection } from './SubgroupsSection';

// «Нагрузка» (D-11, D-12): class × subject × teacher, optionally for a subgroup; the
// subgroups of a class with their members.

type Load = z.infer<typeof teachingLoad>;

export function LoadPage() {
  const can = useCan();
  const manage = can('school.manage');
  const choice = useYearChoice();
  const yearInput = choice.year ? { yearId: choice.year.id } : null;
  const classes = useApiQuery('school.classes.list', yearInput);
  const subjects = useApiQuery('school.subjects.list', {});
  const teachers = useApiQuery('staff.list', { onlyTeachers: true });
  const [classFilter, setClassFilter] = useState(() => hashQuery('class') ?? '');
  const loads = useApiQuery('load.list', choice.year ? { yearId: choice.year.id, classId: classFilter ? Number(classFilter) : undefined } : null);
  const [creating, setCreating] = useState(false);
  const [editingId, setEditingId] = useState<number | null>(null);
  const remove = useAction();
  const editable = manage && choice.year?.closedAt === null;
  const options = useMemo(() => classOptions(classes.data), [classes.data]);
  const teacherOptions = useMemo(() => (teachers.data ?? []).filter((t) => t.active).map((t) => ({ value: String(t.id), label: t.fullName })), [teachers.data]);

  const rows = useMemo(() => {
    const order = new Map(options.map((option, index) => [Number(option.value), index]));
    return [...(loads.data ?? [])].sort(
      (a, b) => (order.get(a.classId) ?? 0) - (order.get(b.classId) ?? 0) || a.subjectName.localeCompare(b.subjectName, 'ru') || (a.subgroupName ?? '').localeCompare(b.subgroupName ?? '', 'ru'),
    );
  }, [loads.data, options]);
  const total = rows.reduce((sum, row) => sum + row.hoursPerWeek, 0);

  return (
    <div className="school-page">
      <Toolbar>
        <YearSelect choice={choice} />
        <label className="inline-choice">
          Класс{' '}
          <select value={classFilter} onChange={(event) => setClassFilter(event.target.value)} aria-label="Класс">
            <option value="">все классы</option>
            {options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        {editable && (
          <button type="button" className="button button-primary toolbar-end" onClick={() => setCreating(true)}>
            Назначить учителя
          </button>
        )}
      </Toolbar>
      <ErrorMessage error={choice.error ?? loads.error ?? classes.error} />
      {creating && choice.year && (
        <NewLoadForm
          classOptions={options}
          classes={classes.data ?? []}
          subjects={subjects.data ?? []}
          teacherOptions={teacherOptions}
          defaultClassId={classFilter}
          onCancel={() => setCreating(false)}
          onCreated={async () => {
            setCreating(false);
            await loads.reload();
          }}
        />
      )}
      <ErrorMessage error={remove.error} />
      {loads.data === null ? (
        choice.year && <Loading />
      ) : (
        <table className="table table-compact" aria-label="Нагрузка">
          <thead>
            <tr>
              <th>Класс</th>
              <th>Предмет</th>
              <th>Подгруппа</th>
              <th>Учитель</th>
              <th className="cell-number">Часов в неделю</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((load) =>
              editingId === load.id ? (
                <EditLoadRow
                  key={load.id}
                  load={load}
                  teacherOptions={teacherOptions}
                  onDone={async () => {
                    setEditingId(null);
                    await loads.reload();
                  }}
                  onCancel={() => setEditingId(null)}
                />
              ) : (
                <tr key={load.id}>
                  <td>{load.className}</td>
                  <td>{load.subjectName}</td>
                  <td>{load.subgroupName ?? <span className="muted">весь класс</span>}</td>
                  <td>{load.teacherName}</td>
                  <td className="cell-number">{formatHours(load.hoursPerWeek)}</td>
                  <td className="cell-actions nowrap">
                    {editable && (
                      <>
                        <button type="button" className="button button-link" onClick={() => setEditingId(load.id)} aria-label={`Изменить: ${load.subjectName}, ${load.className}`}>
                          Изменить
                        </button>{' '}
                        <button
                          type="button"
                          className="button button-link"
                          disabled={remove.busy}
                          aria-label={`Снять: ${load.subjectName}, ${load.className}`}
                          onClick={() => void remove.run(() => api.call('load.remove', { id: load.id }), loads.reload)}
                        >
                          Снять
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ),
            )}
            {rows.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  Нагрузка не назначена.
                </td>
              </tr>
            )}
          </tbody>
          {rows.length > 0 && (
            <tfoot>
              <tr>
                <td colSpan={4}>Всего</td>
                <td className="cell-number">{formatHours(total)}</td>
                <td />
              </tr>
            </tfoot>
          )}
        </table>
      )}
      {classFilter && choice.year && (
        <SubgroupsSection
          key={classFilter}
          classId={Number(classFilter)}
          year={choice.year}
          subjects={(subjects.data ?? []).filter((subject) => {
            const grade = classes.data?.find((c) => String(c.id) === classFilter)?.grade ?? -1;
            return grade >= subject.gradeFrom && grade <= subject.gradeTo;
          })}
          editable={editable}
          onChanged={loads.reload}
        />
      )}
      {!classFilter && <p className="muted small">Подгруппы и их состав — выберите класс вверху.</p>}
    </div>
  );
}

const newLoadFields = schoolContract['load.create'].input.extend({
  hoursPerWeek: decimalText(schoolContract['load.create'].input.shape.hoursPerWeek.unwrap(), 'Часы — числом, например 4 или 4,5'),
});

function NewLoadForm({
  classOptions: options,
  classes,
  subjects,
  teacherOptions,
  defaultClassId,
  onCancel,
  onCreated,
}: {
  classOptions: { value: string; label: string }[];
  classes: { id: number; grade: number }[];
  subjects: { id: number; name: string; gradeFrom: number; gradeTo: number }[];
  teacherOptions: { value: string; label: string }[];
  defaultClassId: string;
  onCancel(): void;
  onCreated(): Promise<void>;
}) {
  const firstClass = defaultClassId || options[0]?.value;
  const form = useContractForm(newLoadFields, {
    classId: firstClass ? Number(firstClass) : undefined,
    subgroupId: null,
    teacherId: teacherOptions[0] ? Number(teacherOptions[0].value) : undefined,
    hoursPerWeek: '',
  });
  const classId = form.watch('classId');
  const subjectId = form.watch('subjectId');
  const grade = classes.find((c) => c.id === classId)?.grade ?? -1;
  const subjectOptions = subjects
    .filter((subject) => grade >= subject.gradeFrom && grade <= subject.gradeTo)
    .sort((a, b) => a.name.localeCompare(b.name, 'ru'))
    .map((subject) => ({ value: String(subject.id), label: subject.name }));
  const subgroups = useApiQuery('school.subgroups.list', classId ? { classId } : null);
  const subgroupsOfSubject = (subgroups.data ?? []).filter((group) => group.subjectId === subjectId);
  const subgroupOptions = [{ value: '', label: '— весь класс —' }, ...subgroupsOfSubject.map((group) => ({ value: String(group.id), label: group.name }))];
  useKeptChoice(form, 'subjectId', subjectOptions.map((option) => Number(option.value)), undefined);
  useKeptChoice(form, 'subgroupId', [null, ...subgroupsOfSubject.map((group) => group.id)]);

  return (
    <section className="card" aria-label="Новое назначение">
      <h2>Новое назначение</h2>
      <ContractForm
        form={form}
        aria-label="Новое назначение"
        submitLabel="Назначить"
        busyLabel="Сохраняю…"
        disabled={!classId || subjectOptions.length === 0 || teacherOptions.length === 0}
        onSubmit={async (values) => {
          await api.call('load.create', values);
          await onCreated();
        }}
        actions={
          <button type="button" className="button" onClick={onCancel}>
            Отмена
          </button>
        }
      >
        <div className="field-row field-row-5">
          <FormSelect name="classId" label="Класс" numeric options={options} />
          <FormSelect name="subjectId" label="Предмет" numeric options={subjectOptions} />
          <FormSelect name="subgroupId" label="Подгруппа" numeric options={subgroupOptions} />
          <FormSelect name="teacherId" label="Учитель" numeric options={teacherOptions} />
          <FormText name="hoursPerWeek" label="Часов в неделю" inputMode="decimal" placeholder="5" />
        </div>
        {subjectOptions.length === 0 && classId && <p className="message message-warn small">Для этой параллели нет предметов: добавьте их в «Предметы и учебный план».</p>}
        {teacherOptions.length === 0 && <p className="message message-warn small">Нет сотрудников с ролью «Учитель».</p>}
      </ContractForm>
    </section>
  );
}

const loadInput = schoolContract['load.update'].input;
const editLoadFields = loadInput.omit({ id: true }).extend({ hoursPerWeek: decimalText(loadInput.shape.hoursPerWeek, 'Часы — числом, например 4 или 4,5') });

function EditLoadRow({ load, teacherOptions, onDone, onCancel }: { load: Load; teacherOptions: { value: string; label: string }[]; onDone(): Promise<void>; onCancel(): void }) {
  const form = useContractForm(editLoadFields, { teacherId: load.teacherId, hoursPerWeek: formatHours(load.hoursPerWeek) });
  return (
    <tr className="row-editing">
      <td colSpan={6}>
        <ContractForm
          form={form}
          aria-label={`Изменить: ${load.subjectName}, ${load.className}`}
          className="inline-form"
          submitLabel="Сохранить"
          onSubmit={async (values) => {
            await api.call('load.update', { id: load.id, ...values });
            await onDone();
          }}
          actions={
            <button type="button" className="button" onClick={onCancel}>
              Отмена
            </button>
          }
        >
          <span className="inline-form-title">
            {load.className}, {load.subjectName}
            {load.subgroupName ? ` (${load.subgroupName})` : ''}
          </span>
          <FormSelect name="teacherId" label="Учитель" numeric options={teacherOptions} />
          <FormText name="hoursPerWeek" label="Часов в неделю" inputMode="decimal" />
        </ContractForm>
      </td>
    </tr>
  );
}
