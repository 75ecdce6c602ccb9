import { russianDate } from '../../../src-shared/rules/dates';
import { useEffect, useState } from 'react';
import type { AuditRecord } from '../../../src-shared/contract/accounts';
import type { ChangeTarget, JournalPage } from '../../../src-shared/contract/journal';
import { api, asApiError } from '../../api/client';
import { useCloseOnEscape } from '../../ui/dialog';
import { useSession } from '../../app/session';
import { parseEntry } from '../../journal/entry';
import type { CellMark, CellAttendance } from '../../journal/model';
import { formatInstant } from '../../lib/time';
import { Form, localValidation, SelectField, TextAreaField, TextField } from '../../ui/form';
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

/** «Запросить изменение»: what to change, to what, and why; a deputy or the administrator decides. */
export function RequestPanel({ page, lessonId, studentId, marks, attendance, typed, workTypeId, onDone, onClose }: RequestPanelProps) {
  useCloseOnEscape(onClose);
  const rules = { scale: page.rules.markScale, specialMarks: page.rules.specialMarks };
  const parsedTyped = typed ? parseEntry(typed, rules) : null;
  const typedIsAttendance = parsedTyped?.ok && parsedTyped.entry.kind === 'attendance';
  const initialWhat = typedIsAttendance ? 'attendance' : marks.length === 1 ? `mark:${marks[0]!.id}` : marks.length === 0 && !attendance?.code ? 'new' : marks.length > 0 ? `mark:${marks[marks.length - 1]!.id}` : 'attendance';
  const [what, setWhat] = useState(initialWhat);
  const [value, setValue] = useState(typed);
  const [reason, setReason] = useState('');
  const student = page.students.find((item) => item.id === studentId);
  const lesson = page.lessons.find((item) => item.id === lessonId);
  const workTypeNames = new Map(page.workTypes.map((type) => [type.id, type.name]));
  const options = [
    ...marks.map((mark) => ({ value: `mark:${mark.id}`, label: `Отметку «${mark.value}» (${workTypeNames.get(mark.workTypeId) ?? 'вид работы'})` })),
    { value: 'new', label: 'Добавить отметку' },
    { value: 'attendance', label: `Посещаемость (сейчас: ${attendance?.code ?? 'был на уроке'})` },
  ];

  async function send() {
    let target: ChangeTarget;
    if (what === 'attendance') {
      const parsed = value.trim() ? parseEntry(value, rules) : { ok: true as const, entry: { kind: 'clear' as const } };
      const code = parsed.ok && parsed.entry.kind === 'attendance' ? parsed.entry.code : null;
      if (value.trim() && code === null) throw localValidation('Для посещаемости укажите «н» (ОТ), «оп» (ОП) или оставьте пустым.', 'value');
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
      <Form
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
        <SelectField name="target" label="Что изменить" value={what} onChange={setWhat} options={options} />
        <TextField name="value" label="Новое значение" value={value} onChange={setValue} hint={what === 'attendance' ? '«н» — отсутствовал, «оп» — опоздал, пусто — был' : 'Пусто — удалить отметку'} autoFocus={value === ''} />
        <TextAreaField name="reason" label="Причина" value={reason} onChange={setReason} rows={2} required autoFocus={value !== ''} />
      </Form>
    </div>
  );
}

interface MarkEditPanelProps {
  page: JournalPage;
  marks: readonly CellMark[];
  onSaved(): void;
  onClose(): void;
}

/** A mark's work type (its weight) and comment (shown as the cell's tooltip), changed in place. */
export function MarkEditPanel({ page, marks, onSaved, onClose }: MarkEditPanelProps) {
  useCloseOnEscape(onClose);
  const saved = marks.filter((mark) => mark.id !== 0);
  const [markId, setMarkId] = useState(String(saved[saved.length - 1]?.id ?? ''));
  const mark = saved.find((item) => String(item.id) === markId);
  const [workTypeId, setWorkTypeId] = useState(String(mark?.workTypeId ?? ''));
  const [comment, setComment] = useState(mark?.comment ?? '');
  const workTypeNames = new Map(page.workTypes.map((type) => [type.id, type.name]));

  function choose(id: string) {
    const chosen = saved.find((item) => String(item.id) === id);
    setMarkId(id);
    setWorkTypeId(String(chosen?.workTypeId ?? ''));
    setComment(chosen?.comment ?? '');
  }

  async function save() {
    if (!mark) throw localValidation('Выберите отметку.', 'markId');
    await api.call('journal.saveMark', { lessonId: mark.lessonId, studentId: mark.studentId, markId: mark.id, version: mark.version, value: mark.value, workTypeId: Number(workTypeId), comment });
    onSaved();
  }

  return (
    <div className="journal-popover" role="dialog" aria-label="Вид работы и комментарий">
      <h2>Вид работы и комментарий</h2>
      <Form
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
        <SelectField name="markId" label="Отметка" value={markId} onChange={choose} options={saved.map((item) => ({ value: String(item.id), label: `«${item.value}» — ${workTypeNames.get(item.workTypeId) ?? ''}` }))} />
        <SelectField
          name="workTypeId"
          label="Вид работы"
          value={workTypeId}
          onChange={setWorkTypeId}
          options={page.workTypes.filter((type) => type.active || String(type.id) === workTypeId).map((type) => ({ value: String(type.id), label: `${type.name} (вес ${String(type.weight).replace('.', ',')})` }))}
        />
        <TextField name="comment" label="Комментарий" value={comment} onChange={setComment} maxLength={300} autoFocus />
      </Form>
    </div>
  );
}
