// One outbox per PC for the journal's saves. Every edit is written here, with its
// idempotency key, before it is sent; it is sent in order, retried with the same key while
// the database cannot be reached, and taken out only when the core has answered. It lives
// outside any page, so leaving the page, a reload or a crash of the renderer or the app
// loses nothing: on the next start the stored edits are sent again, and the keys make a
// save that had already landed harmless. (The app sends a new edit just after the frame
// that shows it: see lib/after-paint.)
//
// Plain TypeScript (no DOM): the storage and the call are handed in, so the same code runs
// in the renderer and under Node in the tests.

export type OutboxMethod = 'journal.saveMark' | 'journal.deleteMark' | 'journal.setAttendance' | 'journal.setFinal' | 'journal.saveCells' | 'journal.saveLesson';

/** A value of an edit's input that only an earlier edit's answer can give (a new mark's id, a version, the id of a lesson created offline). */
export interface OutboxRef {
  /** Where it goes in `input`: `['markId']`, `['cells', 3, 'version']`. */
  path: (string | number)[];
  /** The idempotency key of the earlier edit. */
  fromKey: string;
  pick: 'markId' | 'markVersion' | 'attendanceVersion' | 'finalVersion' | 'lessonId';
  /** Added to the picked value (a code changed twice in one batch). */
  add?: number;
  /** Used when the earlier edit was refused; without one the edit has nothing to act on and is skipped. */
  fallback?: number;
}

export interface OutboxEntry {
  /** Increasing: the order the edits are sent in. */
  id: number;
  /** Whose edit: it is sent only while that person is signed in on this PC. */
  userId: number;
  method: OutboxMethod;
  input: Record<string, unknown>;
  refs: OutboxRef[];
  /** In Russian, for the «Не отправлено» list: where and what. */
  label: string;
  queuedAt: string;
  /** What the page that made the edit needs to show it again after a reload. */
  origin?: { loadId: number; periodId: number; op: unknown };
  /**
   * The core refused it and no open page took the answer: kept for the teacher to see, with
   * the labels of the edits that depended on it and were not sent (marks typed into a lesson
   * whose creation was refused).
   */
  refused?: { kind: string; message: string; dropped?: string[] };
}

export interface OutboxStorage {
  load(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  remove(id: number): Promise<void>;
}

/** A refusal as the call reports it (the renderer's ApiError has this shape). */
export interface OutboxFailure {
  kind: string;
  message: string;
  details?: unknown;
}

export type OutboxCall = (method: OutboxMethod, input: Record<string, unknown>) => Promise<unknown>;

/** An edit skipped because the edit it depended on was refused (a delete of a mark never made). */
export const SKIPPED = Symbol('skipped');

export interface OutboxSnapshot {
  /** The signed-in person's edits not yet accepted, in order (refused ones included). */
  entries: readonly OutboxEntry[];
  /** The last attempt found the database unreachable. */
  offline: boolean;
}

type Facts = { markId?: number; markVersion?: number; attendanceVersion?: number; finalVersion?: number; lessonId?: number } | 'refused';

interface Waiter {
  resolve(value: unknown): void;
  reject(failure: OutboxFailure): void;
}

const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15000];
const FACTS_KEPT = 2000;
/**
 * An edit that waited at least this long (this PC's clock at entry and at sending: its error
 * cancels out) is sent with its entry time; a fresh one is judged at the server's moment of
 * receipt, seconds later, so a PC clock a few minutes off never refuses live typing.
 */
export const ENTRY_TIME_AFTER_MS = 30_000;
/** Single cell edits waiting together are sent as one `journal.saveCells` of at most this many. */
const BATCH_LIMIT = 200;
const BATCHABLE: ReadonlySet<OutboxMethod> = new Set(['journal.saveMark', 'journal.deleteMark', 'journal.setAttendance']);
const CELL_KIND: Partial<Record<OutboxMethod, string>> = { 'journal.saveMark': 'mark', 'journal.deleteMark': 'deleteMark', 'journal.setAttendance': 'attendance' };

function failureOf(error: unknown): OutboxFailure {
  const { kind, message, details } = (error ?? {}) as Partial<OutboxFailure>;
  if (typeof kind === 'string' && typeof message === 'string') return { kind, message, details };
  return { kind: 'internal', message: 'Непредвиденная ошибка при отправке.', details: String(error) };
}

/** The idempotency keys an edit carries: its own, or each cell's of a batch. */
export function keysOfEntry(entry: Pick<OutboxEntry, 'method' | 'input'>): string[] {
  if (entry.method === 'journal.saveCells') {
    return ((entry.input.cells as { idempotencyKey: string }[] | undefined) ?? []).map((cell) => cell.idempotencyKey);
  }
  return typeof entry.input.idempotencyKey === 'string' ? [entry.input.idempotencyKey] : [];
}

function setAt(target: Record<string, unknown>, path: readonly (string | number)[], value: unknown) {
  let node: Record<string | number, unknown> = target;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
}

export class Outbox {
  private entries: OutboxEntry[] = [];
  private readonly waiters = new Map<number, Waiter>();
  /** Resolves when the entry's first write to storage is done. */
  private readonly stored = new Map<number, Promise<void>>();
  private readonly facts = new Map<string, Facts>();
  private readonly listeners = new Set<() => void>();
  /** Storage writes go one after another, in the order they were made. */
  private writes: Promise<void> = Promise.resolve();
  private lastId = 0;
  private userId: number | null = null;
  private offline = false;
  private pumping = false;
  /** Sent and not yet answered: such an edit cannot be withdrawn. */
  private readonly inFlight = new Set<OutboxEntry>();
  /** Edits up to this id were in a refused batch: they are sent alone. */
  private aloneThrough = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private wake: (() => void) | null = null;
  private snapshotCache: OutboxSnapshot | null = null;
  private loaded: Promise<void>;
  private stopped = false;

  constructor(
    private readonly storage: OutboxStorage,
    private readonly call: OutboxCall,
    private readonly clock: () => Date = () => new Date(),
    /** When a new edit is counted and sent: the app waits for the frame that shows it (lib/after-paint). */
    private readonly afterShown: (work: () => void) => void = (work) => work(),
  ) {
    this.loaded = storage.load().then(
      (entries) => {
        // Edits made before the load finished come after the stored ones.
        const made = this.entries;
        this.entries = [...entries.sort((a, b) => a.id - b.id), ...made];
        this.lastId = Math.max(this.lastId, ...entries.map((entry) => entry.id));
        this.changed();
      },
      () => {
        // Unreadable storage: the outbox still works for this run.
      },
    );
  }

  /** Resolves once the stored edits are read (the page shows them again after a reload). */
  ready(): Promise<void> {
    return this.loaded;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Edits kept on this PC for anyone, refused ones aside: what the screens before sign-in can count. */
  heldCount = (): number => this.entries.filter((entry) => !entry.refused).length;

  snapshot = (): OutboxSnapshot => {
    this.snapshotCache ??= { entries: this.entries.filter((entry) => entry.userId === this.userId), offline: this.offline };
    return this.snapshotCache;
  };

  private changed() {
    this.snapshotCache = null;
    for (const listener of this.listeners) listener();
  }

  /** Who is signed in on this PC (null: nobody); their stored edits start going out. */
  setUser(userId: number | null) {
    this.userId = userId;
    this.changed();
    void this.loaded.then(() => this.pump());
  }

  /**
   * Puts an edit in the outbox. `stored` resolves once it is on disk (or in IndexedDB):
   * only then is it shown as being sent. `settled` gives the core's answer, or rejects with
   * its refusal (the caller then owns the refusal and the edit leaves the outbox).
   */
  submit(draft: Omit<OutboxEntry, 'id' | 'queuedAt' | 'userId'>): { id: number; stored: Promise<void>; settled: Promise<unknown> } {
    if (this.userId === null) throw new Error('Outbox: no one is signed in');
    const entry: OutboxEntry = { ...draft, id: this.nextId(), userId: this.userId, queuedAt: this.clock().toISOString() };
    this.entries.push(entry);
    // Written at once (a reload the next instant must not lose it); counted on screen and sent
    // once the edit itself is on screen.
    const stored = this.write(() => this.storage.put(entry));
    this.stored.set(entry.id, stored);
    const settled = this.settled(entry.id);
    settled.catch(() => {}); // the caller owns a refusal; none must go unhandled if it is not waited on
    const shown = new Promise<void>((resolve) => this.afterShown(resolve));
    this.snapshotCache = null;
    void shown.then(() => this.changed());
    void stored.then(() => shown).then(() => this.pump());
    return { id: entry.id, stored, settled };
  }

  /** The answer to a queued edit; a page opened after a reload waits on its edits again. */
  settled(id: number): Promise<unknown> {
    return new Promise((resolve, reject) => this.waiters.set(id, { resolve, reject }));
  }

  /** The page that waited is gone: a refusal of these edits stays in the list instead. */
  release(ids: Iterable<number>) {
    for (const id of ids) this.waiters.delete(id);
  }

  /**
   * Takes back an edit not yet sent (later edits of a cell someone else has changed);
   * false when it is already on its way and must be answered.
   */
  withdraw(id: number): boolean {
    const entry = this.entries.find((item) => item.id === id);
    if (!entry || this.inFlight.has(entry)) return false;
    this.entries = this.entries.filter((item) => item !== entry);
    this.waiters.delete(id);
    void this.write(() => this.storage.remove(id));
    this.changed();
    return true;
  }

  /** Takes a refused edit off the list (the teacher has seen it). */
  dismiss(id: number) {
    const index = this.entries.findIndex((entry) => entry.id === id && entry.refused);
    if (index < 0) return;
    this.entries.splice(index, 1);
    void this.write(() => this.storage.remove(id));
    this.changed();
  }

  /** «Повторить сейчас»: the next attempt does not wait for its timer. */
  retryNow() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.wake?.();
  }

  /** Waits for the storage writes made so far (tests; closing the app). */
  flush(): Promise<void> {
    return this.writes;
  }

  /** Stops sending (tests). */
  stop() {
    this.stopped = true;
    this.retryNow();
  }

  private nextId(): number {
    // Time-based so that two windows of one PC rarely collide; always increasing here.
    this.lastId = Math.max(this.lastId + 1, Date.now() * 1000);
    return this.lastId;
  }

  private write(work: () => Promise<void>): Promise<void> {
    const next = this.writes.then(work);
    this.writes = next.catch(() => {});
    return next;
  }

  private nextToSend(): OutboxEntry | undefined {
    return this.entries.find((entry) => !entry.refused && entry.userId === this.userId);
  }

  private async pump() {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let failures = 0;
      for (;;) {
        const entry = this.nextToSend();
        if (!entry || this.stopped) return;
        await this.stored.get(entry.id)?.catch(() => {});
        const batch = this.batchFrom(entry);
        if (batch) {
          await this.stored.get(batch[batch.length - 1]!.entry.id)?.catch(() => {});
          const outcome = await this.sendBatch(batch);
          if (outcome === 'unavailable') {
            await this.waitBeforeRetry(RETRY_DELAYS_MS[Math.min(failures++, RETRY_DELAYS_MS.length - 1)]!);
            continue;
          }
          if (outcome === 'unauthenticated') return;
          failures = 0;
          continue;
        }
        const input = this.resolve(entry);
        if (input === SKIPPED) {
          for (const key of keysOfEntry(entry)) this.facts.set(key, 'refused');
          this.noteDropped(entry);
          this.finish(entry, SKIPPED);
          continue;
        }
        let answer: unknown;
        try {
          this.inFlight.add(entry);
          answer = await this.call(entry.method, input.value);
        } catch (error) {
          this.inFlight.clear();
          const failure = failureOf(error);
          if (failure.kind === 'unavailable') {
            if (!this.offline) {
              this.offline = true;
              this.changed();
            }
            await this.waitBeforeRetry(RETRY_DELAYS_MS[Math.min(failures++, RETRY_DELAYS_MS.length - 1)]!);
            continue;
          }
          // The session is over: the edits wait for the next sign-in (setUser starts again).
          if (failure.kind === 'unauthenticated') return;
          this.refuse(entry, failure, input.sentIndices);
          failures = 0;
          continue;
        }
        this.inFlight.clear();
        failures = 0;
        if (this.offline) this.offline = false;
        this.learn(entry.method, input.value, answer);
        this.finish(entry, input.sentIndices ? { ...(answer as object), sentIndices: input.sentIndices } : answer);
      }
    } finally {
      this.pumping = false;
      this.inFlight.clear();
    }
  }

  /**
   * Single cell edits waiting one after another (an outage's backlog, fast typing) go as
   * one batch: one round trip and one transaction instead of one each. Null when the next
   * edit goes alone: it is no single cell edit, depends on an edit of the same batch, or
   * an earlier batch of it was refused (each is then sent alone and answered alone).
   */
  private batchFrom(first: OutboxEntry): { entry: OutboxEntry; input: Record<string, unknown> }[] | null {
    const batch: { entry: OutboxEntry; input: Record<string, unknown> }[] = [];
    const keys = new Set<string>();
    for (const entry of this.entries) {
      if (entry.id < first.id || entry.refused || entry.userId !== this.userId) continue;
      if (batch.length >= BATCH_LIMIT || !BATCHABLE.has(entry.method) || entry.id <= this.aloneThrough) break;
      if (typeof entry.input.idempotencyKey !== 'string' || entry.refs.some((ref) => keys.has(ref.fromKey))) break;
      const resolved = this.resolve(entry);
      if (resolved === SKIPPED) break;
      batch.push({ entry, input: resolved.value });
      keys.add(entry.input.idempotencyKey);
    }
    return batch.length >= 2 ? batch : null;
  }

  /** Sends a batch; each edit of it is answered as if it had been sent alone. */
  private async sendBatch(batch: { entry: OutboxEntry; input: Record<string, unknown> }[]): Promise<'sent' | 'unavailable' | 'unauthenticated' | 'refused'> {
    const cells = batch.map(({ entry, input }) => ({ kind: CELL_KIND[entry.method], ...input }));
    let answer: { results: Record<string, unknown>[] };
    try {
      for (const { entry } of batch) this.inFlight.add(entry);
      answer = (await this.call('journal.saveCells', { cells })) as typeof answer;
    } catch (error) {
      const failure = failureOf(error);
      if (failure.kind === 'unavailable') {
        if (!this.offline) {
          this.offline = true;
          this.changed();
        }
        return 'unavailable';
      }
      if (failure.kind === 'unauthenticated') return 'unauthenticated';
      // Nothing of the batch was written: its edits go one by one, each with its own answer.
      this.aloneThrough = batch[batch.length - 1]!.entry.id;
      return 'refused';
    } finally {
      this.inFlight.clear();
    }
    if (this.offline) this.offline = false;
    batch.forEach(({ entry, input }, index) => {
      const saved = answer.results[index]!;
      const single = saved.kind === 'mark' ? saved.mark : saved.kind === 'attendance' ? saved.attendance : { done: true };
      this.learn(entry.method, input, single);
      this.finish(entry, single);
    });
    return 'sent';
  }

  /** A refused edit still in the list names the edits that went with it. */
  private noteDropped(entry: OutboxEntry) {
    const source = this.entries.find((other) => other.refused && entry.refs.some((ref) => keysOfEntry(other).includes(ref.fromKey)));
    if (!source?.refused) return;
    source.refused = { ...source.refused, dropped: [...(source.refused.dropped ?? []), entry.label] };
    const snapshot = structuredClone(source);
    void this.write(() => this.storage.put(snapshot));
    this.changed();
  }

  private waitBeforeRetry(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.retryTimer = setTimeout(resolve, ms);
    });
  }

  /** The input with every reference filled in; a batch may lose cells (their positions in `sentIndices`). */
  private resolve(entry: OutboxEntry): typeof SKIPPED | { value: Record<string, unknown>; sentIndices?: number[] } {
    const value = structuredClone(entry.input);
    if (this.clock().getTime() - Date.parse(entry.queuedAt) >= ENTRY_TIME_AFTER_MS) {
      if (entry.method === 'journal.saveCells') for (const cell of value.cells as Record<string, unknown>[]) cell.enteredAt ??= entry.queuedAt;
      else value.enteredAt ??= entry.queuedAt;
    }
    const droppedCells = new Set<number>();
    for (const ref of entry.refs) {
      const facts = this.facts.get(ref.fromKey);
      const known = facts && facts !== 'refused' ? facts[ref.pick] : undefined;
      // A reference to an edit neither answered nor refused in this run: it was sent before
      // a reload and its answer filled the stored input then; the fallback is the page's value.
      const picked = known !== undefined ? known + (ref.add ?? 0) : ref.fallback;
      if (picked !== undefined) {
        setAt(value, ref.path, picked);
        continue;
      }
      if (entry.method !== 'journal.saveCells') return SKIPPED;
      droppedCells.add(ref.path[1] as number);
    }
    if (entry.method !== 'journal.saveCells') return { value };
    const cells = value.cells as unknown[];
    const sentIndices = cells.map((_, index) => index).filter((index) => !droppedCells.has(index));
    if (sentIndices.length === 0) return SKIPPED;
    return { value: { ...value, cells: sentIndices.map((index) => cells[index]) }, sentIndices };
  }

  /** What the core's answer tells later edits (a new mark's id, a version), by key. */
  private learn(method: OutboxMethod, input: Record<string, unknown>, answer: unknown) {
    const remember = (key: unknown, facts: Facts) => {
      if (typeof key !== 'string') return;
      this.facts.set(key, facts);
      if (this.facts.size > FACTS_KEPT) this.facts.delete(this.facts.keys().next().value as string);
    };
    const result = answer as Record<string, unknown>;
    switch (method) {
      case 'journal.saveMark':
        remember(input.idempotencyKey, { markId: result.id as number, markVersion: result.version as number });
        break;
      case 'journal.setAttendance':
        remember(input.idempotencyKey, { attendanceVersion: result.version as number });
        break;
      case 'journal.setFinal':
        remember(input.idempotencyKey, { finalVersion: result.version as number });
        break;
      case 'journal.saveLesson':
        // A lesson created while the server was away: the marks typed into it wait for its id.
        remember(input.idempotencyKey, { lessonId: result.id as number });
        break;
      case 'journal.saveCells': {
        const cells = input.cells as { idempotencyKey: string }[];
        (result.results as { kind: string; mark?: { id: number; version: number }; attendance?: { version: number } }[]).forEach((saved, index) => {
          const key = cells[index]?.idempotencyKey;
          if (saved.kind === 'mark' && saved.mark) remember(key, { markId: saved.mark.id, markVersion: saved.mark.version });
          if (saved.kind === 'attendance' && saved.attendance) remember(key, { attendanceVersion: saved.attendance.version });
        });
        break;
      }
      case 'journal.deleteMark':
        break;
    }
    this.fillWaitingRefs();
  }

  /** Later edits that waited on an answer get it written into their stored input. */
  private fillWaitingRefs() {
    for (const entry of this.entries) {
      if (entry.refs.length === 0) continue;
      const open: OutboxRef[] = [];
      for (const ref of entry.refs) {
        const facts = this.facts.get(ref.fromKey);
        const known = facts && facts !== 'refused' ? facts[ref.pick] : undefined;
        if (known === undefined) open.push(ref);
        else setAt(entry.input, ref.path, known + (ref.add ?? 0));
      }
      if (open.length === entry.refs.length) continue;
      entry.refs = open;
      const snapshot = structuredClone(entry);
      void this.write(() => this.storage.put(snapshot));
    }
  }

  private finish(entry: OutboxEntry, answer: unknown) {
    this.entries = this.entries.filter((item) => item !== entry);
    void this.write(() => this.storage.remove(entry.id));
    const waiter = this.waiters.get(entry.id);
    this.waiters.delete(entry.id);
    this.changed();
    waiter?.resolve(answer);
  }

  private refuse(entry: OutboxEntry, failure: OutboxFailure, sentIndices: number[] | undefined) {
    for (const key of keysOfEntry(entry)) this.facts.set(key, 'refused');
    // A refused batch names its cells by position in what was sent: give the page its own positions.
    const refused = (failure.details as { refused?: { index: number }[] } | undefined)?.refused;
    const details = sentIndices && refused ? { ...(failure.details as object), refused: refused.map((cell) => ({ ...cell, index: sentIndices[cell.index] ?? cell.index })) } : failure.details;
    const waiter = this.waiters.get(entry.id);
    if (waiter) {
      this.waiters.delete(entry.id);
      this.entries = this.entries.filter((item) => item !== entry);
      void this.write(() => this.storage.remove(entry.id));
      this.changed();
      waiter.reject({ ...failure, details });
      return;
    }
    // Nobody has the page open: the teacher sees it in the list, with the core's reason.
    entry.refused = { kind: failure.kind, message: failure.message };
    const snapshot = structuredClone(entry);
    void this.write(() => this.storage.put(snapshot));
    this.changed();
  }
}
