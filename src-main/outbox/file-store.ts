import { closeSync, existsSync, fdatasync, fdatasyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

// The journal outbox of this PC on disk (the app's userData): what the renderer has queued
// and the core has not yet accepted. The renderer owns the entries' meaning; this store only
// keeps them, as an append-only log of JSON lines (`put` an entry, `remove` an id).
//
// What an acknowledged `put` survives: the line is written to the file (the operating
// system holds it) before the call returns, so a crash of the renderer or of the app, or
// the app being killed, loses nothing. The flush to the disk itself (fdatasync, 5–20 ms on
// an ordinary disk) is a group commit: one runs after the first `put`, and every `put`
// made while it runs is flushed by the next one. A power cut or an OS crash can therefore
// lose the edits typed in the last flush or two — tens of milliseconds of typing — while a
// save never waits for the disk. Opening compacts the log to the live entries.

/** One entry as the renderer sends it: an object with a numeric `id`; nothing else is read here. */
export type StoredOutboxEntry = { id: number } & Record<string, unknown>;

const MAX_ENTRY_BYTES = 1_000_000;
const MAX_ENTRIES = 100_000;

export class OutboxFileStore {
  private readonly entries = new Map<number, StoredOutboxEntry>();
  private fd: number;
  /** A flush to the disk is running; `dirty`: lines were written since it started. */
  private flushing = false;
  private dirty = false;
  private closed = false;
  private flushed: (() => void)[] = [];

  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) this.replay(readFileSync(file, 'utf8'));
    // Rewrite the live entries only, then append from there.
    const compacted = `${file}.tmp`;
    const fd = openSync(compacted, 'w');
    for (const entry of this.entries.values()) writeSync(fd, `${JSON.stringify({ put: entry })}\n`);
    fdatasyncSync(fd);
    closeSync(fd);
    renameSync(compacted, file);
    this.fd = openSync(file, 'a');
  }

  /** The live entries in the order of their ids. */
  load(): StoredOutboxEntry[] {
    return [...this.entries.values()].sort((a, b) => a.id - b.id);
  }

  put(entry: unknown): void {
    if (!isEntry(entry)) throw new Error('Outbox: an entry needs a numeric id');
    const line = `${JSON.stringify({ put: entry })}\n`;
    if (line.length > MAX_ENTRY_BYTES) throw new Error('Outbox: the entry is too large');
    if (!this.entries.has(entry.id) && this.entries.size >= MAX_ENTRIES) throw new Error('Outbox: too many entries');
    this.append(line);
    this.entries.set(entry.id, entry);
  }

  /**
   * Not flushed: a removal lost to a crash only brings back an edit the core has already
   * answered, and its idempotency key makes sending it again harmless.
   */
  remove(id: unknown): void {
    if (typeof id !== 'number' || !this.entries.has(id)) return;
    writeSync(this.fd, `${JSON.stringify({ remove: id })}\n`);
    this.entries.delete(id);
  }

  /** Resolves once everything written so far is on the disk (tests; quitting the app). */
  whenFlushed(): Promise<void> {
    if (!this.flushing && !this.dirty) return Promise.resolve();
    return new Promise((resolve) => this.flushed.push(resolve));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    for (const resolve of this.flushed.splice(0)) resolve();
  }

  private append(line: string) {
    writeSync(this.fd, line);
    this.dirty = true;
    this.flush();
  }

  /** The group commit: one fdatasync at a time, covering every line written before it started. */
  private flush() {
    if (this.flushing || !this.dirty || this.closed) return;
    this.flushing = true;
    this.dirty = false;
    const waiting = this.flushed.splice(0);
    fdatasync(this.fd, () => {
      // An error here (the file closed at quit after its own flush) leaves nothing to do.
      this.flushing = false;
      for (const resolve of waiting) resolve();
      // Nothing written since this flush began: whoever waited meanwhile is covered too.
      if (!this.dirty) for (const resolve of this.flushed.splice(0)) resolve();
      this.flush();
    });
  }

  private replay(text: string) {
    for (const line of text.split('\n')) {
      if (!line) continue;
      let record: { put?: unknown; remove?: unknown };
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        // A line cut short by a crash mid-write: the entry it carried was never acknowledged.
        continue;
      }
      if (isEntry(record.put)) this.entries.set(record.put.id, record.put);
      else if (typeof record.remove === 'number') this.entries.delete(record.remove);
    }
  }
}

function isEntry(value: unknown): value is StoredOutboxEntry {
  return typeof value === 'object' && value !== null && Number.isSafeInteger((value as { id?: unknown }).id);
}
