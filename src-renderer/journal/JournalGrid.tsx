import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type ClipboardEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { MAX_BATCH_CELLS, type FinalView, type JournalPage } from '../../src-shared/contract/journal';
import { attendanceTitles, isUnresolved } from '../../src-shared/rules/attendance';
import { shortPeriodName, yearFinalKinds, type YearFinalKind } from '../../src-shared/rules/finals';
import { abbreviate } from './abbreviate';
import { EditedMap } from './edited-map';
import { isCompleteEntry, parseEntry, parsePasted, splitCellText } from './entry';
import { cellKey, finalKey, isUnsentLesson, studentOfKey, type CellAttendance, type CellMark, type CellStatus, type JournalModel, type JournalState } from './model';
import './journal.css';

// The paper journal's page on screen: students down, lessons across, the average and the
// period final at the right. Rows and lesson columns are virtualised (@tanstack/react-virtual)
// so a class of 35 with 60 lessons scrolls smoothly; № and ФИО stay at the left, the
// average and finals at the right. The last period's page goes on, as on paper, with the
// year's columns: «Год», and in the 9th and 11th grades «Экз.» and «Итог.» — each the
// teacher's decision with the suggested value small beside it.

const ROW_HEIGHT = 30;
const HEADER_HEIGHT = 58;
const LESSON_WIDTH = 50;
const NUMBER_WIDTH = 30;
const NAME_WIDTH = 200;
const AVERAGE_WIDTH = 50;
const SUGGESTED_WIDTH = 44;
const FINAL_WIDTH = 56;
const LEFT_WIDTH = NUMBER_WIDTH + NAME_WIDTH;
const YEAR_FINAL_WIDTH = 56;
const RIGHT_WIDTH = AVERAGE_WIDTH + SUGGESTED_WIDTH + FINAL_WIDTH;

const yearFinalHeads: Record<YearFinalKind, { text: string; title: string; label: string }> = {
  year: { text: 'Год', label: 'годовая', title: 'Годовая отметка: решение учителя; маленькая цифра — расчётная по итоговым за периоды. «отл» — отложить' },
  exam: { text: 'Экз.', label: 'экзаменационная', title: 'Экзаменационная отметка. «отл» — отложить' },
  final: { text: 'Итог.', label: 'итоговая (аттестат)', title: 'Итоговая отметка (в аттестат): решение учителя; маленькая цифра — расчётная по годовой и экзаменационной' },
};

export interface ActiveCell {
  row: number;
  /** A lesson column, `lessons.length` for the period final, then the year's finals. */
  col: number;
}

export interface SelectedCell {
  studentId: number;
  /** null: a final — the period's, or the one `yearFinal` names. */
  lessonId: number | null;
  yearFinal?: YearFinalKind;
}

export interface JournalGridProps {
  model: JournalModel;
  /** The page (its lessons and students); the cells' contents the rows read from the model themselves. */
  page: JournalPage;
  /** Work type given to new marks. */
  workTypeId: number;
  onSelect(cell: SelectedCell): void;
  /** A value typed into a locked cell: offer a change request instead. */
  onLockedEntry(cell: SelectedCell, typed: string): void;
  onOpenLesson(lessonId: number): void;
}

/** The DOM id of a cell: the grid names its active cell to screen readers by it. */
export const cellDomId = (row: number, col: number) => `jg-cell-${row}-${col}`;

const shortDate = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}`;
const formatAverage = (average: number | null, decimals: number) => (average === null ? '' : average.toFixed(decimals).replace('.', ','));

type Lesson = JournalPage['lessons'][number];
type Student = JournalPage['students'][number];

function studentOnListOn(student: Student, date: string): boolean {
  return student.from <= date && (student.to === null || date <= student.to);
}

function statusTitle(status: CellStatus | undefined): string {
  if (!status) return '';
  switch (status.kind) {
    case 'saving':
      return 'Сохраняю…';
    case 'saved':
      return 'Сохранено';
    default:
      return status.message;
  }
}

/** Adds to `into` the students whose entries differ between two versions of one map. */
function diffInto<K, V>(before: ReadonlyMap<K, V>, after: ReadonlyMap<K, V>, studentOf: (key: K) => number, into: Set<number>) {
  if (before === after) return;
  const edited = after instanceof EditedMap ? (after as EditedMap<K, V>).editedSince(before) : null;
  if (edited) {
    for (const key of edited) if (before.get(key) !== after.get(key)) into.add(studentOf(key));
    return;
  }
  for (const [key, value] of after) if (before.get(key) !== value) into.add(studentOf(key));
  for (const key of before.keys()) if (!after.has(key)) into.add(studentOf(key));
}

/**
 * The students whose rows show something else in `after` than in `before` (same page): a
 * keystroke changes one cell, so one row is drawn again, not every row on screen. Null when
 * the page itself changed (every row is drawn again).
 */
function changedStudents(before: JournalState, after: JournalState): Set<number> | null {
  if (before.page !== after.page) return null;
  const changed = new Set<number>();
  diffInto(before.marks, after.marks, studentOfKey, changed);
  diffInto(before.attendance, after.attendance, studentOfKey, changed);
  diffInto(before.status, after.status, studentOfKey, changed);
  diffInto(before.yearFinals, after.yearFinals, studentOfKey, changed);
  diffInto(before.finals, after.finals, (studentId) => studentId, changed);
  // The year's suggestion reads the other periods' finals.
  diffInto(before.otherPeriodFinals, after.otherPeriodFinals, (studentId) => studentId, changed);
  return changed;
}

/**
 * The model's state as the rows see it: each row listens for its own student, so a keystroke
 * renders the one row it changed and nothing above it — not the page, not the grid with its
 * hundred row parts to compare.
 */
class RowChanges {
  state: JournalState;
  private readonly revisions = new Map<number, number>();
  private readonly listeners = new Map<number, Set<() => void>>();
  private epoch = 0;

  constructor(private readonly model: JournalModel) {
    this.state = model.getState();
  }

  /** Follows the model from now on (and catches up with what changed before); returns the stop. */
  follow(): () => void {
    const stop = this.model.subscribe(() => this.update());
    this.update();
    return stop;
  }

  private update() {
    const next = this.model.getState();
    if (next === this.state) return;
    const changed = changedStudents(this.state, next);
    this.state = next;
    if (changed === null) {
      this.epoch++;
      for (const listeners of this.listeners.values()) for (const listener of listeners) listener();
      return;
    }
    for (const studentId of changed) {
      this.revisions.set(studentId, (this.revisions.get(studentId) ?? 0) + 1);
      for (const listener of this.listeners.get(studentId) ?? []) listener();
    }
  }

  subscribe(studentId: number, listener: () => void): () => void {
    const listeners = this.listeners.get(studentId) ?? new Set();
    listeners.add(listener);
    this.listeners.set(studentId, listeners);
    return () => listeners.delete(listener);
  }

  /** Changes whenever the row must be drawn again. */
  revision(studentId: number): string {
    return `${this.epoch}:${this.revisions.get(studentId) ?? 0}`;
  }
}

/** The state a row draws: read again only when its own cells changed. */
function useRowState(changes: RowChanges, studentId: number): JournalState {
  useSyncExternalStore(
    useCallback((listener: () => void) => changes.subscribe(studentId, listener), [changes, studentId]),
    () => changes.revision(studentId),
  );
  return changes.state;
}

/**
 * Scrolls to an item only when it is not wholly in view. Every scroll command, even to where
 * the grid already is, writes the scroll position (a forced layout) and starts the
 * virtualiser's checks over the next frames: with an arrow key at each mark they landed
 * between the next digit and the frame that shows it.
 */
function reveal(virtualizer: Virtualizer<HTMLDivElement, Element>, index: number) {
  const target = virtualizer.getOffsetForIndex(index, 'auto');
  if (target && Math.abs(target[0] - (virtualizer.scrollOffset ?? 0)) >= 1) virtualizer.scrollToIndex(index, { align: 'auto' });
}

/** Room for a cell's content, px: its width less the border and a margin for wide glyphs. */
const CELL_ROOM = LESSON_WIDTH - 6;

/**
 * Whether a cell's content may be wider than the cell (three marks, a code and weights…). Only
 * such cells clip: a clip on every cell splits the page's paint into hundreds of pieces that
 * each frame walks again.
 */
function mayOverflow(marks: readonly CellMark[] | undefined, code: string | null, buffer: string): boolean {
  if (buffer) return buffer.length > 3;
  const items = (marks?.length ?? 0) + (code ? 1 : 0);
  if (items < 2) return (marks?.[0]?.value.length ?? 0) > 3;
  // A digit is about 9 px wide, a weight's subscript 7, a code 20, the gap between items 4.
  let width = (code ? 20 : 0) + 4 * (items - 1);
  for (const mark of marks ?? []) width += 9 * mark.value.length + (mark.weight !== 1 ? 7 : 0);
  return width > CELL_ROOM;
}

interface LessonCellProps {
  marks: readonly CellMark[] | undefined;
  attendance: CellAttendance | undefined;
  status: CellStatus | undefined;
  active: boolean;
  buffer: string;
  locked: boolean;
  inactive: boolean;
  label: string;
  row: number;
  col: number;
  workTypeNames: ReadonlyMap<number, string>;
  /** The lesson is kept on this PC, not yet created on the server. */
  unsent: boolean;
}

const LessonCell = memo(function LessonCell({ marks, attendance, status, active, buffer, locked, inactive, label, row, col, workTypeNames, unsent }: LessonCellProps) {
  const code = attendance?.code ?? null;
  const details: string[] = [];
  for (const mark of marks ?? []) {
    const type = workTypeNames.get(mark.workTypeId) ?? 'вид работы';
    details.push(`${mark.value} — ${type} (вес ${String(mark.weight).replace('.', ',')})${mark.comment ? `: ${mark.comment}` : ''}${mark.makeUp ? ', отработка' : ''}`);
  }
  if (code) details.push(`${code} — ${attendanceTitles[code]}`);
  if (locked && !inactive) details.push('Закрыто для исправления');
  const state = statusTitle(status);
  if (state) details.push(state);
  const classes = ['jg-cell'];
  if (mayOverflow(marks, code, active ? buffer : '')) classes.push('jg-clip');
  if (active) classes.push('jg-active');
  if (locked) classes.push('jg-locked');
  if (inactive) classes.push('jg-inactive');
  if (status) classes.push(`jg-state-${status.kind}`);
  if (unsent) classes.push('jg-unsent');
  return (
    <div
      role="gridcell"
      id={cellDomId(row, col)}
      className={classes.join(' ')}
      aria-label={label}
      aria-selected={active}
      aria-readonly={locked || undefined}
      aria-colindex={col + 3}
      data-row={row}
      data-col={col}
      data-state={status?.kind}
      title={details.join('\n') || undefined}
    >
      {active && buffer ? (
        <span className="jg-buffer">{buffer}</span>
      ) : (
        <>
          {code && <span className={`jg-code ${isUnresolved(code) ? 'jg-code-open' : ''}`}>{code}</span>}
          {marks?.map((mark) => (
            <span key={mark.localId} className={`jg-mark ${mark.pending ? 'jg-pending' : ''} ${mark.weight > 1 ? 'jg-heavy' : ''} ${mark.comment ? 'jg-mark-commented' : ''}`}>
              {mark.value}
              {mark.weight !== 1 && <sub className="jg-weight">{String(mark.weight).replace('.', ',')}</sub>}
              {mark.comment && <span className="jg-commented" aria-hidden="true" />}
            </span>
          ))}
        </>
      )}
      {status && status.kind !== 'saved' && <span className={`jg-flag jg-flag-${status.kind}`} aria-hidden="true" />}
    </div>
  );
});

interface FinalCellProps {
  final: FinalView | undefined;
  status: CellStatus | undefined;
  active: boolean;
  buffer: string;
  locked: boolean;
  label: string;
  row: number;
  col: number;
  /** The suggested value, shown small beside the decision (the year's columns). */
  hint?: string | null;
}

const FinalCell = memo(function FinalCell({ final, status, active, buffer, locked, label, row, col, hint }: FinalCellProps) {
  const classes = ['jg-cell', 'jg-final'];
  if (active) classes.push('jg-active');
  if (locked) classes.push('jg-locked');
  if (status) classes.push(`jg-state-${status.kind}`);
  const title = [final?.deferred ? 'Отложена (ученик болел)' : '', statusTitle(status)].filter(Boolean).join('\n');
  return (
    <div
      role="gridcell"
      id={cellDomId(row, col)}
      className={classes.join(' ')}
      aria-label={label}
      aria-selected={active}
      aria-colindex={col + 5}
      data-row={row}
      data-col={col}
      data-state={status?.kind}
      title={title || undefined}
    >
      {active && buffer ? <span className="jg-buffer">{buffer}</span> : <span className="jg-final-value">{final?.deferred ? 'отл.' : (final?.value ?? '')}</span>}
      {hint && !(active && buffer) && (
        <span className="jg-hint" title={`Расчётная: ${hint}`}>
          {hint}
        </span>
      )}
      {status && status.kind !== 'saved' && <span className={`jg-flag jg-flag-${status.kind}`} aria-hidden="true" />}
    </div>
  );
});

interface LessonHeadProps {
  lesson: Lesson;
  /** The active cell is in this lesson's column. */
  active: boolean;
  today: boolean;
  workTypeNames: ReadonlyMap<number, string>;
  onOpenLesson(lessonId: number): void;
}

/** A lesson's column header: date, kind of work or topic; drawn again only when these change. */
const LessonHead = memo(function LessonHead({ lesson, active, today, workTypeNames, onOpenLesson }: LessonHeadProps) {
  const unsent = isUnsentLesson(lesson.id);
  const lessonWorkTypes = lesson.workTypeIds.map((typeId) => workTypeNames.get(typeId)).filter((name): name is string => Boolean(name));
  // The second line: the lesson's kind of work when it has one («Контр.»), else its topic, abbreviated.
  const caption = lessonWorkTypes[0] ? abbreviate(lessonWorkTypes[0]) : lesson.topic ? abbreviate(lesson.topic) : '—';
  const title = [
    `${shortDate(lesson.date)}${lesson.lessonNumber ? `, ${lesson.lessonNumber}-й урок` : ''}`,
    lesson.topic ? `Тема: ${lesson.topic}` : 'Тема не записана',
    lessonWorkTypes.length > 0 ? `Виды работ: ${lessonWorkTypes.join(', ')}` : '',
    lesson.homework ? `Д/з: ${lesson.homework}${lesson.homeworkFor ? ` (к ${shortDate(lesson.homeworkFor)})` : ''}` : '',
    lesson.substitution ? `Замена: ${lesson.givenByName}` : '',
    lesson.pastEditWindow ? 'Срок исправления прошёл' : '',
    unsent ? 'Не отправлено: урок сохранён на этом компьютере и будет записан, когда связь с сервером вернётся' : '',
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <button
      type="button"
      role="columnheader"
      className={`jg-lesson-head ${active ? 'jg-head-active' : ''} ${lesson.topic ? '' : 'jg-no-topic'} ${today ? 'jg-today' : ''} ${unsent ? 'jg-unsent' : ''}`}
      style={{ width: LESSON_WIDTH }}
      title={title}
      aria-label={`Урок ${shortDate(lesson.date)}${lesson.topic ? `: ${lesson.topic}` : ''}${unsent ? ' (не отправлено)' : ''}`}
      tabIndex={-1}
      onClick={() => onOpenLesson(lesson.id)}
    >
      <span className="jg-date">{shortDate(lesson.date)}</span>
      <span className="jg-topic">{caption}</span>
      {lesson.substitution && !unsent && <span className="jg-sub">зам.</span>}
      {unsent && (
        <span className="jg-unsent-mark" aria-hidden="true">
          не отпр.
        </span>
      )}
    </button>
  );
});

/** Memoised: a new selection redraws the page's lines about the cell, not the grid. */
export const JournalGrid = memo(function JournalGrid({ model, page, workTypeId, onSelect, onLockedEntry, onOpenLesson }: JournalGridProps) {
  const { lessons, students } = page;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<ActiveCell>(() => ({ row: 0, col: Math.max(0, lessons.length - 1) }));
  const [buffer, setBuffer] = useState('');
  const finalCol = lessons.length;
  const markRules = useMemo(() => ({ scale: page.rules.markScale, specialMarks: page.rules.specialMarks }), [page.rules]);
  const workTypeNames = useMemo(() => new Map(page.workTypes.map((type) => [type.id, type.name])), [page.workTypes]);
  // Finals are the load's teacher's (a substitute gives lessons, not finals; D-19: none in grades 0–1).
  const finalLocked = !page.canEdit || page.load.access !== 'own' || page.periodLocked || page.load.noMarks;
  // The year's finals stay open after the last period closes: they are set after it.
  const yearLocked = !page.canEdit || page.load.access !== 'own' || page.load.noMarks;
  const isLastPeriod = page.load.periods[page.load.periods.length - 1]?.id === page.period.id;
  const yearKinds = useMemo(
    () => (isLastPeriod && !page.load.noMarks ? yearFinalKinds(page.load.grade, page.finals.map((final) => final.kind)) : []),
    [isLastPeriod, page.load.noMarks, page.load.grade, page.finals],
  );
  const lastCol = finalCol + yearKinds.length;
  const rightWidth = RIGHT_WIDTH + yearKinds.length * YEAR_FINAL_WIDTH;
  const yearWidth = yearKinds.length * YEAR_FINAL_WIDTH;
  /** The year's final of a column right of the period final, if it is one. */
  const yearKindOf = (col: number): YearFinalKind | undefined => (col > finalCol ? yearKinds[col - finalCol - 1] : undefined);

  // The scroll paddings are the sticky parts (the header row; № and name at the left, the
  // average and finals at the right): a cell scrolled to is never left under them.
  const rows = useVirtualizer({ count: students.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 3, paddingStart: HEADER_HEIGHT, scrollPaddingStart: HEADER_HEIGHT });
  const columns = useVirtualizer({
    horizontal: true,
    count: lessons.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LESSON_WIDTH,
    overscan: 2,
    paddingStart: LEFT_WIDTH,
    paddingEnd: rightWidth,
    scrollPaddingStart: LEFT_WIDTH,
    scrollPaddingEnd: rightWidth,
  });

  // Data arrived → grid on screen: the bench reads this measure (tests/bench/suites/journal-ui.ts).
  useLayoutEffect(() => {
    // Ready to type: the grid has the focus, scrolled to the latest lesson.
    scrollRef.current?.focus({ preventScroll: true });
    if (lessons.length > 0) columns.scrollToIndex(lessons.length - 1, { align: 'end' });
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        if (performance.getEntriesByName('journal-data', 'mark').length > 0) {
          performance.measure('journal-render', 'journal-data');
          performance.clearMarks('journal-data');
        }
      };
      channel.port2.postMessage(null);
    });
    // Once, when the grid first shows.
  }, []);

  const cellOf = useCallback(
    (cell: ActiveCell): SelectedCell | null => {
      const student = students[cell.row];
      if (!student) return null;
      const yearFinal = cell.col > lessons.length ? yearKinds[cell.col - lessons.length - 1] : undefined;
      return { studentId: student.id, lessonId: cell.col < lessons.length ? lessons[cell.col]!.id : null, ...(yearFinal ? { yearFinal } : {}) };
    },
    [students, lessons, yearKinds],
  );

  const isLocked = useCallback(
    (lesson: Lesson, student: Student) => !lesson.editable || page.load.noMarks || !studentOnListOn(student, lesson.date),
    [page.load.noMarks],
  );

  useEffect(() => {
    const cell = cellOf(active);
    if (cell) onSelect(cell);
  }, [active, cellOf, onSelect]);

  const moveTo = useCallback(
    (next: ActiveCell) => {
      const row = Math.max(0, Math.min(students.length - 1, next.row));
      const col = Math.max(0, Math.min(lastCol, next.col));
      setActive({ row, col });
      reveal(rows, row);
      if (col < lessons.length) reveal(columns, col);
    },
    [students.length, lastCol, lessons.length, rows, columns],
  );

  function showProblem(cell: ActiveCell, message: string) {
    const selected = cellOf(cell);
    if (!selected) return;
    model.showError(selected.lessonId === null ? finalKey(selected.studentId, selected.yearFinal) : cellKey(selected.lessonId, selected.studentId), message);
  }

  /** Saves what was typed into the cell; false when it was refused on the spot. */
  function commit(text: string, cell: ActiveCell = active): boolean {
    if (buffer !== '') setBuffer(''); // even an unchanged state would render the grid once more
    if (text.trim() === '') return true;
    const student = students[cell.row];
    if (!student) return false;
    if (!page.canEdit) {
      showProblem(cell, 'Страница открыта только для просмотра.');
      return false;
    }
    if (cell.col >= finalCol) {
      const kind = yearKindOf(cell.col) ?? 'period';
      if (kind === 'period' ? finalLocked : yearLocked) {
        showProblem(
          cell,
          page.load.access !== 'own' || page.load.noMarks
            ? 'Итоговые отметки здесь не выставляются.'
            : 'Период закрыт: итоговые отметки изменяет администратор, открыв период.',
        );
        return false;
      }
      const lower = text.trim().toLowerCase();
      if (lower === 'отл' || lower === 'отл.') {
        model.enterFinal(student.id, '', true, kind);
        return true;
      }
      const parsed = parseEntry(text, markRules);
      if (!parsed.ok || parsed.entry.kind === 'attendance') {
        showProblem(cell, parsed.ok ? 'В итоговую отметку пропуск не ставится.' : parsed.message);
        return false;
      }
      if (parsed.entry.kind === 'clear') model.clearFinal(student.id, kind);
      else model.enterFinal(student.id, parsed.entry.value, false, kind);
      return true;
    }
    const lesson = lessons[cell.col]!;
    if (isLocked(lesson, student)) {
      if (!studentOnListOn(student, lesson.date)) showProblem(cell, 'Ученика нет в списке класса на дату урока.');
      else if (page.load.noMarks) showProblem(cell, 'В этом классе отметки не ставятся (безотметочное обучение).');
      else onLockedEntry({ studentId: student.id, lessonId: lesson.id }, text);
      return false;
    }
    const parsed = parseEntry(text, markRules);
    if (!parsed.ok) {
      showProblem(cell, parsed.message);
      return false;
    }
    const { entry } = parsed;
    if (entry.kind === 'mark') model.enterMark(lesson.id, student.id, entry.value, workTypeId);
    else if (entry.kind === 'attendance') model.enterAttendance(lesson.id, student.id, entry.code);
    else model.clearCells([{ lessonId: lesson.id, studentId: student.id }]);
    return true;
  }

  function clearActive() {
    const student = students[active.row];
    if (!student || !page.canEdit) return;
    if (active.col >= finalCol) {
      const kind = yearKindOf(active.col) ?? 'period';
      if (!(kind === 'period' ? finalLocked : yearLocked)) model.clearFinal(student.id, kind);
      return;
    }
    const lesson = lessons[active.col]!;
    if (isLocked(lesson, student)) {
      onLockedEntry({ studentId: student.id, lessonId: lesson.id }, '');
      return;
    }
    model.clearCells([{ lessonId: lesson.id, studentId: student.id }]);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if ((event.ctrlKey || event.metaKey) && (event.key === 'Home' || event.key === 'End')) {
      // Ctrl+Home: the first student's first lesson; Ctrl+End: the last student's latest lesson.
      event.preventDefault();
      commit(buffer);
      moveTo(event.key === 'Home' ? { row: 0, col: 0 } : { row: students.length - 1, col: Math.max(0, lessons.length - 1) });
      return;
    }
    if (event.ctrlKey || event.metaKey) {
      // Ctrl+Z on any layout (the Russian one sends «я»).
      if (event.code === 'KeyZ' && !event.shiftKey) {
        event.preventDefault();
        setBuffer('');
        model.undo();
      }
      return; // Ctrl+V arrives as a paste event
    }
    if (event.altKey) return;
    const { row, col } = active;
    const go = (next: ActiveCell) => {
      event.preventDefault();
      commit(buffer);
      moveTo(next);
    };
    switch (event.key) {
      case 'ArrowUp':
        return go({ row: row - 1, col });
      case 'ArrowDown':
        return go({ row: row + 1, col });
      case 'ArrowLeft':
        return go({ row, col: col - 1 });
      case 'ArrowRight':
        return go({ row, col: col + 1 });
      case 'Enter':
        return go({ row: row + (event.shiftKey ? -1 : 1), col });
      case 'Tab':
        if ((event.shiftKey && col === 0) || (!event.shiftKey && col === lastCol)) {
          commit(buffer);
          return; // leave the grid
        }
        return go({ row, col: col + (event.shiftKey ? -1 : 1) });
      case 'Home':
        return go({ row, col: 0 });
      case 'End':
        return go({ row, col: Math.max(0, lessons.length - 1) });
      case 'PageDown':
        return go({ row: row + 10, col });
      case 'PageUp':
        return go({ row: row - 10, col });
      case 'Escape':
        event.preventDefault();
        setBuffer('');
        return;
      case 'Backspace':
      case 'Delete':
        event.preventDefault();
        if (buffer && event.key === 'Backspace') setBuffer(buffer.slice(0, -1));
        else if (buffer) setBuffer('');
        else clearActive();
        return;
      default:
        if (event.key.length !== 1 || event.key === ' ') return;
        event.preventDefault();
        {
          const typed = buffer + event.key;
          // «5» or «оп» is whole already: saved at once; «н» waits (it could become «н/а»).
          if (isCompleteEntry(typed, markRules, col >= finalCol)) commit(typed);
          else setBuffer(typed);
        }
    }
  }

  function onPaste(event: ClipboardEvent<HTMLDivElement>) {
    const text = event.clipboardData.getData('text/plain');
    if (!text) return;
    event.preventDefault();
    setBuffer('');
    if (!page.canEdit) return;
    const block = parsePasted(text);
    const cells: Parameters<JournalModel['enterMany']>[0][number][] = [];
    const refused: string[] = [];
    const refusedKeys: [string, string][] = [];
    const refuse = (student: Student, lesson: Lesson, why: string) => {
      refused.push(`${student.fullName}, ${shortDate(lesson.date)}: ${why}`);
      refusedKeys.push([cellKey(lesson.id, student.id), why]);
    };
    block.forEach((line, dRow) =>
      line.forEach((value, dCol) => {
        const student = students[active.row + dRow];
        const lesson = lessons[active.col + dCol];
        if (!student || !lesson) return;
        const parts = splitCellText(value);
        if (parts.length === 0) return;
        if (isLocked(lesson, student)) {
          refuse(student, lesson, studentOnListOn(student, lesson.date) ? 'закрыто для исправления' : 'ученика нет в списке на дату урока');
          return;
        }
        const entries: ({ kind: 'mark'; value: string } | { kind: 'attendance'; code: 'ОТ' | 'ОП' })[] = [];
        for (const part of parts) {
          const parsed = parseEntry(part, markRules);
          if (parsed.ok && parsed.entry.kind !== 'clear') entries.push(parsed.entry);
          else if (!parsed.ok) refuse(student, lesson, parsed.message);
        }
        cells.push({ lessonId: lesson.id, studentId: student.id, entries });
      }),
    );
    // All or nothing, as the core saves it: a block with a cell that cannot go in is not pasted.
    if (refused.length > 0) {
      for (const [key, why] of refusedKeys) model.showError(key, why);
      model.notify('error', `Вставка не выполнена — исправьте и вставьте снова. Не подходит (${refused.length}): ${refused.slice(0, 3).join('; ')}${refused.length > 3 ? '…' : ''}`);
      return;
    }
    const entries = cells.reduce((sum, cell) => sum + cell.entries.length, 0);
    if (entries > MAX_BATCH_CELLS) {
      model.notify('error', `Слишком большой блок: ${entries} отметок. За один раз вставляется не больше ${MAX_BATCH_CELLS} — вставьте частями.`);
      return;
    }
    model.enterMany(cells, workTypeId);
  }

  function onMouseDown(event: MouseEvent<HTMLDivElement>) {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-row][data-col]');
    if (!target) return;
    if (buffer) commit(buffer);
    moveTo({ row: Number(target.dataset.row), col: Number(target.dataset.col) });
  }

  const changes = useMemo(() => new RowChanges(model), [model]);
  useEffect(() => changes.follow(), [changes]);

  const virtualColumns = columns.getVirtualItems();
  const virtualRows = rows.getVirtualItems();
  const totalWidth = columns.getTotalSize();
  const firstDrawnCol = virtualColumns[0]?.index ?? 0;
  const lastDrawnCol = virtualColumns[virtualColumns.length - 1]?.index ?? -1;
  const leftPad = virtualColumns.length > 0 ? virtualColumns[0]!.start - LEFT_WIDTH : 0;
  const rightPad = virtualColumns.length > 0 ? totalWidth - rightWidth - virtualColumns[virtualColumns.length - 1]!.end : totalWidth - LEFT_WIDTH - rightWidth;
  const activeHeader = active.col < lessons.length ? lessons[active.col]?.id : null;
  const bodyHeight = rows.getTotalSize() - HEADER_HEIGHT;
  // Row tops inside the body (below the header).
  const topOf = (start: number) => start - HEADER_HEIGHT;

  return (
    <div
      ref={scrollRef}
      className="jg-scroll"
      role="grid"
      aria-label={`Журнал: ${page.load.className}, ${page.load.subjectName}`}
      aria-rowcount={students.length + 1}
      aria-colcount={lessons.length + 5 + yearKinds.length}
      aria-readonly={!page.canEdit || undefined}
      aria-activedescendant={cellDomId(active.row, active.col)}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPaste={onPaste}
      onMouseDown={onMouseDown}
      data-testid="journal-grid"
    >
      <div className="jg-canvas" style={{ width: totalWidth, height: rows.getTotalSize() }}>
        <div role="row" className="jg-head" style={{ width: totalWidth, height: HEADER_HEIGHT }} aria-rowindex={1}>
          <div role="none" className="jg-side jg-side-left">
            <div role="columnheader" className="jg-num" aria-colindex={1}>
              №
            </div>
            <div role="columnheader" className="jg-name" aria-colindex={2}>
              Ученик
            </div>
          </div>
          <div className="jg-pad" style={{ width: leftPad }} />
          {virtualColumns.map((column) => {
            const lesson = lessons[column.index]!;
            return <LessonHead key={lesson.id} lesson={lesson} active={lesson.id === activeHeader} today={lesson.date === page.today} workTypeNames={workTypeNames} onOpenLesson={onOpenLesson} />;
          })}
          <div className="jg-pad" style={{ width: Math.max(0, rightPad) }} />
          <div role="none" className="jg-side jg-side-right">
            <div role="columnheader" className="jg-average" title="Средний взвешенный балл за период">
              Ср.
            </div>
            <div role="columnheader" className="jg-suggested" title="Итоговая по среднему (предложение)">
              Расч.
            </div>
            <div role="columnheader" className="jg-final-head" title={`Итоговая за ${yearWidth ? `«${page.period.name}»` : 'период'}: решение учителя. «отл» — отложить`}>
              {yearWidth ? shortPeriodName(page.period.name) : 'Итог'}
            </div>
            {yearKinds.map((kind) => (
              <div key={kind} role="columnheader" className="jg-final-head jg-year-head" title={yearFinalHeads[kind].title}>
                {yearFinalHeads[kind].text}
              </div>
            ))}
          </div>
        </div>
        {/* One sticky block per side for all rows (not two or three sticky cells per row): a
            frame composites two blocks instead of ~150 sticky boxes. The rows for a screen reader
            own their cells across the three blocks, in the columns' order. */}
        <div role="none" className="jg-body" style={{ height: bodyHeight }}>
          <div role="none" className="jg-row-owners" style={{ top: topOf(virtualRows[0]?.start ?? HEADER_HEIGHT), width: totalWidth }}>
            {virtualRows.map((virtualRow) => (
              <RowOwner key={students[virtualRow.index]!.id} index={virtualRow.index} firstCol={firstDrawnCol} lastCol={lastDrawnCol} finalCol={finalCol} yearFinals={yearKinds.length} />
            ))}
          </div>
          <div role="none" className="jg-side jg-side-left">
            {virtualRows.map((virtualRow) => {
              const student = students[virtualRow.index]!;
              return <RowStart key={student.id} student={student} index={virtualRow.index} top={topOf(virtualRow.start)} active={active.row === virtualRow.index} />;
            })}
          </div>
          <div role="none" className="jg-lessons" style={{ width: totalWidth - LEFT_WIDTH - rightWidth }}>
            {virtualRows.map((virtualRow) => {
              const student = students[virtualRow.index]!;
              const rowActive = active.row === virtualRow.index;
              const activeLesson = rowActive && active.col < finalCol ? active.col : -1;
              return (
                <LessonRow
                  key={student.id}
                  changes={changes}
                  page={page}
                  student={student}
                  index={virtualRow.index}
                  top={topOf(virtualRow.start)}
                  left={leftPad}
                  firstCol={firstDrawnCol}
                  lastCol={lastDrawnCol}
                  rowActive={rowActive}
                  activeCol={activeLesson}
                  buffer={activeLesson >= 0 ? buffer : ''}
                  isLocked={isLocked}
                  workTypeNames={workTypeNames}
                />
              );
            })}
          </div>
          <div role="none" className="jg-side jg-side-right" style={{ width: rightWidth }}>
            {virtualRows.map((virtualRow) => {
              const student = students[virtualRow.index]!;
              const activeFinal = active.row === virtualRow.index && active.col >= finalCol ? active.col : -1;
              return (
                <RowEnd
                  key={student.id}
                  model={model}
                  changes={changes}
                  page={page}
                  student={student}
                  index={virtualRow.index}
                  top={topOf(virtualRow.start)}
                  activeCol={activeFinal}
                  buffer={activeFinal >= 0 ? buffer : ''}
                  finalLocked={finalLocked}
                  yearKinds={yearKinds}
                  yearLocked={yearLocked}
                />
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
});

const numberId = (row: number) => `jg-num-${row}`;
const nameId = (row: number) => `jg-name-${row}`;
const averageId = (row: number) => `jg-average-${row}`;
const suggestedId = (row: number) => `jg-suggested-${row}`;

interface RowOwnerProps {
  index: number;
  firstCol: number;
  lastCol: number;
  finalCol: number;
  yearFinals: number;
}

/**
 * A row as a screen reader sees it: its cells sit in three blocks (the sticky left one, the
 * lessons, the sticky right one), so the row owns them by id, in the columns' order. It has no
 * DOM children of its own, so the order is exactly the list's.
 */
const RowOwner = memo(function RowOwner({ index, firstCol, lastCol, finalCol, yearFinals }: RowOwnerProps) {
  const owned = [numberId(index), nameId(index)];
  for (let col = firstCol; col <= lastCol; col++) owned.push(cellDomId(index, col));
  owned.push(averageId(index), suggestedId(index));
  for (let col = finalCol; col <= finalCol + yearFinals; col++) owned.push(cellDomId(index, col));
  return <div role="row" aria-rowindex={index + 2} aria-owns={owned.join(' ')} />;
});

interface RowStartProps {
  student: Student;
  index: number;
  top: number;
  active: boolean;
}

/** № and name: the row's part in the sticky left block. */
const RowStart = memo(function RowStart({ student, index, top, active }: RowStartProps) {
  return (
    <div role="none" className={`jg-part ${active ? 'jg-row-active' : ''} ${student.to !== null ? 'jg-departed' : ''}`} style={{ top }}>
      <div id={numberId(index)} className="jg-num" role="rowheader" aria-colindex={1}>
        {index + 1}
      </div>
      <div id={nameId(index)} className="jg-name" role="rowheader" aria-colindex={2} title={student.to ? `${student.fullName} (выбыл(а) ${shortDate(student.to)})` : student.fullName}>
        {student.fullName}
      </div>
    </div>
  );
});

interface LessonRowProps {
  changes: RowChanges;
  page: JournalPage;
  student: Student;
  index: number;
  top: number;
  /** Where the first drawn lesson column starts in the lessons' block. */
  left: number;
  firstCol: number;
  lastCol: number;
  /** The active cell is in this row (its tint). */
  rowActive: boolean;
  /** The active lesson column when the active cell is in this row, else -1. */
  activeCol: number;
  buffer: string;
  isLocked(lesson: Lesson, student: Student): boolean;
  workTypeNames: ReadonlyMap<number, string>;
}

/** The row's lesson cells; the row's tint is its own background, so moving the active cell restyles one element per row. */
const LessonRow = memo(function LessonRow({ changes, page, student, index, top, left, firstCol, lastCol, rowActive, activeCol, buffer, isLocked, workTypeNames }: LessonRowProps) {
  const state = useRowState(changes, student.id);
  const { lessons } = page;
  const cells = [];
  for (let col = firstCol; col <= lastCol; col++) {
    const lesson = lessons[col]!;
    const key = cellKey(lesson.id, student.id);
    const isActive = activeCol === col;
    cells.push(
      <LessonCell
        key={lesson.id}
        marks={state.marks.get(key)}
        attendance={state.attendance.get(key)}
        status={state.status.get(key)}
        active={isActive}
        buffer={isActive ? buffer : ''}
        locked={isLocked(lesson, student) || !page.canEdit}
        inactive={!studentOnListOn(student, lesson.date)}
        label={`${student.fullName}, ${shortDate(lesson.date)}`}
        row={index}
        col={col}
        workTypeNames={workTypeNames}
        unsent={isUnsentLesson(lesson.id)}
      />,
    );
  }
  return (
    <div role="none" className={`jg-row ${rowActive ? 'jg-row-active' : ''}`} style={{ top, left, width: Math.max(0, lastCol - firstCol + 1) * LESSON_WIDTH }}>
      {cells}
    </div>
  );
});

interface RowEndProps {
  model: JournalModel;
  changes: RowChanges;
  page: JournalPage;
  student: Student;
  index: number;
  top: number;
  /** The active column when the active cell is one of this row's finals, else -1. */
  activeCol: number;
  buffer: string;
  finalLocked: boolean;
  /** The year's final columns after the period final (the last period's page). */
  yearKinds: readonly YearFinalKind[];
  yearLocked: boolean;
}

/** The average, the suggested final and the finals: the row's part in the sticky right block. */
const RowEnd = memo(function RowEnd({ model, changes, page, student, index, top, activeCol, buffer, finalLocked, yearKinds, yearLocked }: RowEndProps) {
  const state = useRowState(changes, student.id);
  const finalCol = page.lessons.length;
  const { average, suggested } = model.averageOf(student.id);
  return (
    <div role="none" className="jg-part" style={{ top }}>
      <div id={averageId(index)} role="gridcell" className="jg-average" aria-colindex={finalCol + 3} aria-label={`${student.fullName}, средний балл`}>
        {formatAverage(average, page.rules.averageDecimals)}
      </div>
      <div id={suggestedId(index)} role="gridcell" className="jg-suggested" aria-colindex={finalCol + 4} aria-label={`${student.fullName}, расчётная итоговая`}>
        {suggested ?? ''}
      </div>
      <FinalCell
        final={state.finals.get(student.id)}
        status={state.status.get(finalKey(student.id))}
        active={activeCol === finalCol}
        buffer={activeCol === finalCol ? buffer : ''}
        locked={finalLocked}
        label={`${student.fullName}, итоговая`}
        row={index}
        col={finalCol}
      />
      {yearKinds.map((kind, i) => {
        const col = finalCol + 1 + i;
        return (
          <FinalCell
            key={kind}
            final={model.yearFinalOf(student.id, kind)}
            status={state.status.get(finalKey(student.id, kind))}
            active={activeCol === col}
            buffer={activeCol === col ? buffer : ''}
            locked={yearLocked}
            label={`${student.fullName}, ${yearFinalHeads[kind].label}`}
            row={index}
            col={col}
            hint={model.yearSuggestion(student.id, kind)}
          />
        );
      })}
    </div>
  );
});
