import { russianDate } from '../../../src-shared/rules/dates';
import { useEffect, useMemo, useRef, useState } from 'react';
import { z } from 'zod';
import type { AuditRecord } from '../../../src-shared/contract/accounts';
import { journalContract, type ChangeTarget, type JournalPage } from '../../../src-shared/contract/journal';
import { api, asApiError } from '../../api/client';
import { useCloseOnEscape } from '../../ui/dialog';
import { useSession } from '../../app/session';
import { parseEntry } from '../../journal/entry';
import type { CellMark, CellAttendance } from '../../journal/model';
import { formatInstant } from '../../lib/time';
import { ContractForm, FormSelect, FormText, FormTextArea, useContractForm } from '../../ui/contract-form';
import { journalActionTitles } from '../../../src-shared/rules/journal-actions';

// The popovers of a journal cell: its history (D-26) and a change request for a cell past
// the edit window or in a closed period (D-25).

const actionTitles = journalActionTitles;

function shownValue(value: unknown, workTypeNames: ReadonlyMap<number, string>): string {
  if (value === null || value === undefined) return 'пусто';
  if (typeof value !== 'object') return String(value);
  const record = value as Record<string, unknown>;
  if (record.deleted) return 'удалена';
  if ('code' in record) return record.code === null ? 'пусто' : String(record.code);
  if ('value' in record) {
    const type = typeof record.workTypeId === 'number' ? workTypeNames.get(record.workTypeId) : undefined;
    const deferred = record.deferred === true ? ' (отложена)' : '';
    return `${String(record.value) || '—'}${deferred}${type ? ` (${type})` : ''}${record.comment ? `, «${String(record.comment)}»` : ''}`;
  }
  return JSON.stringify(value);
}

export function HistoryPopover({ title, query, workTypeNames, onClose }: { title: string; query: Parameters<typeof api.call<'journal.cellHistory'>>[1]; workTypeNames: ReadonlyMap<number, string>; onClose(): void }) {
  useCloseOnEscape(onClose);
  const { school } = useSession();
  const [records, setRecords] = useState<AuditRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.call('journal.cellHistory', query).then(setRecords, (thrown) => setError(asApiError(thrown).message));
  }, [query]);
  return (
    <div className="journal-popover" role="dialog" aria-label="История ячейки">
      <h2>
        История: {title}
        <button type="button" className="button button-quiet" onClick={onClose} autoFocus>
          Закрыть
        </button>
      </h2>
      {error && <p className="message message-error">{error}</p>}
      {records === null && !error && <p className="muted">Загружаю…</p>}
      {records?.length === 0 && <p className="muted">Изменений не было.</p>}
      <ul className="history-list">
        {records?.map((record) => (
          <li key={record.id}>
            <strong>{formatInstant(record.at, school.timeZone)}</strong> · {record.userName ?? 'система'} · {actionTitles[record.action] ?? record.action}
            <div>
              {shownValue(record.before, workTypeNames)} → {shownValue(record.after, workTypeNames)}
            </div>
            {record.reason && <div className="muted">Причина: {record.reason}</div>}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface RequestPanelProps {
  page: JournalPage;
  lessonId: number;
  studentId: number;
  marks: readonly CellMark[];
  attendance: CellAttendance | undefined;
  typed: string;
  workTypeId: number;
  onDone(message: string): void;
  onClose(): void;
}

const requestInput = journalContract['changes.request'].input;
const notAttendance = 'Для посещаемости укажите «н» (ОТ), «оп» (ОП) или оставьте пустым.';

/** «Запросить изменение»: what to change, to what, and why; a deputy or the administrator decides. */
export function RequestPanel({ page, lessonId, studentId, marks, attendance, typed, workTypeId, onDone, onClose }: RequestPanelProps) {
  useCloseOnEscape(onClose);
  const rules = useMemo(() => ({ scale: page.rules.markScale, specialMarks: page.rules.specialMarks }), [page.rules.markScale, page.rules.specialMarks]);
  const parsedTyped = typed ? parseEntry(typed, rules) : null;
  const typedIsAttendance = parsedTyped?.ok && parsedTyped.entry.kind === 'attendance';
  const initialWhat = typedIsAttendance ? 'attendance' : marks.length === 1 ? `mark:${marks[0]!.id}` : marks.length === 0 && !attendance?.code ? 'new' : marks.length > 0 ? `mark:${marks[marks.length - 1]!.id}` : 'attendance';
  // The reason is the contract's; the new value is read as a journal cell reads what is typed.
  const fields = useMemo(
    () =>
      requestInput
        .pick({ reason: true })
        .extend({ what: z.string(), value: z.string() })
        .superRefine(({ what, value }, context) => {
          if (value.trim() === '') return;
          const parsed = parseEntry(value, rules);
          if (what === 'attendance') {
            if (!parsed.ok || parsed.entry.kind !== 'attendance') context.addIssue({ code: 'custom', path: ['value'], message: notAttendance });
          } else if (!parsed.ok) context.addIssue({ code: 'custom', path: ['value'], message: parsed.message });
        }),
    [rules],
  );
  const form = useContractForm(fields, { what: initialWhat, value: typed, reason: '' });
  const what = form.watch('what');
  const student = page.students.find((item) => item.id === studentId);
  const lesson = page.lessons.find((item) => item.id === lessonId);
  const workTypeNames = new Map(page.workTypes.map((type) => [type.id, type.name]));
  const options = [
    ...marks.map((mark) => ({ value: `mark:${mark.id}`, label: `Отметку «${mark.value}» (${workTypeNames.get(mark.workTypeId) ?? 'вид работы'})` })),
    { value: 'new', label: 'Добавить отметку' },
    { value: 'attendance', label: `Посещаемость (сейчас: ${attendance?.code ?? 'был на уроке'})` },
  ];

  async function send({ what, value, reason }: { what: string; value: string; reason: string }) {
    let target: ChangeTarget;
    if (what === 'attendance') {
      const parsed = parseEntry(value, rules);
      const code = parsed.ok && parsed.entry.kind === 'attendance' ? parsed.entry.code : null;
      target = { kind: 'attendance', lessonId, studentId, version: attendance?.version ?? 0, code };
    } else if (what === 'new') {
      target = { kind: 'mark', lessonId, studentId, value: value.trim(), workTypeId, comment: '' };
    } else {
      const mark = marks.find((item) => `mark:${item.id}` === what)!;
      target = { kind: 'mark', lessonId, studentId, markId: mark.id, version: mark.version, value: value.trim() === '' ? null : value.trim(), workTypeId: mark.workTypeId, comment: mark.comment };
    }
    await api.call('changes.request', { target, reason });
    onDone('Запрос отправлен: изменение внесут после одобрения заместителем директора или администратором.');
  }

  const title = `Запрос на изменение: ${student?.fullName ?? ''}, ${lesson ? russianDate(lesson.date) : ''}`;
  return (
    <div className="journal-popover" role="dialog" aria-label="Запросить изменение">
      <h2>{title}</h2>
      <p className="small muted">Срок исправления прошёл (или период закрыт): изменение вносится после одобрения.</p>
      <ContractForm
        form={form}
        onSubmit={send}
        submitLabel="Отправить запрос"
        busyLabel="Отправляю…"
        aria-label="Запросить изменение"
        actions={
          <button type="button" className="button button-quiet" onClick={onClose}>
            Отмена
          </button>
        }
      >
        <FormSelect name="what" label="Что изменить" options={options} />
        <FormText name="value" label="Новое значение" hint={what === 'attendance' ? '«н» — отсутствовал, «оп» — опоздал, пусто — был' : 'Пусто — удалить отметку'} autoFocus={typed === ''} />
        <FormTextArea name="reason" label="Причина" rows={2} required autoFocus={typed !== ''} />
      </ContractForm>
    </div>
  );
}

interface MarkEditPanelProps {
  page: JournalPage;
  marks: readonly CellMark[];
  onSaved(): void;
  onClose(): void;
}

const saveMarkInput = journalContract['journal.saveMark'].input;
const markEditFields = saveMarkInput.pick({ workTypeId: true, comment: true }).extend({ markId: z.number({ error: 'Выберите отметку' }).pipe(saveMarkInput.shape.markId.unwrap()) });

/** A mark's work type (its weight) and comment (shown as the cell's tooltip), changed in place. */
export function MarkEditPanel({ page, marks, onSaved, onClose }: MarkEditPanelProps) {
  useCloseOnEscape(onClose);
  const saved = marks.filter((mark) => mark.id !== 0);
  const last = saved[saved.length - 1];
  const form = useContractForm(markEditFields, { markId: last?.id, workTypeId: last?.workTypeId, comment: last?.comment ?? '' });
  const markId = form.watch('markId');
  const workTypeId = form.watch('workTypeId');
  const workTypeNames = new Map(page.workTypes.map((type) => [type.id, type.name]));
  // Another mark chosen: its own work type and comment, to change.
  const shownMark = useRef(markId);
  useEffect(() => {
    if (shownMark.current === markId) return;
    shownMark.current = markId;
    const chosen = saved.find((item) => item.id === markId);
    form.setValue('workTypeId', chosen?.workTypeId as number);
    form.setValue('comment', chosen?.comment ?? '');
  }, [markId, saved, form]);

  async function save(values: { markId: number; workTypeId: number; comment: string }) {
    const mark = saved.find((item) => item.id === values.markId)!;
    await api.call('journal.saveMark', { lessonId: mark.lessonId, studentId: mark.studentId, markId: mark.id, version: mark.version, value: mark.value, workTypeId: values.workTypeId, comment: values.comment });
    onSaved();
  }

  return (
    <div className="journal-popover" role="dialog" aria-label="Вид работы и комментарий">
      <h2>Вид работы и комментарий</h2>
      <ContractForm
        form={form}
        onSubmit={save}
        submitLabel="Сохранить"
        busyLabel="Сохраняю…"
        aria-label="Вид работы и комментарий"
        actions={
          <button type="button" className="button button-quiet" onClick={onClose}>
            Отмена
          </button>
        }
      >
        <FormSelect name="markId" label="Отметка" numeric options={saved.map((item) => ({ value: String(item.id), label: `«${item.value}» — ${workTypeNames.get(item.workTypeId) ?? ''}` }))} />
        <FormSelect
          name="workTypeId"
          label="Вид работы"
          numeric
          options={page.workTypes.filter((type) => type.active || type.id === workTypeId).map((type) => ({ value: String(type.id), label: `${type.name} (вес ${String(type.weight).replace('.', ',')})` }))}
        />
        <FormText name="comment" label="Комментарий" maxLength={300} autoFocus />
      </ContractForm>
    </div>
  );
}
