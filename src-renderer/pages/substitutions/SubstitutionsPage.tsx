import { useEffect, useState } from 'react';
import { substitutionsContract, type PlannedLesson, type SubstitutionCandidate, type SubstitutionView } from '../../../src-shared/contract/substitutions';
import {
  absenceReasons,
  absenceReasonTitles,
  monthRange,
  sheetColumns,
  shortPersonName,
  substitutionKinds,
  substitutionKindTitles,
  type AbsenceReason,
  type SubstitutionKind,
} from '../../../src-shared/rules/substitutions';
import { api, asApiError } from '../../api/client';
import { useCan } from '../../app/session';
import { ErrorMessage, Loading, russianDate, useSchoolToday } from '../../ui/common';
import { useApiQuery } from '../../api/use-api';
import { ContractForm, FormDate, FormSelect, FormText, requiredChoice, useContractForm } from '../../ui/contract-form';
import { saveBlob } from '../printing/pdf-file';
import { ControlWorks } from './ControlWorks';
import { DayTimetable } from './DayTimetable';
import './substitutions.css';

// «Замены» (002 §7A.4, §7A.10): the deputy or the administrator picks the absent teacher and
// the days, sees each of their lessons with the free teachers of that slot, and assigns in
// one click; below, the register of the month and the monthly sheet for the payroll.

function describe(view: SubstitutionView): string {
  if (view.kind === 'cancelled') return 'урок отменён';
  const whose = view.kind === 'ownSubject' && view.targetSubjectName ? ` («${view.targetSubjectName}»)` : '';
  return `${view.substituteName ?? ''} — ${substitutionKindTitles[view.kind]}${whose}`;
}

export function SubstitutionsPage() {
  const can = useCan();
  const manages = can('substitutions.manage');
  const today = useSchoolToday();
  const [month, setMonth] = useState(today.slice(0, 7));
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  return (
    <div className="substitutions">
      {manages && <AbsencePlanner onChanged={changed} today={today} />}
      <DayTimetable today={today} manages={manages} onChanged={changed} />
      <label className="substitutions-month">
        Месяц{' '}
        <input type="month" aria-label="Месяц" value={month} onChange={(event) => event.target.value && setMonth(event.target.value)} />
      </label>
      <Register key={`register-${month}-${version}`} month={month} manages={manages} onChanged={changed} />
      <MonthlySheet key={`sheet-${month}-${version}`} month={month} />
      <ControlWorks key={`works-${month}`} month={month} manages={manages} />
    </div>
  );
}

const planInput = substitutionsContract['substitutions.plan'].input;
/** Whose lessons and which days; the reason and the order go into every substitution assigned below. */
const absenceFields = planInput
  .extend({ teacherId: requiredChoice(planInput.shape.teacherId, 'Выберите учителя') })
  .extend(substitutionsContract['substitutions.assign'].input.pick({ reason: true, orderNumber: true }).shape);

type PlanQuery = { teacherId: number; from: string; to: string };

function AbsencePlanner({ today, onChanged }: { today: string; onChanged(): void }) {
  const teachers = useApiQuery('staff.list', { onlyTeachers: true });
  const form = useContractForm(absenceFields, { teacherId: null, from: today, to: today, reason: 'illness', orderNumber: '' });
  const reason = form.watch('reason');
  const orderNumber = form.watch('orderNumber') ?? '';
  const [query, setQuery] = useState<PlanQuery | null>(null);
  const plan = useApiQuery('substitutions.plan', query);

  // The core's refusal of the days (the end before the start, too many days) beside the field it names.
  const planError = plan.error;
  useEffect(() => {
    for (const issue of planError?.fieldIssues ?? []) {
      if (issue.path === 'teacherId' || issue.path === 'from' || issue.path === 'to') form.setError(issue.path, { type: 'server', message: issue.message });
    }
  }, [planError, form]);

  return (
    <section className="card" aria-label="Отсутствующий учитель">
      <h2>Отсутствующий учитель</h2>
      <ContractForm
        form={form}
        aria-label="Отсутствующий учитель"
        className="filters"
        submitLabel="Показать уроки"
        onSubmit={(values) => setQuery({ teacherId: values.teacherId, from: values.from, to: values.to })}
      >
        <FormSelect
          name="teacherId"
          label="Учитель"
          numeric
          options={[{ value: '', label: '— выберите учителя —' }, ...(teachers.data ?? []).filter((t) => t.active).map((t) => ({ value: String(t.id), label: t.fullName }))]}
        />
        <FormDate name="from" label="С" />
        <FormDate name="to" label="По" />
        <FormSelect name="reason" label="Причина" options={absenceReasons.map((r) => ({ value: r, label: absenceReasonTitles[r] }))} />
        <FormText name="orderNumber" label="Приказ №" size={10} />
      </ContractForm>
      <ErrorMessage error={plan.error} />
      {query && !plan.data && !plan.error && <Loading />}
      {plan.data && (
        <>
          {plan.data.skippedDays.length > 0 && (
            <p className="muted small">
              Без уроков: {plan.data.skippedDays.map((d) => `${russianDate(d.date)} — ${d.why}`).join('; ')}.
            </p>
          )}
          {plan.data.lessons.length === 0 ? (
            <p className="muted">В эти дни по расписанию у {plan.data.teacherName} уроков нет.</p>
          ) : (
            <table className="table table-compact substitution-plan" aria-label={`Уроки: ${plan.data.teacherName}`}>
              <thead>
                <tr>
                  <th>Дата</th>
                  <th>Урок</th>
                  <th>Класс, предмет</th>
                  <th>Замена</th>
                </tr>
              </thead>
              <tbody>
                {plan.data.lessons.map((lesson) => (
                  <PlanRow
                    key={`${lesson.date}-${lesson.lessonNumber}-${lesson.loadId}`}
                    lesson={lesson}
                    reason={reason}
                    orderNumber={orderNumber}
                    onChanged={async () => {
                      await plan.reload();
                      onChanged();
                    }}
                  />
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

const FREE_SHOWN = 4;

function PlanRow({ lesson, reason, orderNumber, onChanged }: { lesson: PlannedLesson; reason: AbsenceReason; orderNumber: string; onChanged(): Promise<void> }) {
  const [kind, setKind] = useState<SubstitutionKind>('subject');
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = `${russianDate(lesson.date)}, ${lesson.lessonNumber} урок`;

  async function act(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      await onChanged();
    } catch (thrown) {
      setError(asApiError(thrown).message);
    } finally {
      setBusy(false);
    }
  }
  const assign = (substituteId: number | null, chosenKind: SubstitutionKind) =>
    act(() => api.call('substitutions.assign', { loadId: lesson.loadId, date: lesson.date, lessonNumber: lesson.lessonNumber, substituteId, kind: chosenKind, reason, orderNumber }));

  const offered = lesson.candidates.filter((c) => (kind === 'ownSubject' ? c.free && c.ownLoadId !== null : kind === 'merge' ? true : c.free)).slice(0, FREE_SHOWN);
  const candidateLabel = (c: SubstitutionCandidate) => `${c.fullName}${c.sameSubject ? ' (тот же предмет)' : ''}${c.busyWith ? ` — ${c.busyWith}` : ''}`;

  return (
    <tr aria-label={label}>
      <td>{russianDate(lesson.date)}</td>
      <td>
        {lesson.lessonNumber}
        {lesson.startsAt ? <span className="muted small"> {lesson.startsAt}</span> : null}
      </td>
      <td>
        {lesson.className}
        {lesson.subgroupName ? ` (${lesson.subgroupName})` : ''}, {lesson.subjectName}
      </td>
      <td>
        {lesson.substitution ? (
          <span className="substitution-assigned">{describe(lesson.substitution)}</span>
        ) : (
          <div className="substitution-choice">
            <select aria-label={`Вид замены: ${label}`} value={kind} onChange={(event) => setKind(event.target.value as SubstitutionKind)} disabled={busy}>
              {substitutionKinds
                .filter((k) => k !== 'cancelled')
                .map((k) => (
                  <option key={k} value={k}>
                    {substitutionKindTitles[k]}
                  </option>
                ))}
            </select>
            {offered.map((c) => (
              <button
                key={c.teacherId}
                type="button"
                className={c.sameSubject ? 'button button-primary button-small' : 'button button-small'}
                title={candidateLabel(c)}
                disabled={busy}
                onClick={() => assign(c.teacherId, kind)}
              >
                {shortPersonName(c.fullName)}
                {kind === 'ownSubject' && c.ownSubjectName ? ` (${c.ownSubjectName})` : ''}
              </button>
            ))}
            <select aria-label={`Другой учитель: ${label}`} value={other} onChange={(event) => setOther(event.target.value)} disabled={busy}>
              <option value="">другой учитель…</option>
              {lesson.candidates.map((c) => (
                <option key={c.teacherId} value={c.teacherId}>
                  {candidateLabel(c)}
                </option>
              ))}
            </select>
            {other && (
              <button type="button" className="button button-small" disabled={busy} onClick={() => assign(Number(other), kind)}>
                Назначить
              </button>
            )}
            <button type="button" className="button button-quiet button-small" disabled={busy} onClick={() => assign(null, 'cancelled')}>
              Отменить урок
            </button>
          </div>
        )}
        {error && (
          <p className="message message-error" role="alert">
            {error}
          </p>
        )}
      </td>
    </tr>
  );
}

function Register({ month, manages, onChanged }: { month: string; manages: boolean; onChanged(): void }) {
  const { from, to } = monthRange(month);
  const list = useApiQuery('substitutions.list', { from, to });
  const [removing, setRemoving] = useState<number | null>(null);

  async function removed() {
    setRemoving(null);
    await list.reload();
    onChanged();
  }

  return (
    <section className="card" aria-label="Журнал замен">
      <h2>Журнал замен</h2>
      <ErrorMessage error={list.error} />
      {!list.data ? (
        !list.error && <Loading />
      ) : list.data.length === 0 ? (
        <p className="muted">В этом месяце замен нет.</p>
      ) : (
        <table className="table table-compact" aria-label="Журнал замен">
          <thead>
            <tr>
              <th>Дата</th>
              <th>Урок</th>
              <th>Класс, предмет</th>
              <th>Отсутствует</th>
              <th>Замена</th>
              <th>Причина, приказ</th>
              <th>Урок записан</th>
              {manages && <th />}
            </tr>
          </thead>
          <tbody>
            {list.data.map((row) => (
              <tr key={row.id} className={row.removedAt ? 'substitution-removed' : undefined}>
                <td>{russianDate(row.date)}</td>
                <td>{row.lessonNumber}</td>
                <td>
                  {row.className}
                  {row.subgroupName ? ` (${row.subgroupName})` : ''}, {row.subjectName}
                </td>
                <td>{shortPersonName(row.absentTeacherName)}</td>
                <td>
                  {describe(row)}
                  {row.removedAt && (
                    <div className="small">
                      Снята: {row.removedByName}, «{row.removedReason}»
                    </div>
                  )}
                  {row.needsAttention && <div className="message message-warn small">Урок уже записан заменявшим: проверьте запись в журнале.</div>}
                </td>
                <td>
                  {absenceReasonTitles[row.reason]}
                  {row.orderNumber ? `, приказ ${row.orderNumber}` : ''}
                </td>
                <td>{row.kind === 'cancelled' ? '—' : row.lessonId ? 'да' : 'нет'}</td>
                {manages && (
                  <td>
                    {!row.removedAt &&
                      (removing === row.id ? (
                        <RemoveForm id={row.id} onRemoved={removed} onCancel={() => setRemoving(null)} />
                      ) : (
                        <button type="button" className="button button-quiet button-small" onClick={() => setRemoving(row.id)}>
                          Снять замену
                        </button>
                      ))}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const removeInput = substitutionsContract['substitutions.remove'].input;
const removeFields = removeInput.pick({ reason: true });

/** «Снять замену»: only with the reason, which the register keeps beside the removed row. */
function RemoveForm({ id, onRemoved, onCancel }: { id: number; onRemoved(): Promise<void>; onCancel(): void }) {
  const form = useContractForm(removeFields, { reason: '' });
  return (
    <ContractForm
      form={form}
      aria-label="Снять замену"
      className="inline-form substitution-remove"
      submitLabel="Снять"
      busyLabel="Снимаю…"
      actions={
        <button type="button" className="button button-quiet button-small" onClick={onCancel}>
          Отмена
        </button>
      }
      onSubmit={async (values) => {
        await api.call('substitutions.remove', { id, ...values });
        await onRemoved();
      }}
    >
      <FormText name="reason" label="Причина снятия" autoFocus />
    </ContractForm>
  );
}

function fileBlob(base64: string, type: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

const fileTypes = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;

function MonthlySheet({ month }: { month: string }) {
  const sheet = useApiQuery('substitutions.sheet', { month });
  const [error, setError] = useState<string | null>(null);

  async function download(format: 'pdf' | 'xlsx') {
    try {
      const file = await api.call('substitutions.sheetFile', { month, format });
      saveBlob(fileBlob(file.base64, fileTypes[format]), file.fileName);
      setError(null);
    } catch (thrown) {
      setError(asApiError(thrown).message);
    }
  }

  return (
    <section className="card" aria-label="Табель замен за месяц">
      <h2>{sheet.data?.title ?? 'Табель замен за месяц'}</h2>
      <ErrorMessage error={sheet.error} />
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      {sheet.data && (
        <>
          <table className="table table-compact" aria-label="Табель замен">
            <thead>
              <tr>
                {sheetColumns.map((column) => (
                  <th key={column.title}>{column.title}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sheet.data.rows.length === 0 ? (
                <tr>
                  <td colSpan={sheetColumns.length} className="muted">
                    Замен за месяц не было.
                  </td>
                </tr>
              ) : (
                sheet.data.rows.map((row) => (
                  <tr key={row.teacherId}>
                    {sheetColumns.map((column) => (
                      <td key={column.title} className={column.numeric ? 'number' : undefined}>
                        {column.value(row)}
                      </td>
                    ))}
                  </tr>
                ))
              )}
            </tbody>
          </table>
          <p className="muted small">Заместитель директора по УВР ____________________ (подпись — в напечатанном табеле)</p>
          <div className="toolbar">
            <button type="button" className="button" onClick={() => download('pdf')}>
              Скачать PDF
            </button>
            <button type="button" className="button" onClick={() => download('xlsx')}>
              Скачать XLSX
            </button>
          </div>
        </>
      )}
    </section>
  );
}
