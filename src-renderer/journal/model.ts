import type { AttendanceView, FinalView, JournalPage, MarkView } from '../../src-shared/contract/journal';
import { displayedAverage, suggestFinal, type AverageRules } from '../../src-shared/rules/average';
import { ApiError, api, asApiError } from '../api/client';

// The journal page's state on the client: what the core last said, plus the saves the
// teacher made that are still on their way. Every change is shown at once (optimistic),
// saved in order through one queue, and retried with the SAME idempotency key when the
// database host is unreachable, so nothing typed is lost and nothing is applied twice.

export const cellKey = (lessonId: number, studentId: number) => `${lessonId}:${studentId}`;
export const finalKey = (studentId: number) => `final:${studentId}`;

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
  status: ReadonlyMap<string, CellStatus>;
  /** Saves still waiting (e.g. for the database host to come back). */
  queued: number;
  offline: boolean;
  canUndo: boolean;
  /** The last message worth a line under the grid. */
  notice: { kind: 'ok' | 'error' | 'offline' | 'conflict'; text: string } | null;
}

type Op =
  | { type: 'addMark'; key: string; localId: string; lessonId: number; studentId: number; value: string; workTypeId: number; comment: string; idempotencyKey: string }
  | { type: 'deleteMark'; key: string; localId: string; mark: CellMark; idempotencyKey: string }
  | { type: 'setAttendance'; key: string; lessonId: number; studentId: number; code: 'ОТ' | 'ОП' | null; idempotencyKey: string }
  | { type: 'setFinal'; key: string; studentId: number; value: string; deferred: boolean; idempotencyKey: string };

/** What undoes one change, read against the state at the moment of undoing. */
type Inverse =
  | { type: 'deleteMark'; key: string; localId: string }
  | { type: 'addMark'; lessonId: number; studentId: number; value: string; workTypeId: number; comment: string }
  | { type: 'setAttendance'; lessonId: number; studentId: number; code: 'ОТ' | 'ОП' | null }
  | { type: 'setFinal'; studentId: number; value: string; deferred: boolean };

export const OFFLINE_MESSAGE = 'Не сохранено — нет связи с базой, повторяю…';
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];

let localCounter = 0;
function newKey(): string {
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
  for (const final of page.finals) if (final.kind === 'period' && final.periodId === page.period.id) finals.set(final.studentId, final);
  return { marks, attendance, finals };
}

export class JournalModel {
  private state: JournalState;
  private readonly listeners = new Set<() => void>();
  private readonly queue: Op[] = [];
  private running = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private wakeRetry: (() => void) | null = null;
  private readonly undoStack: Inverse[][] = [];
  private disposed = false;

  constructor(page: JournalPage) {
    this.state = { page, ...indexPage(page), status: new Map(), queued: 0, offline: false, canUndo: false, notice: null };
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = () => this.state;

  private set(patch: Partial<JournalState>) {
    this.state = { ...this.state, ...patch, queued: this.queue.length, canUndo: this.undoStack.length > 0 };
    for (const listener of this.listeners) listener();
  }

  dispose() {
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
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

  // ——— changes a teacher makes ———

  private setStatus(key: string, status: CellStatus | null, extra: Partial<JournalState> = {}) {
    const next = new Map(this.state.status);
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
    const marks = new Map(this.state.marks);
    marks.set(key, [...(marks.get(key) ?? []), mark]);
    this.state = { ...this.state, marks };
    this.enqueue({ type: 'addMark', key, localId, lessonId, studentId, value, workTypeId, comment, idempotencyKey: newKey() });
    return { type: 'deleteMark', key, localId };
  }

  private deleteMark(key: string, localId: string): Inverse | null {
    const list = this.state.marks.get(key) ?? [];
    const mark = list.find((item) => item.localId === localId);
    if (!mark) return null;
    const marks = new Map(this.state.marks);
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
    const attendance = new Map(this.state.attendance);
    attendance.set(key, { ...current, code });
    this.state = { ...this.state, attendance };
    this.enqueue({ type: 'setAttendance', key, lessonId, studentId, code, idempotencyKey: newKey() });
    return { type: 'setAttendance', lessonId, studentId, code: current.code as 'ОТ' | 'ОП' | null };
  }

  private setFinal(studentId: number, value: string, deferred: boolean): Inverse | null {
    const current = this.state.finals.get(studentId);
    if ((current?.value ?? '') === value && (current?.deferred ?? false) === deferred) return null;
    const finals = new Map(this.state.finals);
    const page = this.state.page;
    finals.set(studentId, { id: current?.id ?? 0, studentId, kind: 'period', periodId: page.period.id, value, suggested: current?.suggested ?? '', deferred, version: current?.version ?? 0 });
    this.state = { ...this.state, finals };
    this.enqueue({ type: 'setFinal', key: finalKey(studentId), studentId, value, deferred, idempotencyKey: newKey() });
    return { type: 'setFinal', studentId, value: current?.value ?? '', deferred: current?.deferred ?? false };
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
        return this.setFinal(inverse.studentId, inverse.value, inverse.deferred);
    }
  }

  /** One user action (a keystroke, a paste, a Delete) as one undo step. */
  private group(work: (push: (inverse: Inverse | null) => void) => void) {
    const inverses: Inverse[] = [];
    work((inverse) => {
      if (inverse) inverses.push(inverse);
    });
    if (inverses.length > 0) {
      this.undoStack.push(inverses.reverse());
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

  enterFinal(studentId: number, value: string, deferred = false) {
    this.group((push) => push(this.setFinal(studentId, value, deferred)));
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

  clearFinal(studentId: number) {
    this.group((push) => push(this.setFinal(studentId, '', false)));
  }

  /** A pasted block: each cell's entries in one undo step. */
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

  /** Ctrl+Z: undoes the last action on the server too (deletes what was added, restores what was deleted). */
  undo(): boolean {
    const inverses = this.undoStack.pop();
    if (!inverses) return false;
    for (const inverse of inverses) this.apply(inverse);
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
    this.queue.push(op);
    const status = new Map(this.state.status);
    status.set(op.key, { kind: 'saving' });
    this.state = { ...this.state, status };
  }

  private hasQueued(key: string, except?: Op): boolean {
    return this.queue.some((op) => op !== except && op.key === key);
  }

  private async pump() {
    if (this.running || this.disposed) return;
    this.running = true;
    try {
      let failures = 0;
      while (this.queue.length > 0 && !this.disposed) {
        const op = this.queue[0]!;
        try {
          await this.send(op);
          failures = 0;
          this.queue.shift();
          const stillQueued = this.hasQueued(op.key);
          this.set(stillQueued ? {} : { offline: false });
          if (!stillQueued) this.setStatus(op.key, { kind: 'saved' }, { offline: false, notice: { kind: 'ok', text: 'Сохранено.' } });
        } catch (thrown) {
          const error = asApiError(thrown);
          if (error.kind === 'unavailable') {
            // Keep the save and its key; try again until the database host answers.
            this.setStatus(op.key, { kind: 'offline', message: OFFLINE_MESSAGE }, { offline: true, notice: { kind: 'offline', text: OFFLINE_MESSAGE } });
            await this.waitBeforeRetry(RETRY_DELAYS_MS[Math.min(failures, RETRY_DELAYS_MS.length - 1)]!);
            failures++;
            continue;
          }
          this.queue.shift();
          await this.failed(op, error);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private waitBeforeRetry(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeRetry = resolve;
      this.retryTimer = setTimeout(resolve, ms);
    });
  }

  /** «Повторить сейчас»: the retry does not wait for its timer. */
  retryNow() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.wakeRetry?.();
  }

  private async send(op: Op) {
    switch (op.type) {
      case 'addMark': {
        const saved = await api.call('journal.saveMark', { lessonId: op.lessonId, studentId: op.studentId, value: op.value, workTypeId: op.workTypeId, comment: op.comment, idempotencyKey: op.idempotencyKey });
        const marks = new Map(this.state.marks);
        const list = marks.get(op.key) ?? [];
        const updated: CellMark = { ...saved, localId: op.localId, pending: false };
        // A delete queued before this save came back finds the id here.
        this.created.set(op.localId, updated);
        marks.set(op.key, list.map((mark) => (mark.localId === op.localId ? updated : mark)));
        this.state = { ...this.state, marks };
        return;
      }
      case 'deleteMark': {
        const mark = op.mark.id !== 0 ? op.mark : this.created.get(op.localId);
        if (!mark) return; // its creation failed: nothing to delete
        await api.call('journal.deleteMark', { markId: mark.id, version: mark.version, idempotencyKey: op.idempotencyKey });
        this.created.delete(op.localId);
        return;
      }
      case 'setAttendance': {
        const current = this.state.attendance.get(op.key) ?? { code: null, version: 0 };
        const saved = await api.call('journal.setAttendance', { lessonId: op.lessonId, studentId: op.studentId, code: op.code, version: current.version, idempotencyKey: op.idempotencyKey });
        const attendance = new Map(this.state.attendance);
        const shown = this.hasQueued(op.key, op) ? (attendance.get(op.key)?.code ?? null) : saved.code;
        attendance.set(op.key, { code: shown, version: saved.version });
        this.state = { ...this.state, attendance };
        return;
      }
      case 'setFinal': {
        const current = this.state.finals.get(op.studentId);
        const page = this.state.page;
        const saved = await api.call('journal.setFinal', {
          loadId: page.load.loadId,
          studentId: op.studentId,
          kind: 'period',
          periodId: page.period.id,
          value: op.value,
          deferred: op.deferred,
          version: current?.version ?? 0,
          idempotencyKey: op.idempotencyKey,
        });
        const finals = new Map(this.state.finals);
        const shown = this.hasQueued(op.key, op) ? finals.get(op.studentId)! : saved;
        finals.set(op.studentId, { ...shown, id: saved.id, version: saved.version });
        this.state = { ...this.state, finals };
        return;
      }
    }
  }

  /** Marks created from this page, by their client id: what a later delete needs. */
  private readonly created = new Map<string, CellMark>();

  /** A refused save: its change is taken back on screen, with the core's reason on the cell. */
  private async failed(op: Op, error: ApiError) {
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

  private dropQueued(key: string) {
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.queue[i]!.key === key) this.queue.splice(i, 1);
  }

  private rollBack(op: Op) {
    if (op.type === 'addMark') {
      const marks = new Map(this.state.marks);
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
    const waiting = new Set(this.queue.map((op) => op.key));
    const takesFresh = (key: string) => !waiting.has(key) && (onlyKeys === undefined || onlyKeys.includes(key));
    const marks = new Map(this.state.marks);
    const attendance = new Map(this.state.attendance);
    const finals = new Map(this.state.finals);
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
    this.set({ page: { ...fresh, lessons: fresh.lessons, students: fresh.students }, marks, attendance, finals });
  }

  /** A whole new page (after a lesson was saved, or the period changed). */
  replacePage(page: JournalPage) {
    const waiting = this.queue.length > 0;
    if (waiting) {
      this.set({ page: { ...this.state.page, lessons: page.lessons, students: page.students } });
      void this.refresh();
      return;
    }
    // Ctrl+Z does not reach across a reload: the cells it remembered are read anew.
    this.undoStack.length = 0;
    this.set({ page, ...indexPage(page), status: new Map() });
  }
}
