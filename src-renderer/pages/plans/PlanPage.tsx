import { useEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import type { PlanView } from '../../../src-shared/contract/plans';
import { planStatusTitles } from '../../../src-shared/rules/plans';
import { api, asApiError, type ApiError } from '../../api/client';
import { Link, useParams } from '../../app/router';
import { useSession } from '../../app/session';
import { parsePasted } from '../../journal/entry';
import { ErrorMessage, Loading, plural, russianDate } from '../../ui/common';
import { useAction, useApiQuery } from '../../api/use-api';
import { parseTypedDate } from '../../ui/date-input';
import { saveBase64File } from '../../lib/files';
import { PlanImport } from './PlanImport';
import { PlanReview } from './PlanReview';
import './plans.css';

// One load's КТП: the teacher edits the rows in place (keyboard, paste from a spreadsheet,
// insert, move, delete), saves with the plan's version, submits it; the deputy reads it and
// approves or returns it (PlanReview).

interface DraftRow {
  key: number;
  id?: number;
  section: string;
  topic: string;
  hours: string;
  /** As typed: дд.мм.гггг. */
  date: string;
  week: string;
  controlWork: boolean;
  workTypeId: number | null;
  homework: string;
  /** Lessons of the journal that took this row (saved rows only). */
  given: number;
}

const columns = ['section', 'topic', 'hours', 'date', 'week', 'controlWork', 'workType', 'homework'] as const;
type Column = (typeof columns)[number];
const columnTitles: Record<Column, string> = {
  section: 'Раздел',
  topic: 'Тема урока',
  hours: 'Часы',
  date: 'Дата по плану',
  week: 'Неделя',
  controlWork: 'К/р',
  workType: 'Вид работы',
  homework: 'Домашнее задание',
};

interface WorkTypeOption {
  id: number;
  name: string;
  active: boolean;
}

/** The school's work type named by a pasted cell (any case), or none. */
function workTypeNamed(types: readonly WorkTypeOption[], text: string): number | null {
  const wanted = text.trim().toLocaleLowerCase('ru');
  if (!wanted) return null;
  return types.find((w) => w.name.toLocaleLowerCase('ru') === wanted)?.id ?? null;
}

let nextKey = 1;
function emptyRow(): DraftRow {
  return { key: nextKey++, section: '', topic: '', hours: '1', date: '', week: '', controlWork: false, workTypeId: null, homework: '', given: 0 };
}

function toDraft(plan: PlanView): DraftRow[] {
  return plan.rows.map((row) => ({
    key: nextKey++,
    id: row.id,
    section: row.section,
    topic: row.topic,
    hours: String(row.hours),
    date: row.plannedDate ? russianDate(row.plannedDate) : '',
    week: row.plannedWeek === null ? '' : String(row.plannedWeek),
    controlWork: row.controlWork,
    workTypeId: row.workTypeId,
    homework: row.homework,
    given: row.given,
  }));
}

/** The rows as the core takes them, or the first problem in Russian. */
function toInput(rows: DraftRow[]) {
  const result = [];
  for (const [index, row] of rows.entries()) {
    const number = index + 1;
    if (!row.topic.trim()) return { problem: `Урок ${number}: укажите тему урока.` };
    const hours = Number(row.hours.trim());
    if (!Number.isInteger(hours) || hours < 1 || hours > 10) return { problem: `Урок ${number}: часы — целое число от 1 до 10.` };
    const plannedDate = row.date.trim() ? parseTypedDate(row.date) : null;
    if (row.date.trim() && !plannedDate) return { problem: `Урок ${number}: дата по плану — как дд.мм.гггг, например 01.09.2026.` };
    const week = row.week.trim() ? Number(row.week.trim()) : null;
    if (week !== null && (!Number.isInteger(week) || week < 1 || week > 53)) return { problem: `Урок ${number}: неделя — число от 1 до 53.` };
    result.push({ id: row.id, section: row.section.trim(), topic: row.topic.trim(), hours, plannedDate, plannedWeek: week, controlWork: row.controlWork, workTypeId: row.workTypeId, homework: row.homework.trim() });
  }
  return { rows: result };
}

/** Unsaved edits of a plan, kept on this PC per user and load until saved or discarded. */
interface KeptDraft {
  version: number | null;
  rows: DraftRow[];
  hoursNote: string;
  reason: string;
  keptAt: string;
}

function readKept(key: string): KeptDraft | null {
  try {
    const text = localStorage.getItem(key);
    return text ? (JSON.parse(text) as KeptDraft) : null;
  } catch {
    return null;
  }
}

export function PlanPage() {
  const loadId = Number(useParams().loadId);
  // Leaving the page, a reload or a conflict never loses the teacher's rows: while they are
  // unsaved they are kept here and offered back when she returns.
  const keptKey = `zhurnal.planDraft.${useSession().user.id}.${loadId}`;
  const [kept, setKept] = useState<KeptDraft | null>(null);
  const query = useApiQuery('plans.get', { loadId });
  const plan = query.data;
  const [rows, setRows] = useState<DraftRow[]>([]);
  const [hoursNote, setHoursNote] = useState('');
  const [reason, setReason] = useState('');
  const [dirty, setDirty] = useState(false);
  const [problem, setProblem] = useState<ApiError | string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [panel, setPanel] = useState<'none' | 'import' | 'copy'>('none');
  const action = useAction();

  function accept(view: PlanView) {
    setRows(toDraft(view));
    setHoursNote(view.hoursNote);
    setReason('');
    setDirty(false);
  }
  useEffect(() => {
    if (!plan) return;
    accept(plan);
    setKept(readKept(keptKey));
  }, [plan, keptKey]);
  useEffect(() => {
    if (!dirty || !plan) return;
    try {
      localStorage.setItem(keptKey, JSON.stringify({ version: plan.version, rows, hoursNote, reason, keptAt: new Date().toISOString() } satisfies KeptDraft));
    } catch {
      // A full storage leaves the edits on screen only; saving still works.
    }
  }, [dirty, rows, hoursNote, reason, plan, keptKey]);
  function forgetKept() {
    localStorage.removeItem(keptKey);
    setKept(null);
  }
  function restoreKept(draft: KeptDraft) {
    setRows(draft.rows);
    setHoursNote(draft.hoursNote);
    setReason(draft.reason);
    setDirty(true);
    setKept(null);
    setNotice(null);
  }

  if (query.error) return <ErrorMessage error={query.error} />;
  if (!plan) return <Loading />;
  const editable = plan.canEdit;
  const planned = rows.reduce((sum, row) => sum + (Number(row.hours) || 0), 0);
  const difference = planned - plan.curriculum.hours;

  function change(mutate: (rows: DraftRow[]) => DraftRow[]) {
    setRows((current) => mutate(current));
    setDirty(true);
    setNotice(null);
  }

  async function save(): Promise<PlanView | null> {
    const input = toInput(rows);
    if (input.problem !== undefined) {
      setProblem(input.problem);
      return null;
    }
    setProblem(null);
    try {
      const saved = await api.call('plans.save', { loadId, version: plan!.version, rows: input.rows, hoursNote, reason });
      localStorage.removeItem(keptKey);
      accept(saved);
      setNotice('Сохранено.');
      await query.reload();
      return saved;
    } catch (thrown) {
      const error = asApiError(thrown);
      if (error.kind === 'conflict') {
        setProblem('КТП за это время изменил другой пользователь. Показан сохранённый вариант; ваши изменения не потеряны — их можно вернуть кнопкой ниже и сохранить поверх.');
        await query.reload();
      } else setProblem(error);
      return null;
    }
  }

  return (
    <div className="plan-page">
      <p className="muted">
        <Link to="/plans">← Все КТП</Link>
      </p>
      <h2 className="plan-title">
        {plan.className}
        {plan.subgroupName ? `, ${plan.subgroupName}` : ''} — {plan.subjectName}
        <span className={`plan-status plan-status-${plan.status}`} aria-label="Состояние КТП">
          {planStatusTitles[plan.status]}
        </span>
      </h2>
      <p className="muted">
        {plan.teacherName}, {plan.yearName} учебный год.
      </p>
      <div className={difference === 0 ? 'plan-hours' : 'plan-hours plan-hours-off'} role="status" aria-label="Сверка часов">
        В плане {planned} {plural(planned, 'час', 'часа', 'часов')}; по учебному плану {plan.curriculum.hours} ({String(plan.curriculum.hoursPerWeek).replace('.', ',')} ч. в неделю × {plan.curriculum.weeks}{' '}
        {plural(plan.curriculum.weeks, 'неделя', 'недели', 'недель')}).
        {difference !== 0 && ` Расхождение: ${difference > 0 ? 'больше' : 'меньше'} на ${Math.abs(difference)} ${plural(Math.abs(difference), 'час', 'часа', 'часов')}${editable ? ' — объясните его, иначе КТП не утвердят' : ''}.`}
      </div>
      {kept && editable && (
        <div className="message message-warn" role="note" aria-label="Несохранённые изменения">
          На этом компьютере остались несохранённые изменения этого КТП ({kept.rows.length} {plural(kept.rows.length, 'урок', 'урока', 'уроков')}).
          {kept.version !== plan.version && ' С тех пор КТП сохранил другой пользователь: проверьте строки перед сохранением.'}{' '}
          <button type="button" className="button" onClick={() => restoreKept(kept)}>
            Вернуть мои изменения
          </button>{' '}
          <button type="button" className="button" onClick={forgetKept}>
            Отбросить
          </button>
        </div>
      )}
      {plan.reviewComment && plan.status === 'draft' && (
        <p className="message message-warn" role="note">
          Замечания заместителя директора: {plan.reviewComment}
        </p>
      )}
      {/* The hours warning of the saved plan is replaced by the live line above. */}
      {plan.warnings.filter((warning) => !warning.startsWith('Часов в плане ')).map((warning) => (
        <p key={warning} className="message message-warn">
          {warning}
        </p>
      ))}
      {editable && (
        <div className="toolbar plan-toolbar">
          <button type="button" className="button button-primary" disabled={action.busy || !dirty} onClick={() => void action.run(save)}>
            Сохранить
          </button>
          <button
            type="button"
            className="button"
            disabled={action.busy || dirty || plan.status !== 'draft' || plan.version === null}
            title={dirty ? 'Сначала сохраните изменения' : undefined}
            onClick={() =>
              void action.run(async () => {
                const sent = await api.call('plans.submit', { loadId, version: plan.version! });
                accept(sent);
                setNotice('КТП отправлен на проверку.');
                await query.reload();
              })
            }
          >
            Отправить на проверку
          </button>
          <button type="button" className="button" disabled={plan.status === 'approved'} onClick={() => setPanel(panel === 'import' ? 'none' : 'import')}>
            Загрузить из файла
          </button>
          <button type="button" className="button" disabled={plan.status === 'approved'} onClick={() => setPanel(panel === 'copy' ? 'none' : 'copy')}>
            Скопировать из…
          </button>
          <ExportButton loadId={loadId} />
          {dirty && <span className="muted">Есть несохранённые изменения.</span>}
        </div>
      )}
      {!editable && (
        <div className="toolbar plan-toolbar">
          <ExportButton loadId={loadId} />
        </div>
      )}
      <ErrorMessage error={problem ?? action.error} />
      {notice && (
        <p className="message message-success" role="status">
          {notice}
        </p>
      )}
      {panel === 'import' && editable && (
        <PlanImport
          loadId={loadId}
          version={plan.version}
          onDone={(view) => {
            accept(view);
            setPanel('none');
            setNotice('КТП загружен из файла.');
            void query.reload();
          }}
        />
      )}
      {panel === 'copy' && editable && (
        <CopyPanel
          loadId={loadId}
          version={plan.version}
          onDone={(view) => {
            accept(view);
            setPanel('none');
            setNotice('КТП скопирован. Даты по плану не переносятся — проставьте их или недели.');
            void query.reload();
          }}
        />
      )}
      {editable && rows.length > 0 && (difference !== 0 || hoursNote) && (
        <label className="plan-note">
          <span className="field-label">Объяснение расхождения часов с учебным планом</span>
          <textarea
            value={hoursNote}
            rows={2}
            maxLength={1000}
            onChange={(event) => {
              setHoursNote(event.target.value);
              setDirty(true);
            }}
          />
        </label>
      )}
      {!editable && plan.hoursNote && <p className="plan-note-read">Объяснение расхождения часов: {plan.hoursNote}</p>}
      {editable && plan.status === 'approved' && dirty && (
        <label className="plan-note">
          <span className="field-label">Причина корректировки утверждённого КТП</span>
          <input type="text" value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
        </label>
      )}
      <PlanGrid rows={rows} editable={editable} change={change} />
      {plan.canApprove && <PlanReview plan={plan} onDone={() => void query.reload()} />}
      {plan.corrections.length > 0 && (
        <section className="card">
          <h3>Корректировки</h3>
          <ul>
            {plan.corrections.map((correction) => (
              <li key={correction.at}>
                {russianDate(correction.at.slice(0, 10))}, {correction.byName}: {correction.reason} ({correction.summary})
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function ExportButton({ loadId }: { loadId: number }) {
  const exporting = useAction();
  return (
    <>
      <button type="button" className="button" disabled={exporting.busy} onClick={() => void exporting.run(async () => saveBase64File(await api.call('plans.export', { loadId })))}>
        {exporting.busy ? 'Готовлю файл…' : 'Выгрузить в Excel'}
      </button>
      <ErrorMessage error={exporting.error} />
    </>
  );
}

function CopyPanel({ loadId, version, onDone }: { loadId: number; version: number | null; onDone(view: PlanView): void }) {
  const sources = useApiQuery('plans.copySources', { loadId });
  const copying = useAction();
  return (
    <section className="card" aria-label="Скопировать КТП">
      <h3>Скопировать КТП из другого плана</h3>
      <p className="muted small">Строки текущего плана заменятся строками выбранного.</p>
      <ErrorMessage error={sources.error ?? copying.error} />
      {sources.data && sources.data.length === 0 && <p className="muted">Нет планов этой параллели по этому предмету — ни в этом году, ни в прошлом.</p>}
      {sources.data && sources.data.length > 0 && (
        <table className="table table-compact">
          <tbody>
            {sources.data.map((source) => (
              <tr key={source.loadId}>
                <td>{source.yearName}</td>
                <td>
                  {source.className}
                  {source.subgroupName ? `, ${source.subgroupName}` : ''}
                </td>
                <td>{source.teacherName}</td>
                <td>
                  {source.rows} {plural(source.rows, 'урок', 'урока', 'уроков')}, {source.plannedHours} ч.
                </td>
                <td>
                  <button type="button" className="button" disabled={copying.busy} onClick={() => void copying.run(async () => onDone(await api.call('plans.copy', { fromLoadId: source.loadId, toLoadId: loadId, version })))}>
                    Скопировать
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PlanGrid({ rows, editable, change }: { rows: DraftRow[]; editable: boolean; change(mutate: (rows: DraftRow[]) => DraftRow[]): void }) {
  const table = useRef<HTMLTableElement>(null);
  const workTypesQuery = useApiQuery('settings.workTypes.list', { includeInactive: true });
  const workTypes: WorkTypeOption[] = workTypesQuery.data ?? [];
  const [focusAfter, setFocusAfter] = useState<{ row: number; column: Column } | null>(null);

  useEffect(() => {
    if (!focusAfter) return;
    table.current?.querySelector<HTMLElement>(`[data-cell="${focusAfter.row}:${focusAfter.column}"]`)?.focus();
    setFocusAfter(null);
  }, [focusAfter, rows]);

  function setCell(index: number, column: Column, value: string | boolean) {
    change((current) => current.map((row, at) => (at === index ? { ...row, [column]: value } : row)));
  }
  function setWorkType(index: number, workTypeId: number | null) {
    change((current) => current.map((row, at) => (at === index ? { ...row, workTypeId } : row)));
  }
  function insertBelow(index: number) {
    change((current) => [...current.slice(0, index + 1), emptyRow(), ...current.slice(index + 1)]);
    setFocusAfter({ row: index + 1, column: 'topic' });
  }
  function remove(index: number) {
    change((current) => current.filter((_, at) => at !== index));
  }
  function move(index: number, by: -1 | 1) {
    const target = index + by;
    if (target < 0 || target >= rows.length) return;
    change((current) => {
      const next = [...current];
      [next[index], next[target]] = [next[target]!, next[index]!];
      return next;
    });
    setFocusAfter({ row: target, column: 'topic' });
  }

  function onKey(event: KeyboardEvent<HTMLElement>, index: number, column: Column) {
    const columnAt = columns.indexOf(column);
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      if (index === rows.length - 1) insertBelow(index);
      else setFocusAfter({ row: index + 1, column });
    } else if (event.altKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
      // Alt+↓ opens a select's list, as everywhere.
    } else if (event.key === 'ArrowDown' && index < rows.length - 1) {
      event.preventDefault();
      setFocusAfter({ row: index + 1, column });
    } else if (event.key === 'ArrowUp' && index > 0) {
      event.preventDefault();
      setFocusAfter({ row: index - 1, column });
    } else if (event.altKey && event.key === 'ArrowLeft' && columnAt > 0) {
      event.preventDefault();
      setFocusAfter({ row: index, column: columns[columnAt - 1]! });
    } else if (event.altKey && event.key === 'ArrowRight' && columnAt < columns.length - 1) {
      event.preventDefault();
      setFocusAfter({ row: index, column: columns[columnAt + 1]! });
    }
  }

  /** A block copied from a spreadsheet fills the rows from this cell on, adding rows as needed. */
  function onPaste(event: ClipboardEvent<HTMLElement>, index: number, column: Column) {
    const text = event.clipboardData.getData('text/plain');
    if (!text.includes('\t') && !text.includes('\n')) return;
    event.preventDefault();
    const block = parsePasted(text);
    const first = columns.indexOf(column);
    change((current) => {
      const next = [...current];
      block.forEach((cells, offset) => {
        const at = index + offset;
        const row: DraftRow = { ...(next[at] ?? emptyRow()) };
        cells.forEach((cell, shift) => {
          const target = columns[first + shift];
          if (!target) return;
          if (target === 'controlWork') row.controlWork = /^(да|\+|1|к\/р|кр)$/i.test(cell.trim());
          else if (target === 'workType') row.workTypeId = workTypeNamed(workTypes, cell);
          else row[target] = cell.trim();
        });
        next[at] = row;
      });
      return next;
    });
  }

  if (rows.length === 0) {
    return (
      <div className="plan-empty">
        <p className="muted">В плане пока нет уроков.</p>
        {editable && (
          <button type="button" className="button" onClick={() => insertBelow(-1)}>
            Добавить урок
          </button>
        )}
      </div>
    );
  }
  return (
    <div className="plan-grid-wrap">
      {editable && <p className="muted small">Enter — на строку ниже (в последней — новый урок), ↑ ↓ — по строкам, Tab и Alt+← → — по столбцам. Блок из Excel вставляется с выбранной ячейки.</p>}
      <table ref={table} className="table table-compact plan-grid" aria-label="Уроки КТП">
        <thead>
          <tr>
            <th className="cell-number">№</th>
            {columns.map((column) => (
              <th key={column} className={`plan-col-${column}`}>
                {columnTitles[column]}
              </th>
            ))}
            <th className="cell-number" title="Дано уроков по этой теме">
              Дано
            </th>
            {editable && <th className="plan-col-actions">Действия</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.key}>
              <td className="cell-number">{index + 1}</td>
              {columns.map((column) => (
                <td key={column} className={`plan-col-${column}`}>
                  {column === 'controlWork' ? (
                    <input
                      type="checkbox"
                      data-cell={`${index}:${column}`}
                      aria-label={`Урок ${index + 1}: контрольная работа`}
                      checked={row.controlWork}
                      disabled={!editable}
                      onChange={(event) => setCell(index, 'controlWork', event.target.checked)}
                      onKeyDown={(event) => onKey(event, index, column)}
                    />
                  ) : column === 'workType' ? (
                    editable ? (
                      <select
                        data-cell={`${index}:${column}`}
                        aria-label={`Урок ${index + 1}: вид работы`}
                        value={row.workTypeId ?? ''}
                        onChange={(event) => setWorkType(index, event.target.value === '' ? null : Number(event.target.value))}
                        onKeyDown={(event) => onKey(event, index, column)}
                      >
                        <option value="">—</option>
                        {workTypes
                          .filter((w) => w.active || w.id === row.workTypeId)
                          .map((w) => (
                            <option key={w.id} value={w.id}>
                              {w.name}
                            </option>
                          ))}
                      </select>
                    ) : (
                      <span>{workTypes.find((w) => w.id === row.workTypeId)?.name ?? ''}</span>
                    )
                  ) : editable ? (
                    <input
                      type="text"
                      data-cell={`${index}:${column}`}
                      aria-label={`Урок ${index + 1}: ${columnTitles[column].toLowerCase()}`}
                      value={row[column]}
                      inputMode={column === 'hours' || column === 'week' ? 'numeric' : undefined}
                      placeholder={column === 'date' ? 'дд.мм.гггг' : undefined}
                      onChange={(event) => setCell(index, column, event.target.value)}
                      onKeyDown={(event) => onKey(event, index, column)}
                      onPaste={(event) => onPaste(event, index, column)}
                    />
                  ) : (
                    <span>{row[column]}</span>
                  )}
                </td>
              ))}
              <td className="cell-number">{row.given > 0 ? row.given : ''}</td>
              {editable && (
                <td className="plan-col-actions">
                  <button type="button" className="button-link" title="Вставить урок ниже" aria-label={`Вставить урок после ${index + 1}`} onClick={() => insertBelow(index)}>
                    +
                  </button>
                  <button type="button" className="button-link" title="Выше" aria-label={`Урок ${index + 1} выше`} disabled={index === 0} onClick={() => move(index, -1)}>
                    ↑
                  </button>
                  <button type="button" className="button-link" title="Ниже" aria-label={`Урок ${index + 1} ниже`} disabled={index === rows.length - 1} onClick={() => move(index, 1)}>
                    ↓
                  </button>
                  <button type="button" className="button-link plan-remove" title="Удалить урок" aria-label={`Удалить урок ${index + 1}`} onClick={() => remove(index)}>
                    ✕
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
