import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, gzip, gzipSync, type ZlibOptions } from 'node:zlib';
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Engine, Store } from '../store/database';
import { kyselyRunner, quoteIdent, readCatalog, type SqlRunner, type TableInfo } from './catalog';
import { damaged } from './container';

/**
 * The engine-neutral snapshot of the whole database (the «database» part of a backup), as
 * JSON lines:
 *   {"format":"zhurnal-snapshot","version":1,"sourceEngine":…,"migrations":[…],"tables":[…]}
 *   {"table":"mark","columns":["id","lesson_id",…]}
 *   [1,17,…]                       ← one line per row, values as stored (text, number, null)
 *   {"endTable":"mark","rows":123}
 * Tables come parents first, so a restore inserts them in file order. Binary values (none
 * today) are {"$base64":"…"}.
 *
 * Speed: the row lines are written by the database engine itself —
 * SQLite's json_array, PostgreSQL's json_build_array — and fetched thousands of rows per
 * query as one string, so no row ever becomes a JavaScript array on the way out. Compression
 * runs on libuv's thread pool beside the reading. On the way in, rows go to the database a
 * batch at a time as one JSON array (PostgreSQL parses it itself).
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

/** Rows as JSON lines joined with '\n' (no trailing newline; text or its UTF-8 bytes), and how many. */
export interface JsonRowBatch {
  text: string | Buffer;
  count: number;
}

/** Row lines as read back: text joined with '\n', and how many. */
interface LineRun {
  text: string;
  count: number;
}

/** A read-only, consistent view of the database for as long as `work` runs. */
export interface SnapshotSource {
  engine: Engine;
  run: SqlRunner;
  catalog: TableInfo[];
  migrations: string[];
  /** A table's rows as arrays in `table.columns` order, in batches, in primary-key order. */
  rows(table: TableInfo, columns?: string[]): AsyncIterable<unknown[][]>;
  /** A table's rows as snapshot lines (`table.columns` order), thousands to a batch. */
  jsonRows(table: TableInfo): AsyncIterable<JsonRowBatch>;
}

const BATCH_ROWS = 5000;

/** Batch sizes; tests make them tiny so every table spans many pages and batches. */
export const snapshotTuning = {
  /** Rows per query when the engine writes the JSON (about 1 MB of text for the mark table). */
  rowsPerQuery: 8192,
  /** Rows per batch handed to a restore. */
  rowsPerBatch: 5000,
};
/** json_build_array takes at most 100 arguments (PostgreSQL's FUNC_MAX_ARGS). */
const MAX_JSON_COLUMNS = 100;

function selectAllSql(table: TableInfo, columns: string[]): string {
  const order = (table.primaryKey.length > 0 ? table.primaryKey : table.columns).map(quoteIdent).join(', ');
  return `select ${columns.map(quoteIdent).join(', ')} from ${quoteIdent(table.name)} order by ${order}`;
}

async function migrationNames(run: SqlRunner): Promise<string[]> {
  const rows = await run.all('select name from kysely_migration order by name');
  return rows.map((r) => String(r.name));
}

/** The old way, for what the engine cannot write as JSON exactly: rows through JavaScript. */
async function* jsonRowsFromValues(rows: AsyncIterable<unknown[][]>): AsyncGenerator<JsonRowBatch> {
  for await (const batch of rows) {
    if (batch.length === 0) continue;
    yield { text: batch.map((row) => JSON.stringify(row.map(encodeValue))).join('\n'), count: batch.length };
  }
}

// ── SQLite ──────────────────────────────────────────────────────────────────────────────

const ROWID_NAMES = new Set(['rowid', '_rowid_', 'oid']);

/**
 * A value as json_array should see it. Any SQLite column can hold a blob, and json_array
 * would take a blob for JSONB (or refuse it), so a blob becomes {"$base64": …} here.
 * `c >= x''` holds for blobs only (SQLite orders NULL < numbers < text < blobs, and
 * affinity never converts a blob): one comparison, cheaper than typeof().
 */
function sqliteJsonValue(column: string): string {
  const c = quoteIdent(column);
  return `case when ${c} >= x'' then json_object('$base64', zhurnal_base64(${c})) else ${c} end`;
}

function* sqliteJsonRows(file: BetterSqlite3.Database, table: TableInfo): Generator<JsonRowBatch> {
  const name = quoteIdent(table.name);
  const values = table.columns.map(sqliteJsonValue).join(', ');
  const rowsPerQuery = snapshotTuning.rowsPerQuery;
  const withoutRowid = file.prepare('select wr from pragma_table_list where name = ?').pluck().get(table.name) === 1;
  if (!withoutRowid && !table.columns.some((c) => ROWID_NAMES.has(c.toLowerCase()))) {
    // Keyset pages over the rowid: each query hands back a page of rows as one UTF-8 blob,
    // never a JavaScript string (in the order the page was read; order within a page matters
    // to no one).
    const page = (where: string) =>
      file
        .prepare(
          `select cast(string_agg(zhurnal_json, char(10)) as blob), count(*), max(zhurnal_rowid)
             from (select json_array(${values}) as zhurnal_json, _rowid_ as zhurnal_rowid
                     from ${name} ${where} order by _rowid_ limit ${rowsPerQuery})`,
        )
        .raw(true)
        .safeIntegers(true);
    const first = page('');
    const next = page('where _rowid_ > ?');
    let last: bigint | null = null;
    for (;;) {
      const [text, count, max] = (last === null ? first.get() : next.get(last)) as [Buffer | null, bigint, bigint | null];
      if (count === 0n || text === null) return;
      yield { text, count: Number(count) };
      if (count < BigInt(rowsPerQuery)) return;
      last = max;
    }
  }
  // WITHOUT ROWID: one statement in primary-key order, a line per row.
  let lines: string[] = [];
  const order = (table.primaryKey.length > 0 ? table.primaryKey : table.columns).map(quoteIdent).join(', ');
  for (const line of file.prepare(`select json_array(${values}) from ${name} order by ${order}`).pluck().iterate()) {
    lines.push(line as string);
    if (lines.length >= rowsPerQuery) {
      yield { text: lines.join('\n'), count: lines.length };
      lines = [];
    }
  }
  if (lines.length > 0) yield { text: lines.join('\n'), count: lines.length };
}

// ── PostgreSQL ──────────────────────────────────────────────────────────────────────────

/** Types whose JSON is what the row path gave (numbers, text, booleans). */
const PG_INTEGER_TYPES = new Set(['integer', 'smallint', 'bigint']);
const PG_JSON_TYPES = new Set([...PG_INTEGER_TYPES, 'real', 'double precision', 'numeric', 'text', 'character varying', 'character', 'boolean']);

/**
 * A value as JSON text. Concatenated rather than json_build_array: the same JSON
 * (to_json is what json_build_array uses per value), a third less of the server's time.
 */
function postgresJsonValue(column: string, type: string | undefined): string | null {
  const c = quoteIdent(column);
  if (type && PG_INTEGER_TYPES.has(type)) return `coalesce(${c}::text, 'null')`;
  if (type && PG_JSON_TYPES.has(type)) return `coalesce(to_json(${c})::text, 'null')`;
  if (type === 'bytea') return `coalesce(json_build_object('$base64', translate(encode(${c}, 'base64'), chr(10), ''))::text, 'null')`;
  return null;
}

async function* postgresJsonRows(run: SqlRunner, table: TableInfo, nextCursor: () => string, fallback: () => AsyncIterable<unknown[][]>): AsyncGenerator<JsonRowBatch> {
  const values = table.columns.map((c) => postgresJsonValue(c, table.types[c]));
  if (values.some((v) => v === null) || values.length > MAX_JSON_COLUMNS) {
    yield* jsonRowsFromValues(fallback());
    return;
  }
  const rowsPerQuery = snapshotTuning.rowsPerQuery;
  const name = quoteIdent(table.name);
  const json = `'[' || ${values.join(` || ',' || `)} || ']'`;
  const key = table.primaryKey;
  if (key.length === 0 || key.some((c) => !PG_JSON_TYPES.has(table.types[c] ?? ''))) {
    const cursor = nextCursor();
    await run.all(`declare ${cursor} no scroll cursor for select ${json} as line from ${name}`);
    try {
      for (;;) {
        const rows = await run.all(`fetch forward ${rowsPerQuery} from ${cursor}`);
        if (rows.length === 0) break;
        yield { text: rows.map((r) => String(r.line)).join('\n'), count: rows.length };
      }
    } finally {
      await run.all(`close ${cursor}`);
    }
    return;
  }
  // Keyset pages in primary-key order; each query returns a page as one string and its last
  // key, and the next page is asked for before this one is handed on.
  const keys = key.map(quoteIdent).join(', ');
  const inner = key.map((c) => `s.${quoteIdent(c)}`);
  const last =
    key.length === 1
      ? `json_build_array(max(${inner[0]})::text)`
      : `(array_agg(json_build_array(${inner.map((c) => `${c}::text`).join(', ')}) order by ${inner.map((c) => `${c} desc`).join(', ')}))[1]`;
  const page = (where: string) =>
    `select string_agg(s.zhurnal_json, chr(10)) as text, count(*)::int as count, ${last} as last
       from (select ${json} as zhurnal_json, ${keys} from ${name} ${where} order by ${keys} limit ${rowsPerQuery}) s`;
  const next = page(`where (${keys}) > (${key.map((c, i) => `$${i + 1}::${table.types[c]}`).join(', ')})`);
  let pending = run.all(page(''));
  for (;;) {
    const [row] = await pending;
    const count = Number(row?.count ?? 0);
    if (!row || count === 0) return;
    if (count === rowsPerQuery) {
      const lastKey = row.last as string[];
      if (!Array.isArray(lastKey) || lastKey.length !== key.length) throw new Error(`снимок таблицы ${table.name}: нет ключа последней строки`);
      pending = run.all(next, lastKey);
      pending.catch(() => {}); // awaited on the next turn; the transaction ends after it either way
    }
    yield { text: String(row.text), count };
    if (count < rowsPerQuery) return;
  }
}

/**
 * SQLite: a second, read-only connection in WAL mode holds one read transaction, so the
 * app keeps writing while the snapshot sees a single moment. PostgreSQL: one
 * REPEATABLE READ READ ONLY transaction on a pooled connection; rows in keyset pages (or
 * through a cursor), every query inside that transaction.
 */
export async function withSnapshotSource<T>(store: Store, work: (source: SnapshotSource) => Promise<T>): Promise<T> {
  if (store.engine === 'sqlite') {
    const file = new BetterSqlite3(store.location, { readonly: true, fileMustExist: true });
    try {
      file.pragma('busy_timeout = 5000');
      file.function('zhurnal_base64', { deterministic: true }, (value: unknown) => Buffer.from(value as Uint8Array).toString('base64'));
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
        async *jsonRows(table) {
          if (table.columns.length > MAX_JSON_COLUMNS) {
            yield* jsonRowsFromValues(source.rows(table));
            return;
          }
          yield* sqliteJsonRows(file, table);
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
      const nextCursor = () => `zhurnal_snapshot_${cursorNumber++}`;
      const source: SnapshotSource = {
        engine: 'postgres',
        run,
        catalog,
        migrations,
        async *rows(table, columns = table.columns) {
          const cursor = nextCursor();
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
        jsonRows: (table) => postgresJsonRows(run, table, nextCursor, () => source.rows(table)),
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

/** Only an object value can spell this: inside a JSON string the quotes are escaped. */
const BASE64_MARK = '{"$base64"';

// ── Writing a part ──────────────────────────────────────────────────────────────────────

/** Level 1: most of the gain of gzip at a fraction of its time (the backup has a 15 s budget). */
const GZIP: ZlibOptions = { level: 1 };
const FLUSH_AT = 4 * 1024 * 1024;
const NEWLINE = Buffer.from('\n');
/** Chunks being compressed at once on the thread pool (bounds the memory too). */
const IN_FLIGHT = 3;

function gzipAsync(chunk: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => gzip(chunk, GZIP, (error, result) => (error ? reject(error) : resolve(result))));
}

/**
 * Collects a part's text: hashed as plain text (the manifest's SHA-256), gzip-compressed
 * in independent members of a few megabytes so no single string grows too large. For the
 * small class parts; the database part uses `CompressingPart`.
 */
export class PartBuilder {
  private readonly hash: Hash = createHash('sha256');
  private pending: string[] = [];
  private pendingLength = 0;
  private readonly compressed: Buffer[] = [];
  plainBytes = 0;

  constructor(private readonly flushAt = FLUSH_AT) {}

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
    this.compressed.push(gzipSync(chunk, GZIP));
  }

  finish(): { data: Buffer; sha256: string; plainBytes: number } {
    this.flush();
    return { data: Buffer.concat(this.compressed), sha256: this.hash.digest('hex'), plainBytes: this.plainBytes };
  }
}

/** The same layout as `PartBuilder`, compressed on the thread pool while the next rows are read. */
export class CompressingPart {
  private readonly hash: Hash = createHash('sha256');
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private readonly compressing: Promise<Buffer>[] = [];
  private readonly compressed: Buffer[] = [];
  plainBytes = 0;

  /** Text or UTF-8 bytes; a line's newline is written like any other character. */
  async write(text: string | Buffer): Promise<void> {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    this.pending.push(bytes);
    this.pendingLength += bytes.length;
    if (this.pendingLength >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingLength = 0;
    this.hash.update(chunk);
    this.plainBytes += chunk.length;
    const compressing = gzipAsync(chunk);
    compressing.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
    this.compressing.push(compressing);
    while (this.compressing.length > IN_FLIGHT) this.compressed.push(await this.compressing.shift()!);
  }

  async finish(): Promise<{ data: Buffer; sha256: string; plainBytes: number }> {
    await this.flush();
    for (const compressing of this.compressing.splice(0)) this.compressed.push(await compressing);
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
  const part = new CompressingPart();
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    sourceEngine: source.engine,
    migrations: source.migrations,
    tables: source.catalog.map((t) => t.name),
  };
  await part.write(`${JSON.stringify(header)}\n`);
  const tables: Record<string, number> = {};
  let total = 0;
  for (const table of source.catalog) {
    await part.write(`${JSON.stringify({ table: table.name, columns: table.columns })}\n`);
    let count = 0;
    for await (const batch of source.jsonRows(table)) {
      await part.write(batch.text);
      await part.write(NEWLINE);
      count += batch.count;
    }
    await part.write(`${JSON.stringify({ endTable: table.name, rows: count })}\n`);
    tables[table.name] = count;
    total += count;
  }
  return { ...(await part.finish()), rows: total, tables, migrations: source.migrations };
}

// ── Reading a part ──────────────────────────────────────────────────────────────────────

/** Lines of a gzip part, read from the thread pool's output a chunk at a time: a large school never becomes one string. */
class LineReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  private at = 0;
  private ended = false;

  constructor(compressed: Buffer, private readonly onBytes: (chunk: Buffer) => void = () => {}) {
    const gunzip = Readable.from([compressed]).pipe(createGunzip({ chunkSize: 256 * 1024 }));
    this.chunks = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** More text; false at the end of the part. */
  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.ended = true;
      const rest = this.decoder.end();
      if (rest.length === 0) return false;
      this.text = this.text.slice(this.at) + rest;
    } else {
      this.onBytes(next.value);
      this.text = this.text.slice(this.at) + this.decoder.write(next.value);
    }
    this.at = 0;
    return true;
  }

  /** Skips empty lines; true when a line (maybe unfinished) starts at `at`. */
  private async skipEmpty(): Promise<boolean> {
    for (;;) {
      while (this.at < this.text.length && this.text.charCodeAt(this.at) === 0x0a) this.at += 1;
      if (this.at < this.text.length) return true;
      if (!(await this.fill())) return false;
    }
  }

  /** The next non-empty line, or null at the end. */
  async line(): Promise<string | null> {
    if (!(await this.skipEmpty())) return null;
    for (;;) {
      const end = this.text.indexOf('\n', this.at);
      if (end !== -1) {
        const line = this.text.slice(this.at, end);
        this.at = end + 1;
        return line;
      }
      if (!(await this.fill())) {
        const line = this.text.slice(this.at);
        this.at = this.text.length;
        return line;
      }
    }
  }

  /** True when the next line is a row line ('['). */
  async atRow(): Promise<boolean> {
    return (await this.skipEmpty()) && this.text.charCodeAt(this.at) === 0x5b;
  }

  /** Up to `max` consecutive row lines, joined with '\n'; at least one when `atRow()`. */
  async rowRun(max: number): Promise<LineRun> {
    let text = '';
    let count = 0;
    while (count < max && (await this.atRow())) {
      // Whole lines already in memory, in one slice.
      let position = this.at;
      let end = -1;
      const before = count;
      while (count < max && this.text.charCodeAt(position) === 0x5b) {
        const newline = this.text.indexOf('\n', position);
        if (newline === -1) break;
        end = newline;
        count += 1;
        position = newline + 1;
      }
      if (count > before) {
        text += (text ? '\n' : '') + this.text.slice(this.at, end);
        this.at = end + 1;
        continue;
      }
      // A line longer than what is in memory (or the last line without its newline).
      const line = await this.line();
      text += (text ? '\n' : '') + line!;
      count += 1;
    }
    return { text, count };
  }

  /** Reads to the end (the checksum covers every byte). */
  async drain(): Promise<void> {
    while (await this.fill()) this.at = this.text.length;
  }
}

/** A batch of rows being restored: as one JSON array text, or parsed. */
export interface RowBatch {
  count: number;
  /** '[[…],[…]]', as in the file (binary values still {"$base64": …}). */
  json: string;
  /** Parsed, binary values decoded. */
  rows(): unknown[][];
  /** Whether some value is binary ({"$base64": …}). */
  binary: boolean;
}

function rowBatch(batch: LineRun): RowBatch {
  const json = `[${batch.text.replaceAll('\n', ',')}]`;
  const binary = batch.text.includes(BASE64_MARK);
  return {
    count: batch.count,
    json,
    binary,
    rows() {
      const rows = JSON.parse(json) as unknown[][];
      return binary ? rows.map((row) => row.map(decodeValue)) : rows;
    },
  };
}

/** What the manifest says of the part: checked while it is read. */
export interface PartExpectation {
  title: string;
  sha256: string;
  plainBytes: number;
  rows: number;
}

/**
 * Reads the database part back: its header, then each table with its rows in batches.
 * `onTable` must consume all of a table's rows (the lines are read once, in order). With
 * `expected`, the part's SHA-256, size and row count are checked once the last byte is read,
 * and a mismatch throws — a restore does this inside its one transaction, so nothing of a
 * damaged part is kept.
 */
export async function readDatabasePart(
  compressed: Buffer,
  onTable: (table: { name: string; columns: string[] }, rows: AsyncIterable<RowBatch>) => Promise<void>,
  expected?: PartExpectation,
): Promise<SnapshotHeader> {
  const hash = createHash('sha256');
  let plainBytes = 0;
  const lines = new LineReader(compressed, (chunk) => {
    hash.update(chunk);
    plainBytes += chunk.length;
  });
  let totalRows = 0;
  let header: SnapshotHeader;
  try {
    const first = await lines.line();
    if (first === null) throw new Error('пустая часть «база данных»');
    header = JSON.parse(first) as SnapshotHeader;
    if (header.format !== SNAPSHOT_FORMAT || header.version > SNAPSHOT_VERSION) {
      throw new Error(`неизвестный формат снимка: ${String(header.format)} ${String(header.version)}`);
    }
    for (;;) {
      if (await lines.atRow()) throw new Error('строка таблицы вне таблицы');
      const next = await lines.line();
      if (next === null) break;
      const start = JSON.parse(next) as { table?: string; columns?: string[] };
      if (!start.table || !start.columns) throw new Error('ожидалось начало таблицы');
      const name = start.table;
      let ended = false;
      let counted = 0;
      async function* rows(): AsyncGenerator<RowBatch> {
        while (await lines.atRow()) {
          const batch = await lines.rowRun(snapshotTuning.rowsPerBatch);
          counted += batch.count;
          yield rowBatch(batch);
        }
        const line = await lines.line();
        if (line === null) throw new Error(`таблица ${name} оборвана`);
        const end = JSON.parse(line) as { endTable?: string; rows?: number };
        if (end.endTable !== name || end.rows !== counted) throw new Error(`таблица ${name}: число строк не сходится`);
        ended = true;
      }
      await onTable({ name, columns: start.columns }, rows());
      if (!ended) throw new Error(`таблица ${name} прочитана не до конца`);
      totalRows += counted;
    }
    await lines.drain();
  } catch (error) {
    if (expected && (error instanceof SyntaxError || (error as NodeJS.ErrnoException)?.code?.startsWith?.('Z_'))) {
      throw damaged(`часть «${expected.title}» не читается`);
    }
    throw error;
  }
  if (expected && (hash.digest('hex') !== expected.sha256 || plainBytes !== expected.plainBytes)) {
    throw damaged(`контрольная сумма части «${expected.title}» не сходится`);
  }
  if (expected && totalRows !== expected.rows) throw damaged(`в части «${expected.title}» не то число строк`);
  return header;
}
