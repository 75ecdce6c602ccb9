import { createHash, type Hash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Engine, Store } from '../store/database';
import { kyselyRunner, quoteIdent, readCatalog, type SqlRunner, type TableInfo } from './catalog';

/**
 * The engine-neutral snapshot of the whole database (the «database» part of a backup), as
 * JSON lines:
 *   {"format":"zhurnal-snapshot","version":1,"sourceEngine":…,"migrations":[…],"tables":[…]}
 *   {"table":"mark","columns":["id","lesson_id",…]}
 *   [1,17,…]                       ← one line per row, values as stored (text, number, null)
 *   {"endTable":"mark","rows":123}
 * Tables come parents first, so a restore inserts them in file order.
 */
export const SNAPSHOT_FORMAT = 'zhurnal-snapshot';
export const SNAPSHOT_VERSION = 1;

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  version: number;
  sourceEngine: Engine;
  migrations: string[];
  tables: string[];
}

/** A read-only, consistent view of the database for as long as `work` runs. */
export interface SnapshotSource {
  engine: Engine;
  run: SqlRunner;
  catalog: TableInfo[];
  migrations: string[];
  /** A table's rows as arrays in `table.columns` order, in batches, in primary-key order. */
  rows(table: TableInfo, columns?: string[]): AsyncIterable<unknown[][]>;
}

const BATCH_ROWS = 5000;

function selectAllSql(table: TableInfo, columns: string[]): string {
  const order = (table.primaryKey.length > 0 ? table.primaryKey : table.columns).map(quoteIdent).join(', ');
  return `select ${columns.map(quoteIdent).join(', ')} from ${quoteIdent(table.name)} order by ${order}`;
}

async function migrationNames(run: SqlRunner): Promise<string[]> {
  const rows = await run.all('select name from kysely_migration order by name');
  return rows.map((r) => String(r.name));
}

/**
 * SQLite: a second, read-only connection in WAL mode holds one read transaction, so the
 * app keeps writing while the snapshot sees a single moment. PostgreSQL: one
 * REPEATABLE READ READ ONLY transaction on a pooled connection, rows through a cursor.
 */
export async function withSnapshotSource<T>(store: Store, work: (source: SnapshotSource) => Promise<T>): Promise<T> {
  if (store.engine === 'sqlite') {
    const file = new BetterSqlite3(store.location, { readonly: true, fileMustExist: true });
    try {
      file.pragma('busy_timeout = 5000');
      file.exec('begin');
      const run: SqlRunner = {
        engine: 'sqlite',
        all: async (query, params = []) => file.prepare(query).all(...params) as Record<string, unknown>[],
      };
      // The first read fixes the snapshot the whole transaction sees.
      const migrations = await migrationNames(run);
      const catalog = await readCatalog(run);
      const source: SnapshotSource = {
        engine: 'sqlite',
        run,
        catalog,
        migrations,
        async *rows(table, columns = table.columns) {
          let batch: unknown[][] = [];
          for (const row of file.prepare(selectAllSql(table, columns)).raw(true).iterate()) {
            batch.push(row as unknown[]);
            if (batch.length >= BATCH_ROWS) {
              yield batch;
              batch = [];
            }
          }
          if (batch.length > 0) yield batch;
        },
      };
      const result = await work(source);
      file.exec('commit');
      return result;
    } finally {
      file.close();
    }
  }
  return store.db.connection().execute(async (connection) => {
    await sql`begin isolation level repeatable read read only`.execute(connection);
    try {
      const run = kyselyRunner(connection as unknown as Kysely<unknown>, 'postgres');
      const migrations = await migrationNames(run);
      const catalog = await readCatalog(run);
      let cursorNumber = 0;
      const source: SnapshotSource = {
        engine: 'postgres',
        run,
        catalog,
        migrations,
        async *rows(table, columns = table.columns) {
          const cursor = `zhurnal_snapshot_${cursorNumber++}`;
          await run.all(`declare ${cursor} no scroll cursor for ${selectAllSql(table, columns)}`);
          try {
            for (;;) {
              const rows = await run.all(`fetch forward ${BATCH_ROWS} from ${cursor}`);
              if (rows.length === 0) break;
              yield rows.map((row) => columns.map((c) => row[c]));
            }
          } finally {
            await run.all(`close ${cursor}`);
          }
        },
      };
      const result = await work(source);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection).catch(() => {});
      throw error;
    }
  });
}

/** Values cross engines as JSON: binary data (none today) as base64 so nothing is lost. */
export function encodeValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $base64: Buffer.from(value).toString('base64') };
  if (typeof value === 'bigint') return Number(value);
  return value;
}

export function decodeValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && '$base64' in value) {
    return Buffer.from(String((value as { $base64: string }).$base64), 'base64');
  }
  return value;
}

/**
 * Collects a part's text: hashed as plain text (the manifest's SHA-256), gzip-compressed
 * in independent members of a few megabytes so no single string grows too large.
 */
export class PartBuilder {
  private readonly hash: Hash = createHash('sha256');
  private pending: string[] = [];
  private pendingLength = 0;
  private readonly compressed: Buffer[] = [];
  plainBytes = 0;

  constructor(private readonly flushAt = 4 * 1024 * 1024) {}

  line(text: string): void {
    this.pending.push(text, '\n');
    this.pendingLength += text.length + 1;
    if (this.pendingLength >= this.flushAt) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    this.hash.update(chunk);
    this.plainBytes += chunk.length;
    // Level 1: most of the gain of gzip at a fraction of its time (the backup has a 15 s budget).
    this.compressed.push(gzipSync(chunk, { level: 1 }));
  }

  finish(): { data: Buffer; sha256: string; plainBytes: number } {
    this.flush();
    return { data: Buffer.concat(this.compressed), sha256: this.hash.digest('hex'), plainBytes: this.plainBytes };
  }
}

export interface DatabasePartResult {
  data: Buffer;
  sha256: string;
  plainBytes: number;
  rows: number;
  tables: Record<string, number>;
  migrations: string[];
}

/** Writes the whole-database part from an open snapshot. */
export async function buildDatabasePart(source: SnapshotSource): Promise<DatabasePartResult> {
  const part = new PartBuilder();
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    sourceEngine: source.engine,
    migrations: source.migrations,
    tables: source.catalog.map((t) => t.name),
  };
  part.line(JSON.stringify(header));
  const tables: Record<string, number> = {};
  let total = 0;
  for (const table of source.catalog) {
    part.line(JSON.stringify({ table: table.name, columns: table.columns }));
    let count = 0;
    // Binary columns (none today) need base64; every other row is written as is.
    const binary = Object.values(table.types).some((type) => /blob|bytea/i.test(type));
    for await (const batch of source.rows(table)) {
      for (const row of batch) part.line(JSON.stringify(binary ? row.map(encodeValue) : row));
      count += batch.length;
    }
    part.line(JSON.stringify({ endTable: table.name, rows: count }));
    tables[table.name] = count;
    total += count;
  }
  return { ...part.finish(), rows: total, tables, migrations: source.migrations };
}

/** The plain lines of a gzip part, streamed: a large school never becomes one string. */
export async function* partLines(compressed: Buffer): AsyncGenerator<string> {
  const lines = createInterface({ input: Readable.from([compressed]).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.length > 0) yield line;
  }
}

/**
 * Reads the database part back: its header, then each table with its rows in batches.
 * `onTable` must consume all of a table's rows (the lines are read once, in order).
 */
export async function readDatabasePart(
  compressed: Buffer,
  onTable: (table: { name: string; columns: string[] }, rows: AsyncIterable<unknown[][]>) => Promise<void>,
): Promise<SnapshotHeader> {
  const lines = partLines(compressed);
  const first = await lines.next();
  if (first.done) throw new Error('пустая часть «база данных»');
  const header = JSON.parse(first.value) as SnapshotHeader;
  if (header.format !== SNAPSHOT_FORMAT || header.version > SNAPSHOT_VERSION) {
    throw new Error(`неизвестный формат снимка: ${String(header.format)} ${String(header.version)}`);
  }
  for (;;) {
    const next = await lines.next();
    if (next.done) break;
    const start = JSON.parse(next.value) as { table?: string; columns?: string[] };
    if (!start.table || !start.columns) throw new Error('ожидалось начало таблицы');
    const name = start.table;
    let ended = false;
    let counted = 0;
    async function* rows(): AsyncGenerator<unknown[][]> {
      let batch: unknown[][] = [];
      for (;;) {
        const line = await lines.next();
        if (line.done) throw new Error(`таблица ${name} оборвана`);
        if (line.value.startsWith('[')) {
          batch.push((JSON.parse(line.value) as unknown[]).map(decodeValue));
          counted += 1;
          if (batch.length >= 5000) {
            yield batch;
            batch = [];
          }
          continue;
        }
        const end = JSON.parse(line.value) as { endTable?: string; rows?: number };
        if (end.endTable !== name || end.rows !== counted) throw new Error(`таблица ${name}: число строк не сходится`);
        ended = true;
        if (batch.length > 0) yield batch;
        return;
      }
    }
    await onTable({ name, columns: start.columns }, rows());
    if (!ended) throw new Error(`таблица ${name} прочитана не до конца`);
  }
  return header;
}

/**
 * Inserts rows in batches. SQLite: multi-row VALUES under its parameter limit. PostgreSQL:
 * one array parameter per column through `unnest`, thousands of rows a statement (many
 * times faster than VALUES lists; COPY would need another package).
 */
export async function insertRows(
  db: Kysely<unknown>,
  engine: Engine,
  table: string,
  columns: string[],
  rows: unknown[][],
  types: Record<string, string> = {},
): Promise<void> {
  if (rows.length === 0) return;
  const into = `insert into ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')})`;
  const unnestable = columns.every((c) => types[c] && !/array|user-defined/i.test(types[c]!));
  if (engine === 'postgres' && unnestable) {
    const casts = columns.map((c, i) => `$${i + 1}::${types[c]}[]`);
    const text = `${into} select * from unnest(${casts.join(', ')})`;
    for (let start = 0; start < rows.length; start += 5000) {
      const slice = rows.slice(start, start + 5000);
      await db.executeQuery(CompiledQuery.raw(text, columns.map((_, i) => slice.map((row) => row[i] ?? null))));
    }
    return;
  }
  const perStatement = Math.max(1, Math.min(500, Math.floor(30_000 / Math.max(1, columns.length))));
  for (let start = 0; start < rows.length; start += perStatement) {
    const slice = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const groups: string[] = [];
    for (const row of slice) {
      const marks: string[] = [];
      for (let i = 0; i < columns.length; i++) {
        params.push(row[i] ?? null);
        marks.push(engine === 'postgres' ? `$${params.length}` : '?');
      }
      groups.push(`(${marks.join(', ')})`);
    }
    await db.executeQuery(CompiledQuery.raw(`${into} values ${groups.join(', ')}`, params));
  }
}
