import { closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

// The journal outbox of this PC on disk (the app's userData): what the renderer has queued
// and the core has not yet accepted. The renderer owns the entries' meaning; this store only
// keeps them, as an append-only log of JSON lines (`put` an entry, `remove` an id), each
// `put` flushed to the disk before the call returns, so an edit acknowledged as queued
// survives a crash of the app or a power cut. Opening compacts the log to the live entries.

/** One entry as the renderer sends it: an object with a numeric `id`; nothing else is read here. */
export type StoredOutboxEntry = { id: number } & Record<string, unknown>;

const MAX_ENTRY_BYTES = 1_000_000;
const MAX_ENTRIES = 100_000;

export class OutboxFileStore {
  private readonly entries = new Map<number, StoredOutboxEntry>();
  private fd: number;

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

  close(): void {
    closeSync(this.fd);
  }

  private append(line: string) {
    writeSync(this.fd, line);
    fdatasyncSync(this.fd);
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
