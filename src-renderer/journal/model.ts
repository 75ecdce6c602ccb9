import { MAX_BATCH_CELLS, type AttendanceView, type CellEdit, type FinalView, type JournalPage, type LessonView, type MarkView, type RefusedCell } from '../../src-shared/contract/journal';
import type { MethodOutput } from '../../src-shared/contract/index';
import { displayedAverage, suggestFinal, type AverageRules } from '../../src-shared/rules/average';
import { russianDate } from '../../src-shared/rules/dates';
import { suggestedYearFinal, type YearFinalKind } from '../../src-shared/rules/finals';
import { ApiError, api, asApiError } from '../api/client';
import { outbox, SKIPPED, type OutboxEntry, type OutboxRef } from '../outbox/index';
import { EditedMap } from './edited-map';
import type { OutboxMethod } from '../outbox/outbox';

// The journal page's state on the client: what the core last said, plus the saves the
// teacher made that are still on their way. Every change is shown at once (optimistic) and
// handed to this PC's outbox (../outbox), which keeps it on disk, sends it in order and
// retries it with the SAME idempotency key while the database host is unreachable — past
// this page, a reload or a crash — so nothing typed is lost and nothing is applied twice.
// A page opened again shows its edits still in the outbox and takes their answers.
// What one action changes in several cells (a pasted block, Ctrl+Z of it) goes to the core
// as one batch, saved all-or-nothing (journal.saveCells).

export const cellKey = (lessonId: number, studentId: number) => `${lessonId}:${studentId}`;
export type FinalKind = FinalView['kind'];
/** The status key of a student's final: the period's, or the year's, exam's, final one. */
export const finalKey = (studentId: number, kind: FinalKind = 'period') => (kind === 'period' ? `final:${studentId}` : `final:${kind}:${studentId}`);
/** The student a cell's or a final's key belongs to: every key ends with «:studentId». */
export const studentOfKey = (key: string) => Number(key.slice(key.lastIndexOf(':') + 1));

export interface CellMark extends MarkView {
  /** Stable on the client while the mark is being created (its id is 0 until saved). */
  localId: string;
  pending: boolean;
}

export interface CellAttendance {
  code: AttendanceView['code'] | null;
  /** The version the core last confirmed: 0 when it has no row. */
  version: number;
}

export type CellStatus =
  | { kind: 'saving' }
  | { kind: 'saved' }
  | { kind: 'offline'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'conflict'; message: string };

export interface JournalState {
  page: JournalPage;
  marks: ReadonlyMap<string, readonly CellMark[]>;
  attendance: ReadonlyMap<string, CellAttendance>;
  /** Period finals by student. */
  finals: ReadonlyMap<number, FinalView>;
  /** Year, exam and final ones (on the last period's page), by `finalKey(student, kind)`. */
  yearFinals: ReadonlyMap<string, FinalView>;
  /** The other periods' finals of each student (last period's page): what the year is suggested from. */
  otherPeriodFinals: ReadonlyMap<number, readonly string[]>;
  status: ReadonlyMap<string, CellStatus>;
  /** Saves still waiting (e.g. for the database host to come back). */
  queued: number;
  offline: boolean;
  canUndo: boolean;
  /** The last message worth a line under the grid. */
  notice: { kind: 'ok' | 'error' | 'offline' | 'conflict'; text: string } | null;
  /** Lessons written on this PC that the server refused, with what was typed into them: shown until the teacher has read it. */
  refusedLessons: readonly string[];
}

type PageLesson = JournalPage['lessons'][number];

/** What the lesson form gives for a new lesson (the input of `journal.saveLesson` without the load and the key). */
export interface NewLessonFields {
  date: string;
  lessonNumber: number | null;
  topic: string;
  material: string;
  homework: string;
  homeworkFor: string | null;
  workTypeIds: number[];
  comment: string;
  planRowId: number | null;
}

/**
 * A lesson written on this PC while the server could not be reached (D-41): it has a negative
 * id until the server has created it, and the marks and absences typed into it wait in the
 * outbox for its real id (through the creation's idempotency key).
 */
export const isUnsentLesson = (lessonId: number): boolean => lessonId < 0;

type CellOp =
  | { type: 'addMark'; key: string; localId: string; lessonId: number; studentId: number; value: string; workTypeId: number; comment: string; idempotencyKey: string }
  | { type: 'deleteMark'; key: string; localId: string; mark: CellMark; idempotencyKey: string }
  | { type: 'setAttendance'; key: string; lessonId: number; studentId: number; code: 'ОТ' | 'ОП' | null; idempotencyKey: string };
/** Several cells of one action, saved together or not at all; `sent` is what the last attempt sent, in order. */
type BatchOp = { type: 'batch'; key: string; ops: CellOp[]; sent?: CellOp[] };
/** A new lesson saved into the outbox (the server was away): `lesson` is what the grid shows until it is created. */
type CreateLessonOp = { type: 'createLesson'; key: string; lesson: PageLesson; input: Record<string, unknown>; idempotencyKey: string };
type Op = CellOp | BatchOp | CreateLessonOp | { type: 'setFinal'; key: string; studentId: number; kind: FinalKind; value: string; deferred: boolean; idempotencyKey: string };

const keysOf = (op: Op): string[] => (op.type === 'batch' ? op.ops.map((item) => item.key) : [op.key]);
/** The cell edits of an op (a batch's each, a single cell edit itself). */
const cellOpsOf = (op: Op): CellOp[] => (op.type === 'batch' ? op.ops : op.type === 'addMark' || op.type === 'deleteMark' || op.type === 'setAttendance' ? [op] : []);
const lessonOfCellOp = (op: CellOp): number => (op.type === 'deleteMark' ? op.mark.lessonId : op.lessonId);
const shortDate = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}`;

/** A cell edit made in a lesson not yet created now belongs to the lesson the server created (the op is shared with its outbox entry). */
function moveCellOp(op: CellOp, from: number, to: number) {
  if (op.type === 'deleteMark') {
    if (op.mark.lessonId !== from) return;
    op.mark = { ...op.mark, lessonId: to };
    op.key = cellKey(to, op.mark.studentId);
  } else if (op.lessonId === from) {
    op.lessonId = to;
    op.key = cellKey(to, op.studentId);
  }
}

/** «14.10, 2-й урок — «Сложение дробей»». */
function lessonTitle(lesson: Pick<PageLesson, 'date' | 'lessonNumber' | 'topic'>): string {
  return `${shortDate(lesson.date)}${lesson.lessonNumber ? `, ${lesson.lessonNumber}-й урок` : ''}${lesson.topic ? ` — «${lesson.topic}»` : ''}`;
}

/** Lessons in the page's order: by date, then number. */
function withLesson(lessons: readonly PageLesson[], lesson: PageLesson): PageLesson[] {
  const after = (other: PageLesson) => other.date > lesson.date || (other.date === lesson.date && (other.lessonNumber ?? 0) > (lesson.lessonNumber ?? 0));
  const index = lessons.findIndex(after);
  return index < 0 ? [...lessons, lesson] : [...lessons.slice(0, index), lesson, ...lessons.slice(index)];
}

/** What undoes one change, read against the state at the moment of undoing. */
type Inverse =
  | { type: 'deleteMark'; key: string; localId: string }
  | { type: 'addMark'; lessonId: number; studentId: number; value: string; workTypeId: number; comment: string }
  | { type: 'setAttendance'; lessonId: number; studentId: number; code: 'ОТ' | 'ОП' | null }
  | { type: 'setFinal'; studentId: number; kind: FinalKind; value: string; deferred: boolean };

/** A save answered sooner than this is never drawn as «saving» (a blink nobody could read). */
const SAVING_SHOWN_AFTER_MS = 250;
/**
 * A cell shows «saved» (its green dot) for at least the first and at most the second: the dots
 * of the saves made within that spread go in one redraw, not each in its own (a fade per cell
 * asked for frames of its own, in the middle of the next keystrokes).
 */
const SAVED_SHOWN_MIN_MS = 1200;
const SAVED_SHOWN_MAX_MS = 2000;

export const OFFLINE_MESSAGE = 'Не сохранено — нет связи с базой, повторяю…';

/**
 * While the server is away (D-41) new lessons, and marks and absences in lessons open for
 * editing, are kept on this PC and sent later; what needs the server's decision is refused at once, saying so,
 * rather than queued to fail hours later.
 */
export const WAITS_FOR_SERVER =
  'Ждут связи с сервером: изменения уже записанных уроков (тема, домашнее задание), исправления в уроках, закрытых для исправления (через запрос), итоговые отметки и закрытие периода, причины пропусков.';
export const FINALS_NEED_SERVER = 'Итоговые отметки без связи с сервером не выставляются: сервер сверяет их с отметками за период. Выставьте их, когда связь вернётся.';
const OUTBOX_UNWRITABLE = 'Не удалось записать изменение на диск этого компьютера. Не закрывайте страницу и сообщите администратору.';

let localCounter = 0;
let batchCounter = 0;
let unsentLessonCounter = 0;
export function newKey(): string {
  return globalThis.crypto?.randomUUID ? globalThis.crypto.randomUUID() : `k${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

function indexPage(page: JournalPage) {
  const marks = new Map<string, CellMark[]>();
  for (const mark of page.marks) {
    const key = cellKey(mark.lessonId, mark.studentId);
    const list = marks.get(key) ?? [];
    list.push({ ...mark, localId: `m${mark.id}`, pending: false });
    marks.set(key, list);
  }
  const attendance = new Map<string, CellAttendance>();
  for (const row of page.attendance) attendance.set(cellKey(row.lessonId, row.studentId), { code: row.code, version: row.version });
  const finals = new Map<number, FinalView>();
  const yearFinals = new Map<string, FinalView>();
  const otherPeriodFinals = new Map<number, string[]>();
  for (const final of page.finals) {
    if (final.kind !== 'period') yearFinals.set(finalKey(final.studentId, final.kind), final);
    else if (final.periodId === page.period.id) finals.set(final.studentId, final);
    else otherPeriodFinals.set(final.studentId, [...(otherPeriodFinals.get(final.studentId) ?? []), final.value]);
  }
  return { marks, attendance, finals, yearFinals, otherPeriodFinals };
}

export class JournalModel {
  private state: JournalState;
  private readonly listeners = new Set<() => void>();
  private readonly queue: Op[] = [];
  private running = false;
  /** Each queued save's outbox entry and the answer it will get. */
  private readonly outboxed = new Map<Op, { id: number; answer: Promise<unknown> }>();
  /** A mark created from this page, by client id: the key of its save (a delete before the answer refers to it). */
  private readonly addKeyOf = new Map<string, string>();
  /** A lesson not yet created, by its negative id: the key of its creation (the edits typed into it wait for its answer). */
  private readonly lessonKeyOf = new Map<number, string>();
  private readonly stopWatchingOutbox: () => void;
  private readonly undoStack: Inverse[][] = [];
  private disposed = false;
  /** While one action runs: its cell saves, sent afterwards as one batch. */
  private collecting: CellOp[] | null = null;
  /** The undo step a queued save belongs to: a refused save leaves nothing to undo. */
  private readonly undoOf = new WeakMap<Op, Inverse[]>();
  /** The «saved» statuses on screen and when they were set: they go in batches (see SAVED_SHOWN_MIN_MS). */
  private readonly savedSince = new Map<string, { status: CellStatus; at: number }>();
  private savedSweep: ReturnType<typeof setTimeout> | null = null;

  constructor(page: JournalPage) {
    this.state = { page, ...indexPage(page), status: new Map(), queued: 0, offline: false, canUndo: false, notice: null, refusedLessons: [] };
    this.resumeOutboxed();
    let offline = outbox.snapshot().offline;
    this.stopWatchingOutbox = outbox.subscribe(() => {
      const now = outbox.snapshot().offline;
      if (now === offline) return;
      offline = now;
      if (now && this.queue.length > 0) {
        this.setStatuses(this.queue.flatMap(keysOf), { kind: 'offline', message: OFFLINE_MESSAGE }, { offline: true, notice: { kind: 'offline', text: OFFLINE_MESSAGE } });
      } else if (!now) this.set({ offline: false });
    });
    if (this.queue.length > 0) {
      this.set({});
      void this.pump();
    }
  }

  /** Edits of this page still in the outbox (made before a reload or on a page since left): shown and awaited again. */
  private resumeOutboxed() {
    const page = this.state.page;
    const entries = outbox.snapshot().entries.filter((entry) => !entry.refused && entry.origin?.loadId === page.load.loadId && entry.origin.periodId === page.period.id);
    // A lesson created on this PC whose creation the server has answered (before a reload, or
    // while the page was left): the edits typed into it hold its real id in their stored input.
    const created = new Map<number, number>();
    for (const entry of entries) {
      for (const item of cellOpsOf(entry.origin!.op as Op)) {
        const lessonId = lessonOfCellOp(item);
        if (!isUnsentLesson(lessonId) || item.type === 'deleteMark') continue;
        const sent = entry.method === 'journal.saveCells' ? (entry.input.cells as { idempotencyKey?: string; lessonId?: number }[]).find((cell) => cell.idempotencyKey === item.idempotencyKey) : entry.input;
        const real = sent?.lessonId;
        if (typeof real === 'number' && real > 0) created.set(lessonId, real);
      }
    }
    for (const entry of entries) {
      const op = entry.origin!.op as Op;
      for (const item of cellOpsOf(op)) for (const [from, to] of created) moveCellOp(item, from, to);
      for (const item of op.type === 'batch' ? op.ops : [op]) this.showQueued(item);
      this.queue.push(op);
      this.outboxed.set(op, { id: entry.id, answer: outbox.settled(entry.id) });
    }
    const status = new EditedMap(this.state.status);
    for (const key of this.queue.flatMap(keysOf)) status.set(key, { kind: 'saving' });
    this.state = { ...this.state, status };
  }

  /** Shows a queued edit over what the core sent. */
  private showQueued(op: Op) {
    if (op.type === 'createLesson') {
      this.lessonKeyOf.set(op.lesson.id, op.idempotencyKey);
      if (!this.state.page.lessons.some((lesson) => lesson.id === op.lesson.id)) this.state = { ...this.state, page: { ...this.state.page, lessons: withLesson(this.state.page.lessons, op.lesson) } };
    } else if (op.type === 'addMark') {
      const marks = new EditedMap(this.state.marks);
      const mark: CellMark = { id: 0, lessonId: op.lessonId, studentId: op.studentId, value: op.value, workTypeId: op.workTypeId, weight: this.weightOf(op.workTypeId), comment: op.comment, makeUp: false, late: false, version: 0, localId: op.localId, pending: true };
      marks.set(op.key, [...(marks.get(op.key) ?? []), mark]);
      this.addKeyOf.set(op.localId, op.idempotencyKey);
      this.state = { ...this.state, marks };
    } else if (op.type === 'deleteMark') {
      const marks = new EditedMap(this.state.marks);
      marks.set(op.key, (marks.get(op.key) ?? []).filter((mark) => mark.localId !== op.localId && (op.mark.id === 0 || mark.id !== op.mark.id)));
      this.state = { ...this.state, marks };
    } else if (op.type === 'setAttendance') {
      const attendance = new EditedMap(this.state.attendance);
      attendance.set(op.key, { code: op.code, version: attendance.get(op.key)?.version ?? 0 });
      this.state = { ...this.state, attendance };
    } else if (op.type === 'setFinal') {
      const page = this.state.page;
      const current = op.kind === 'period' ? this.state.finals.get(op.studentId) : this.state.yearFinals.get(op.key);
      const shown: FinalView = { id: current?.id ?? 0, studentId: op.studentId, kind: op.kind, periodId: op.kind === 'period' ? page.period.id : null, value: op.value, suggested: current?.suggested ?? '', deferred: op.deferred, version: current?.version ?? 0 };
      if (op.kind === 'period') this.state = { ...this.state, finals: new EditedMap(this.state.finals).set(op.studentId, shown) };
      else this.state = { ...this.state, yearFinals: new EditedMap(this.state.yearFinals).set(op.key, shown) };
    }
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = () => this.state;

  /** The page came from this PC's copy (the server did not answer): set by the page. */
  private fromCache = false;
  setFromCache(fromCache: boolean) {
    this.fromCache = fromCache;
  }
  /** The server is known to be unreachable: the page is a copy, or the outbox's last attempt failed. */
  serverAway(): boolean {
    return this.fromCache || this.state.offline || outbox.snapshot().offline;
  }

  private set(patch: Partial<JournalState>) {
    this.state = { ...this.state, ...patch, queued: this.queue.length, canUndo: this.undoStack.length > 0 };
    for (const listener of this.listeners) listener();
  }

  /** The page is left: its saves stay in the outbox and go on; a refusal shows in the outbox's list. */
  dispose() {
    this.disposed = true;
    if (this.savedSweep !== null) clearTimeout(this.savedSweep);
    this.stopWatchingOutbox();
    outbox.release([...this.outboxed.values()].map((sent) => sent.id));
  }

  get averageRules(): AverageRules {
    const rules = this.state.page.rules;
    return { scale: rules.markScale, averageDecimals: rules.averageDecimals, finalRoundingThreshold: rules.finalRoundingThreshold };
  }

  /** The live weighted average and the final it suggests (the core's own rule, src-shared/rules). */
  averageOf(studentId: number): { average: number | null; suggested: string | null } {
    const marks: { value: string; weight: number }[] = [];
    for (const lesson of this.state.page.lessons) {
      for (const mark of this.state.marks.get(cellKey(lesson.id, studentId)) ?? []) marks.push(mark);
    }
    const rules = this.averageRules;
    const average = displayedAverage(marks, rules);
    return { average, suggested: suggestFinal(average, rules) };
  }

  /** A year, exam or final decision of the teacher. */
  yearFinalOf(studentId: number, kind: YearFinalKind): FinalView | undefined {
    return this.state.yearFinals.get(finalKey(studentId, kind));
  }

  /** Beside the year column: from the period finals (this one as typed); beside the final: from year and exam. */
  yearSuggestion(studentId: number, kind: YearFinalKind): string | null {
    const periodFinals = [...(this.state.otherPeriodFinals.get(studentId) ?? []), this.state.finals.get(studentId)?.value ?? ''];
    const year = this.yearFinalOf(studentId, 'year')?.value ?? '';
    const exam = this.yearFinalOf(studentId, 'exam')?.value ?? '';
    return suggestedYearFinal(kind, { periodFinals, year, exam }, this.averageRules);
  }

  // ——— changes a teacher makes ———

  private setStatus(key: string, status: CellStatus | null, extra: Partial<JournalState> = {}) {
    const next = new EditedMap(this.state.status);
    if (status) next.set(key, status);
    else next.delete(key);
    this.set({ status: next, ...extra });
  }

  private weightOf(workTypeId: number): number {
    return this.state.page.workTypes.find((type) => type.id === workTypeId)?.weight ?? 1;
  }

  /** Adds a mark to a cell; returns what undoes it. */
  private addMark(lessonId: number, studentId: number, value: string, workTypeId: number, comment: string): Inverse {
    const key = cellKey(lessonId, studentId);
    const localId = `t${++localCounter}`;
    const mark: CellMark = { id: 0, lessonId, studentId, value, workTypeId, weight: this.weightOf(workTypeId), comment, makeUp: false, late: false, version: 0, localId, pending: true };
    const marks = new EditedMap(this.state.marks);
    marks.set(key, [...(marks.get(key) ?? []), mark]);
    this.state = { ...this.state, marks };
    const idempotencyKey = newKey();
    this.addKeyOf.set(localId, idempotencyKey);
    this.enqueue({ type: 'addMark', key, localId, lessonId, studentId, value, workTypeId, comment, idempotencyKey });
    return { type: 'deleteMark', key, localId };
  }

  private deleteMark(key: string, localId: string): Inverse | null {
    const list = this.state.marks.get(key) ?? [];
    const mark = list.find((item) => item.localId === localId);
    if (!mark) return null;
    const marks = new EditedMap(this.state.marks);
    marks.set(
      key,
      list.filter((item) => item.localId !== localId),
    );
    this.state = { ...this.state, marks };
    this.enqueue({ type: 'deleteMark', key, localId, mark, idempotencyKey: newKey() });
    return { type: 'addMark', lessonId: mark.lessonId, studentId: mark.studentId, value: mark.value, workTypeId: mark.workTypeId, comment: mark.comment };
  }

  private setAttendance(lessonId: number, studentId: number, code: 'ОТ' | 'ОП' | null): Inverse | null {
    const key = cellKey(lessonId, studentId);
    const current = this.state.attendance.get(key) ?? { code: null, version: 0 };
    if (current.code === code) return null;
    if (current.code !== null && current.code !== 'ОТ' && current.code !== 'ОП') {
      this.setStatus(key, { kind: 'error', message: `Классный руководитель уже указал причину пропуска («${current.code}»); изменить её может он.` });
      return null;
    }
    const attendance = new EditedMap(this.state.attendance);
    attendance.set(key, { ...current, code });
    this.state = { ...this.state, attendance };
    this.enqueue({ type: 'setAttendance', key, lessonId, studentId, code, idempotencyKey: newKey() });
    return { type: 'setAttendance', lessonId, studentId, code: current.code as 'ОТ' | 'ОП' | null };
  }

  private setFinal(studentId: number, value: string, deferred: boolean, kind: FinalKind): Inverse | null {
    const key = finalKey(studentId, kind);
    const current = kind === 'period' ? this.state.finals.get(studentId) : this.state.yearFinals.get(key);
    if ((current?.value ?? '') === value && (current?.deferred ?? false) === deferred) return null;
    const page = this.state.page;
    const shown: FinalView = { id: current?.id ?? 0, studentId, kind, periodId: kind === 'period' ? page.period.id : null, value, suggested: current?.suggested ?? '', deferred, version: current?.version ?? 0 };
    if (kind === 'period') this.state = { ...this.state, finals: new EditedMap(this.state.finals).set(studentId, shown) };
    else this.state = { ...this.state, yearFinals: new EditedMap(this.state.yearFinals).set(key, shown) };
    this.enqueue({ type: 'setFinal', key, studentId, kind, value, deferred, idempotencyKey: newKey() });
    return { type: 'setFinal', studentId, kind, value: current?.value ?? '', deferred: current?.deferred ?? false };
  }

  private apply(inverse: Inverse): Inverse | null {
    switch (inverse.type) {
      case 'deleteMark':
        return this.deleteMark(inverse.key, inverse.localId);
      case 'addMark':
        return this.addMark(inverse.lessonId, inverse.studentId, inverse.value, inverse.workTypeId, inverse.comment);
      case 'setAttendance':
        return this.setAttendance(inverse.lessonId, inverse.studentId, inverse.code);
      case 'setFinal':
        return this.setFinal(inverse.studentId, inverse.value, inverse.deferred, inverse.kind);
    }
  }

  /** One user action (a keystroke, a paste, a Delete) as one undo step. */
  private group(work: (push: (inverse: Inverse | null) => void) => void) {
    const inverses: Inverse[] = [];
    const queued = this.asOneSave(() =>
      work((inverse) => {
        if (inverse) inverses.push(inverse);
      }),
    );
    if (inverses.length > 0) {
      const step = inverses.reverse();
      this.undoStack.push(step);
      for (const op of queued) this.undoOf.set(op, step);
      if (this.undoStack.length > 200) this.undoStack.shift();
    }
    this.set({});
    void this.pump();
  }

  enterMark(lessonId: number, studentId: number, value: string, workTypeId: number) {
    this.group((push) => push(this.addMark(lessonId, studentId, value, workTypeId, '')));
  }

  enterAttendance(lessonId: number, studentId: number, code: 'ОТ' | 'ОП' | null) {
    this.group((push) => push(this.setAttendance(lessonId, studentId, code)));
  }

  enterFinal(studentId: number, value: string, deferred = false, kind: FinalKind = 'period') {
    if (this.serverAway()) {
      this.notify('error', FINALS_NEED_SERVER);
      return;
    }
    this.group((push) => push(this.setFinal(studentId, value, deferred, kind)));
  }

  /** Delete on a cell: all its marks and its «ОТ»/«ОП» go; Ctrl+Z brings them back. */
  clearCells(cells: readonly { lessonId: number; studentId: number }[]) {
    this.group((push) => {
      for (const { lessonId, studentId } of cells) {
        const key = cellKey(lessonId, studentId);
        for (const mark of [...(this.state.marks.get(key) ?? [])]) push(this.deleteMark(key, mark.localId));
        const code = this.state.attendance.get(key)?.code ?? null;
        if (code === 'ОТ' || code === 'ОП') push(this.setAttendance(lessonId, studentId, null));
      }
    });
  }

  clearFinal(studentId: number, kind: FinalKind = 'period') {
    this.group((push) => push(this.setFinal(studentId, '', false, kind)));
  }

  /** A pasted block: one undo step, saved as one batch — all of it or, if a cell is refused, none. */
  enterMany(cells: readonly { lessonId: number; studentId: number; entries: readonly ({ kind: 'mark'; value: string } | { kind: 'attendance'; code: 'ОТ' | 'ОП' })[] }[], workTypeId: number) {
    this.group((push) => {
      for (const cell of cells) {
        for (const entry of cell.entries) {
          if (entry.kind === 'mark') push(this.addMark(cell.lessonId, cell.studentId, entry.value, workTypeId, ''));
          else push(this.setAttendance(cell.lessonId, cell.studentId, entry.code));
        }
      }
    });
  }

  /**
   * A new lesson while the server cannot be reached (D-41): kept in this PC's outbox with its
   * idempotency key and shown at once as a column marked «не отправлено»; marks and absences
   * typed into it wait for its creation. What this page can tell is checked here; the rest
   * (a substitution, the period's lock at sending) the server decides, and a refusal is told.
   * Returns why it cannot be kept, or null.
   */
  queueLesson(fields: NewLessonFields, idempotencyKey: string, teacher: { id: number; fullName: string }): string | null {
    const page = this.state.page;
    if (!page.canEdit) return 'Страница открыта только для просмотра.';
    if (page.periodLocked) return 'Период закрыт: уроки в нём не записываются.';
    if (fields.date > page.today) return `Нельзя записать урок на будущую дату (${russianDate(fields.date)}): записи заранее запрещены.`;
    if (fields.date < page.period.startsOn || fields.date > page.period.endsOn) {
      return `Без связи с сервером урок записывается только в открытый период «${page.period.name}» (${russianDate(page.period.startsOn)} — ${russianDate(page.period.endsOn)}).`;
    }
    if (fields.homeworkFor !== null && fields.homeworkFor < fields.date) return 'Домашнее задание задаётся на дату урока или позже.';
    if (fields.lessonNumber !== null && page.lessons.some((lesson) => lesson.date === fields.date && lesson.lessonNumber === fields.lessonNumber)) {
      return `${fields.lessonNumber}-й урок ${russianDate(fields.date)} уже есть на странице.`;
    }
    if (page.load.access === 'substitute' && !page.substituteLessons.some((given) => given.lessonId === null && given.date === fields.date && given.lessonNumber === fields.lessonNumber)) {
      return 'В замену записывается только назначенный урок: укажите его дату и номер.';
    }
    const id = -(Date.now() * 1000 + (++unsentLessonCounter % 1000));
    const editable = fields.date >= page.editableFrom;
    const lesson: PageLesson = {
      id,
      loadId: page.load.loadId,
      date: fields.date,
      lessonNumber: fields.lessonNumber,
      topic: fields.topic,
      material: fields.material,
      homework: fields.homework,
      homeworkFor: fields.homeworkFor,
      workTypeIds: fields.workTypeIds,
      comment: fields.comment,
      givenBy: teacher.id,
      givenByName: teacher.fullName,
      substitution: page.load.access === 'substitute',
      topicLate: false,
      homeworkLate: false,
      version: 0,
      pastEditWindow: !editable,
      editable,
    };
    const op: CreateLessonOp = { type: 'createLesson', key: `lesson:${id}`, lesson, input: { loadId: page.load.loadId, ...fields, idempotencyKey }, idempotencyKey };
    this.showQueued(op);
    this.enqueue(op);
    this.set({ notice: { kind: 'ok', text: `Урок ${lessonTitle(lesson)} сохранён на этом компьютере и будет записан, когда связь с сервером вернётся.` } });
    void this.pump();
    return null;
  }

  /** The teacher has read why a lesson written on this PC was refused. */
  dismissRefusedLesson(index: number) {
    this.set({ refusedLessons: this.state.refusedLessons.filter((_, at) => at !== index) });
  }

  /** Lessons still waiting in the outbox stay on the page whatever the server's page says. */
  private withUnsentLessons(lessons: readonly PageLesson[]): PageLesson[] {
    let result = [...lessons];
    for (const op of this.queue) if (op.type === 'createLesson' && !result.some((lesson) => lesson.id === op.lesson.id)) result = withLesson(result, op.lesson);
    return result;
  }

  /** The server created the lesson (or bound it to the same lesson written meanwhile): its column and cells take the real id. */
  private lessonCreated(op: CreateLessonOp, saved: LessonView) {
    const from = op.lesson.id;
    const to = saved.id;
    this.lessonKeyOf.delete(from);
    for (const queued of this.queue) for (const item of cellOpsOf(queued)) moveCellOp(item, from, to);
    for (const step of this.undoStack) {
      for (const inverse of step) {
        if (inverse.type === 'deleteMark' && inverse.key.startsWith(`${from}:`)) inverse.key = `${to}:${inverse.key.slice(String(from).length + 1)}`;
        else if (inverse.type !== 'deleteMark' && inverse.type !== 'setFinal' && inverse.lessonId === from) inverse.lessonId = to;
      }
    }
    for (const [localId, mark] of this.created) if (mark.lessonId === from) this.created.set(localId, { ...mark, lessonId: to });
    const page = this.state.page;
    const real: PageLesson = { ...saved, pastEditWindow: op.lesson.pastEditWindow, editable: op.lesson.editable };
    const lessons = page.lessons.some((lesson) => lesson.id === to) ? page.lessons.filter((lesson) => lesson.id !== from) : page.lessons.map((lesson) => (lesson.id === from ? real : lesson));
    const marks = new EditedMap(this.state.marks);
    const attendance = new EditedMap(this.state.attendance);
    const status = new EditedMap(this.state.status);
    for (const student of page.students) {
      const before = cellKey(from, student.id);
      const after = cellKey(to, student.id);
      const moved = marks.get(before);
      if (moved) marks.set(after, [...(marks.get(after) ?? []), ...moved.map((mark) => ({ ...mark, lessonId: to }))]);
      marks.delete(before);
      const code = attendance.get(before);
      if (code) attendance.set(after, { code: code.code, version: attendance.get(after)?.version ?? code.version });
      attendance.delete(before);
      const shown = status.get(before);
      if (shown) status.set(after, shown);
      status.delete(before);
    }
    this.state = { ...this.state, page: { ...page, lessons }, marks, attendance, status };
  }

  /**
   * The server refused a lesson written on this PC: its column goes, with the marks and
   * absences typed into it (the outbox skips them), and the teacher is told what and why.
   */
  private lessonRefused(op: CreateLessonOp, error: ApiError) {
    const from = op.lesson.id;
    const page = this.state.page;
    this.lessonKeyOf.delete(from);
    const dropped: string[] = [];
    const marks = new EditedMap(this.state.marks);
    const attendance = new EditedMap(this.state.attendance);
    const status = new EditedMap(this.state.status);
    for (const student of page.students) {
      const key = cellKey(from, student.id);
      const code = attendance.get(key)?.code;
      const typed = [...(marks.get(key) ?? []).map((mark) => mark.value), ...(code ? [code] : [])];
      if (typed.length > 0) dropped.push(`${student.fullName} — ${typed.join(', ')}`);
      marks.delete(key);
      attendance.delete(key);
      status.delete(key);
    }
    // The edits of that lesson alone leave the queue; a batch with other lessons' cells goes on without them.
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const queued = this.queue[i]!;
      const cells = cellOpsOf(queued);
      if (cells.length === 0 || !cells.every((item) => lessonOfCellOp(item) === from)) continue;
      const sent = this.outboxed.get(queued);
      if (sent) outbox.withdraw(sent.id);
      this.queue.splice(i, 1);
      this.outboxed.delete(queued);
    }
    for (let i = this.undoStack.length - 1; i >= 0; i--) {
      const touches = this.undoStack[i]!.some((inverse) => (inverse.type === 'deleteMark' ? inverse.key.startsWith(`${from}:`) : inverse.type !== 'setFinal' && inverse.lessonId === from));
      if (touches) this.undoStack.splice(i, 1);
    }
    const text = `Урок ${lessonTitle(op.lesson)} не записан: ${error.message}${dropped.length > 0 ? ` Вместе с ним не сохранено введённое в этот урок: ${dropped.join('; ')}.` : ''}`;
    this.state = { ...this.state, page: { ...page, lessons: page.lessons.filter((lesson) => lesson.id !== from) }, marks, attendance, status };
    this.set({ refusedLessons: [...this.state.refusedLessons, text], notice: { kind: 'error', text } });
  }

  /** Ctrl+Z: undoes the last action on the server too (deletes what was added, restores what was deleted). */
  undo(): boolean {
    const inverses = this.undoStack.pop();
    if (!inverses) return false;
    this.asOneSave(() => {
      for (const inverse of inverses) this.apply(inverse);
    });
    this.set({ notice: { kind: 'ok', text: 'Отменено последнее изменение.' } });
    void this.pump();
    return true;
  }

  /** A typed value refused on the spot (not a mark of the scale, a closed cell…). */
  showError(key: string, message: string) {
    this.setStatus(key, { kind: 'error', message }, { notice: { kind: 'error', text: message } });
  }

  notify(kind: 'ok' | 'error', text: string) {
    this.set({ notice: { kind, text } });
  }

  // ——— the save queue ———

  private enqueue(op: Op) {
    if (this.collecting && (op.type === 'addMark' || op.type === 'deleteMark' || op.type === 'setAttendance')) {
      this.collecting.push(op);
      return;
    }
    const draft = this.outboxDraft(op);
    this.queue.push(op);
    if (!draft) {
      this.outboxed.set(op, { id: 0, answer: Promise.resolve(SKIPPED) });
      return;
    }
    const submitted = outbox.submit(draft);
    this.outboxed.set(op, { id: submitted.id, answer: submitted.settled });
    // «Saving» only once the edit is safe in the outbox, and only for a save still waiting a
    // moment later: a quick answer goes from the typed mark straight to «saved», without a
    // redraw in between that would compete with the next keystroke.
    const showSaving = () => {
      if (this.disposed || !this.queue.includes(op)) return;
      const keys = keysOf(op).filter((key) => this.state.status.get(key)?.kind !== 'offline');
      this.setStatuses(keys, { kind: 'saving' });
    };
    void submitted.stored.then(
      () => {
        if (!this.disposed && this.queue.includes(op)) setTimeout(showSaving, SAVING_SHOWN_AFTER_MS);
      },
      () => this.setStatuses(keysOf(op), { kind: 'error', message: OUTBOX_UNWRITABLE }, { notice: { kind: 'error', text: OUTBOX_UNWRITABLE } }),
    );
  }

  /** The last queued save before `before` that touches `key` with one of `types`, and its key. */
  private lastQueuedKey(key: string, type: 'setAttendance' | 'setFinal'): string | null {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const op = this.queue[i]!;
      const items: Op[] = op.type === 'batch' ? [...op.ops].reverse() : [op];
      for (const item of items) if (item.key === key && item.type === type) return (item as { idempotencyKey: string }).idempotencyKey;
    }
    return null;
  }

  /** A mark's id and version, or where they will come from (the answer to its creation). */
  private markRef(op: Extract<CellOp, { type: 'deleteMark' }>, at: (string | number)[]): { markId: number; version: number; refs: OutboxRef[] } | null {
    const mark = op.mark.id !== 0 ? op.mark : this.created.get(op.localId);
    if (mark) return { markId: mark.id, version: mark.version, refs: [] };
    const fromKey = this.addKeyOf.get(op.localId);
    if (!fromKey) return null;
    return { markId: 1, version: 0, refs: [{ path: [...at, 'markId'], fromKey, pick: 'markId' }, { path: [...at, 'version'], fromKey, pick: 'markVersion' }] };
  }

  /** A lesson not yet created: its id comes from the answer to its creation. */
  private lessonRef(lessonId: number, path: (string | number)[]): OutboxRef[] {
    const fromKey = isUnsentLesson(lessonId) ? this.lessonKeyOf.get(lessonId) : undefined;
    return fromKey ? [{ path, fromKey, pick: 'lessonId' }] : [];
  }

  /** The attendance version a change is based on: the core's, or the answer to the change queued before it. */
  private attendanceRef(key: string, at: (string | number)[]): { version: number; refs: OutboxRef[] } {
    const version = this.state.attendance.get(key)?.version ?? 0;
    const fromKey = this.lastQueuedKey(key, 'setAttendance');
    return fromKey ? { version, refs: [{ path: [...at, 'version'], fromKey, pick: 'attendanceVersion', fallback: version }] } : { version, refs: [] };
  }

  /** What goes into the outbox for a save; null when there is nothing to send. */
  private outboxDraft(op: Op): Omit<OutboxEntry, 'id' | 'queuedAt' | 'userId'> | null {
    const page = this.state.page;
    const origin = { loadId: page.load.loadId, periodId: page.period.id, op };
    const draft = (method: OutboxMethod, input: Record<string, unknown>, refs: OutboxRef[]) => ({ method, input, refs, label: this.labelOf(op), origin });
    switch (op.type) {
      case 'createLesson':
        return draft('journal.saveLesson', op.input, []);
      case 'addMark':
        return draft('journal.saveMark', { lessonId: op.lessonId, studentId: op.studentId, value: op.value, workTypeId: op.workTypeId, comment: op.comment, idempotencyKey: op.idempotencyKey }, this.lessonRef(op.lessonId, ['lessonId']));
      case 'deleteMark': {
        const mark = this.markRef(op, []);
        return mark && draft('journal.deleteMark', { markId: mark.markId, version: mark.version, idempotencyKey: op.idempotencyKey }, mark.refs);
      }
      case 'setAttendance': {
        const { version, refs } = this.attendanceRef(op.key, []);
        return draft('journal.setAttendance', { lessonId: op.lessonId, studentId: op.studentId, code: op.code, version, idempotencyKey: op.idempotencyKey }, [...refs, ...this.lessonRef(op.lessonId, ['lessonId'])]);
      }
      case 'setFinal': {
        const yearKind = op.kind !== 'period';
        const current = yearKind ? this.state.yearFinals.get(op.key) : this.state.finals.get(op.studentId);
        const version = current?.version ?? 0;
        const fromKey = this.lastQueuedKey(op.key, 'setFinal');
        const refs: OutboxRef[] = fromKey ? [{ path: ['version'], fromKey, pick: 'finalVersion', fallback: version }] : [];
        const input = { loadId: page.load.loadId, studentId: op.studentId, kind: op.kind, ...(yearKind ? {} : { periodId: page.period.id }), value: op.value, deferred: op.deferred, version, idempotencyKey: op.idempotencyKey };
        return draft('journal.setFinal', input, refs);
      }
      case 'batch': {
        // Each cell as its single save would send it; a code changed twice in the batch builds on the first change.
        const cells: CellEdit[] = [];
        const refs: OutboxRef[] = [];
        const sent: CellOp[] = [];
        const inBatch = new Map<string, { version: number; ref: OutboxRef | null }>();
        for (const item of op.ops) {
          const at = ['cells', cells.length];
          if (item.type === 'addMark') {
            cells.push({ kind: 'mark', lessonId: item.lessonId, studentId: item.studentId, value: item.value, workTypeId: item.workTypeId, comment: item.comment, idempotencyKey: item.idempotencyKey });
            refs.push(...this.lessonRef(item.lessonId, [...at, 'lessonId']));
          } else if (item.type === 'deleteMark') {
            const mark = this.markRef(item, at);
            if (!mark) continue; // its creation failed: nothing to delete
            cells.push({ kind: 'deleteMark', markId: mark.markId, version: mark.version, idempotencyKey: item.idempotencyKey });
            refs.push(...mark.refs);
          } else {
            const before = inBatch.get(item.key);
            const based = before ?? (() => { const found = this.attendanceRef(item.key, at); return { version: found.version, ref: found.refs[0] ?? null }; })();
            cells.push({ kind: 'attendance', lessonId: item.lessonId, studentId: item.studentId, code: item.code, version: based.version, idempotencyKey: item.idempotencyKey });
            if (based.ref) refs.push({ ...based.ref, path: [...at, 'version'] });
            refs.push(...this.lessonRef(item.lessonId, [...at, 'lessonId']));
            const cleared = item.code === null;
            inBatch.set(item.key, { version: cleared ? 0 : based.version + 1, ref: cleared || !based.ref ? null : { ...based.ref, add: (based.ref.add ?? 0) + 1 } });
          }
          sent.push(item);
        }
        op.sent = sent;
        return cells.length === 0 ? null : draft('journal.saveCells', { cells }, refs);
      }
    }
  }

  /** «Математика, 5А: Белова Дарья, 14.10 — 5»: how the outbox's list names a save. */
  private labelOf(op: Op): string {
    const page = this.state.page;
    const where = `${page.load.subjectName}, ${page.load.className}`;
    const studentOf = (id: number) => page.students.find((student) => student.id === id)?.fullName ?? 'ученик';
    const dateOf = (lessonId: number) => {
      const date = page.lessons.find((lesson) => lesson.id === lessonId)?.date ?? '';
      return date ? `${date.slice(8, 10)}.${date.slice(5, 7)}` : 'урок';
    };
    switch (op.type) {
      case 'createLesson':
        return `${where}: новый урок ${lessonTitle(op.lesson)}`;
      case 'addMark':
        return `${where}: ${studentOf(op.studentId)}, ${dateOf(op.lessonId)} — отметка ${op.value}`;
      case 'deleteMark':
        return `${where}: ${studentOf(op.mark.studentId)}, ${dateOf(op.mark.lessonId)} — удалить отметку ${op.mark.value}`;
      case 'setAttendance':
        return `${where}: ${studentOf(op.studentId)}, ${dateOf(op.lessonId)} — ${op.code === null ? 'снять пропуск' : 'пропуск'}`;
      case 'setFinal':
        return `${where}: ${studentOf(op.studentId)} — ${op.kind === 'period' ? `за «${page.period.name}»` : 'итог года'}: ${op.value || 'очистить'}`;
      case 'batch':
        return `${where}: вставка, ячеек: ${op.ops.length}`;
    }
  }

  /** The cell saves `work` makes go out as one batch (a single save when there is one); returns what was queued. */
  private asOneSave(work: () => void): Op[] {
    const queuedBefore = this.queue.length;
    const outer = this.collecting;
    const ops: CellOp[] = (this.collecting = []);
    try {
      work();
    } finally {
      this.collecting = outer;
    }
    if (ops.length === 1) this.enqueue(ops[0]!);
    for (let start = 0; ops.length > 1 && start < ops.length; start += MAX_BATCH_CELLS) {
      this.enqueue({ type: 'batch', key: `batch:${++batchCounter}`, ops: ops.slice(start, start + MAX_BATCH_CELLS) });
    }
    return this.queue.slice(queuedBefore);
  }

  private hasQueued(key: string, except?: Op): boolean {
    return this.queue.some((op) => op !== except && keysOf(op).includes(key));
  }

  private setStatuses(keys: readonly string[], status: CellStatus | null, extra: Partial<JournalState> = {}) {
    const next = new EditedMap(this.state.status);
    for (const key of keys) {
      if (status) next.set(key, status);
      else next.delete(key);
    }
    this.set({ status: next, ...extra });
  }

  private showSaved(keys: readonly string[]) {
    const status: CellStatus = { kind: 'saved' };
    const at = Date.now();
    for (const key of keys) this.savedSince.set(key, { status, at });
    this.setStatuses(keys, status, { offline: false, notice: { kind: 'ok', text: 'Сохранено.' } });
    this.scheduleSavedSweep();
  }

  private scheduleSavedSweep() {
    if (this.savedSweep !== null || this.disposed || this.savedSince.size === 0) return;
    let oldest = Infinity;
    for (const { at } of this.savedSince.values()) oldest = Math.min(oldest, at);
    this.savedSweep = setTimeout(() => {
      this.savedSweep = null;
      this.sweepSaved();
    }, Math.max(0, oldest + SAVED_SHOWN_MAX_MS - Date.now()));
  }

  /** Takes «saved» off every cell that has shown it long enough, in one redraw. */
  private sweepSaved() {
    if (this.disposed) return;
    const shownLongEnough = Date.now() - SAVED_SHOWN_MIN_MS;
    const status = new EditedMap(this.state.status);
    for (const [key, shown] of this.savedSince) {
      if (status.get(key) !== shown.status) this.savedSince.delete(key); // saved again, or refused since
      else if (shown.at <= shownLongEnough) {
        status.delete(key);
        this.savedSince.delete(key);
      }
    }
    if (status.size !== this.state.status.size) this.set({ status });
    this.scheduleSavedSweep();
  }

  private async pump() {
    if (this.running || this.disposed) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.disposed) {
        const op = this.queue[0]!;
        try {
          await this.receive(op);
          if (this.disposed) return;
          this.queue.shift();
          this.outboxed.delete(op);
          const done = keysOf(op).filter((key) => !this.hasQueued(key));
          if (done.length === 0) this.set({});
          else this.showSaved(done);
        } catch (thrown) {
          if (this.disposed) return;
          this.queue.shift();
          this.outboxed.delete(op);
          await this.failed(op, thrown instanceof ApiError ? thrown : asApiError(thrown));
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** «Повторить сейчас»: the outbox's next attempt does not wait for its timer. */
  retryNow() {
    outbox.retryNow();
  }

  /** Waits for the outbox's answer to a save and shows it. */
  private async receive(op: Op) {
    const sent = this.outboxed.get(op);
    let answer: unknown;
    try {
      answer = sent ? await sent.answer : SKIPPED;
    } catch (refusal) {
      const { kind, message, details } = refusal as { kind: ApiError['kind']; message: string; details?: unknown };
      throw new ApiError(kind, message, details);
    }
    if (answer === SKIPPED) return; // it acted on an edit that was refused: nothing to do
    switch (op.type) {
      case 'createLesson':
        this.lessonCreated(op, answer as LessonView);
        return;
      case 'addMark':
        this.markSaved(op, answer as MarkView);
        return;
      case 'deleteMark':
        this.created.delete(op.localId);
        return;
      case 'setAttendance':
        this.attendanceSaved(op, answer as MethodOutput<'journal.setAttendance'>, op);
        return;
      case 'batch': {
        const { results, sentIndices } = answer as MethodOutput<'journal.saveCells'> & { sentIndices?: number[] };
        const sentOps = op.sent ?? op.ops;
        results.forEach((result, index) => {
          const item = sentOps[sentIndices ? sentIndices[index]! : index];
          if (!item) return;
          if (item.type === 'addMark' && result.kind === 'mark') this.markSaved(item, result.mark);
          else if (item.type === 'deleteMark') this.created.delete(item.localId);
          else if (item.type === 'setAttendance' && result.kind === 'attendance') this.attendanceSaved(item, result.attendance, op);
        });
        return;
      }
      case 'setFinal': {
        const saved = answer as FinalView;
        if (op.kind !== 'period') {
          const finals = new EditedMap(this.state.yearFinals);
          const shown = this.hasQueued(op.key, op) ? finals.get(op.key)! : saved;
          finals.set(op.key, { ...shown, id: saved.id, version: saved.version });
          this.state = { ...this.state, yearFinals: finals };
        } else {
          const finals = new EditedMap(this.state.finals);
          const shown = this.hasQueued(op.key, op) ? finals.get(op.studentId)! : saved;
          finals.set(op.studentId, { ...shown, id: saved.id, version: saved.version });
          this.state = { ...this.state, finals };
        }
        return;
      }
    }
  }

  private markSaved(op: Extract<CellOp, { type: 'addMark' }>, saved: MarkView) {
    const marks = new EditedMap(this.state.marks);
    const list = marks.get(op.key) ?? [];
    const updated: CellMark = { ...saved, localId: op.localId, pending: false };
    // A delete queued before this save came back finds the id here.
    this.created.set(op.localId, updated);
    marks.set(op.key, list.map((mark) => (mark.localId === op.localId ? updated : mark)));
    this.state = { ...this.state, marks };
  }

  private attendanceSaved(op: Extract<CellOp, { type: 'setAttendance' }>, saved: MethodOutput<'journal.setAttendance'>, whole: Op) {
    const attendance = new EditedMap(this.state.attendance);
    const shown = this.hasQueued(op.key, whole) ? (attendance.get(op.key)?.code ?? null) : saved.code;
    attendance.set(op.key, { code: shown, version: saved.version });
    this.state = { ...this.state, attendance };
  }

  /** Marks created from this page, by their client id: what a later delete needs. */
  private readonly created = new Map<string, CellMark>();

  /** A refused save: its change is taken back on screen, with the core's reason on the cell. */
  private async failed(op: Op, error: ApiError) {
    if (op.type === 'createLesson') {
      this.lessonRefused(op, error);
      return;
    }
    // Nothing of it was saved: Ctrl+Z must not «undo» it into what the core holds now (e.g.
    // clear the «ОП» someone else set, that a refused «н» would have replaced).
    const step = this.undoOf.get(op);
    const stepIndex = step ? this.undoStack.indexOf(step) : -1;
    if (stepIndex >= 0) this.undoStack.splice(stepIndex, 1);
    if (op.type === 'batch') {
      // Nothing of the batch was written: every cell of it shows the core's value again, and
      // the cells the core refused say why (a stale one shows who changed it).
      const keys = keysOf(op);
      const refused = (error.details as { refused?: RefusedCell[] } | undefined)?.refused ?? [];
      const refusedKeys = new Map<string, RefusedCell>();
      for (const cell of refused) {
        const item = op.sent?.[cell.index];
        if (item) refusedKeys.set(item.key, cell);
      }
      for (const [key, cell] of refusedKeys) if (cell.kind === 'conflict') this.dropQueued(key);
      await this.refresh(keys);
      const status = new EditedMap(this.state.status);
      for (const key of keys) status.delete(key);
      if (refusedKeys.size === 0) for (const key of keys) status.set(key, { kind: 'error', message: error.message });
      for (const [key, cell] of refusedKeys) status.set(key, { kind: cell.kind === 'conflict' ? 'conflict' : 'error', message: cell.message });
      this.set({ status, notice: { kind: error.kind === 'conflict' ? 'conflict' : 'error', text: error.message } });
      return;
    }
    if (error.kind === 'conflict') {
      // Someone else changed the cell: show what is there now and who did it; nothing is overwritten.
      this.dropQueued(op.key);
      await this.refresh([op.key]);
      this.setStatus(op.key, { kind: 'conflict', message: error.message }, { notice: { kind: 'conflict', text: error.message } });
      return;
    }
    this.rollBack(op);
    this.setStatus(op.key, { kind: 'error', message: error.message }, { notice: { kind: 'error', text: error.message } });
  }

  /** Later saves of a cell someone else changed are not sent over the other person's value. */
  private dropQueued(key: string) {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const op = this.queue[i]!;
      if (keysOf(op).includes(key) && (op.type !== 'batch' || op.ops.every((item) => item.key === key))) {
        const sent = this.outboxed.get(op);
        if (sent && outbox.withdraw(sent.id)) {
          this.queue.splice(i, 1);
          this.outboxed.delete(op);
        }
      }
    }
  }

  private rollBack(op: Op) {
    if (op.type === 'addMark') {
      const marks = new EditedMap(this.state.marks);
      marks.set(
        op.key,
        (marks.get(op.key) ?? []).filter((mark) => mark.localId !== op.localId),
      );
      this.state = { ...this.state, marks };
    } else if (op.type === 'deleteMark' || op.type === 'setAttendance' || op.type === 'setFinal') {
      // The core kept its value: show the core's value for this cell.
      void this.refresh([op.key]);
    }
  }

  /** Re-reads the page; cells with saves still waiting keep what the teacher typed. */
  async refresh(onlyKeys?: readonly string[]) {
    const page = this.state.page;
    const fresh = await api.call('journal.page', { loadId: page.load.loadId, periodId: page.period.id });
    const indexed = indexPage(fresh);
    const waiting = new Set(this.queue.flatMap(keysOf));
    const takesFresh = (key: string) => !waiting.has(key) && (onlyKeys === undefined || onlyKeys.includes(key));
    const marks = new EditedMap(this.state.marks);
    const attendance = new EditedMap(this.state.attendance);
    const finals = new EditedMap(this.state.finals);
    for (const key of new Set([...marks.keys(), ...indexed.marks.keys()])) {
      if (!takesFresh(key)) continue;
      const value = indexed.marks.get(key);
      if (value) marks.set(key, value);
      else marks.delete(key);
    }
    for (const key of new Set([...attendance.keys(), ...indexed.attendance.keys()])) {
      if (!takesFresh(key)) continue;
      const value = indexed.attendance.get(key);
      if (value) attendance.set(key, value);
      else attendance.delete(key);
    }
    for (const studentId of new Set([...finals.keys(), ...indexed.finals.keys()])) {
      if (!takesFresh(finalKey(studentId))) continue;
      const value = indexed.finals.get(studentId);
      if (value) finals.set(studentId, value);
      else finals.delete(studentId);
    }
    const yearFinals = new EditedMap(this.state.yearFinals);
    for (const key of new Set([...yearFinals.keys(), ...indexed.yearFinals.keys()])) {
      if (!takesFresh(key)) continue;
      const value = indexed.yearFinals.get(key);
      if (value) yearFinals.set(key, value);
      else yearFinals.delete(key);
    }
    this.set({ page: { ...fresh, lessons: this.withUnsentLessons(fresh.lessons), students: fresh.students }, marks, attendance, finals, yearFinals, otherPeriodFinals: indexed.otherPeriodFinals });
  }

  /** A whole new page (after a lesson was saved, or the period changed). */
  replacePage(page: JournalPage) {
    const waiting = this.queue.length > 0;
    if (waiting) {
      this.set({ page: { ...this.state.page, lessons: this.withUnsentLessons(page.lessons), students: page.students } });
      void this.refresh();
      return;
    }
    // Ctrl+Z does not reach across a reload: the cells it remembered are read anew.
    this.undoStack.length = 0;
    this.set({ page, ...indexPage(page), status: new Map() });
  }
}
