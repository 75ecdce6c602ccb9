import { existsSync, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { migrations } from '../../migrations/index';
import type { BackupSummary } from '../../src-shared/contract/backup';
import { AppError } from '../core/errors';
import type { JobContext } from '../jobs/runner';
import { isPostgresUrl, openStore, type Engine, type Store } from '../store/database';
import { migrateToLatest } from '../store/migrate';
import { kyselyRunner, quoteIdent, readCatalog, type SqlRunner } from './catalog';
import { checkContainer, damaged, openBackup, partBytes, type OpenedBackup } from './container';
import { nodeFileSink } from './file-sink';
import { fingerprintOf, knownSigners, readSigningPublicKey } from './keys';
import { auditKeyFrom, keepAuditKey, secretsOf } from '../audit/key';
import type { SecretStore } from '../settings/secret-store';
import { summaryOf } from './run';
import { auditHeadsSchema, type Anchor } from '../audit/anchors';
import { readDatabasePart, type PartExpectation, type RowBatch } from './snapshot';

async function readBackupBytes(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('not_found', `Файл резервной копии не найден: ${file}`);
    if (code === 'EISDIR') throw new AppError('validation', `Это папка, а не файл резервной копии: ${file}`);
    throw new AppError('unavailable', `Не удалось прочитать файл ${file}: ${(error as Error).message}`);
  }
}

/**
 * The school's signing keys known here (D-39): the current database's, and those this PC
 * remembers (src-main/backup/keys.ts). Empty on a new PC restoring into a new database.
 */
export async function schoolSigners(current?: Store | null, secrets?: SecretStore | null): Promise<string[]> {
  const own = current ? await readSigningPublicKey(current).catch(() => null) : null;
  return [...(own ? [own] : []), ...knownSigners(secrets ?? (current ? secretsOf(current) : null))];
}

/** True: signed by this school's key; false: by another key; null: nothing to compare with. */
export function signedBySchool(manifestKey: string, signers: string[]): boolean | null {
  if (signers.length === 0) return null;
  return signers.some((pem) => pem.trim() === manifestKey.trim());
}

async function sameSchoolKey(manifestKey: string, current?: Store): Promise<boolean | null> {
  if (!current) return null;
  return signedBySchool(manifestKey, await schoolSigners(current));
}

/** The same, from a summary's fingerprint. */
export function fingerprintBySchool(fingerprint: string, signers: string[]): boolean | null {
  if (signers.length === 0) return null;
  return signers.some((pem) => fingerprintOf(pem) === fingerprint);
}

const sameName = (a: string, b: string) => a.normalize('NFC').trim().toLocaleLowerCase('ru') === b.normalize('NFC').trim().toLocaleLowerCase('ru');

/**
 * Refuses a backup signed by another school's key unless the administrator confirmed it by
 * typing that school's name as the backup shows it.
 */
export function assertSignerAccepted(manifest: { school: { name: string }; signingPublicKey: string }, signers: string[], confirmOtherSchool?: string | null): void {
  if (signedBySchool(manifest.signingPublicKey, signers) !== false) return;
  if (confirmOtherSchool && sameName(confirmOtherSchool, manifest.school.name)) return;
  throw new AppError(
    'conflict',
    `Копия подписана ключом другой школы — «${manifest.school.name}» (отпечаток ${fingerprintOf(manifest.signingPublicKey)}), а не ключом этой школы. ` +
      `Если нужно восстановить именно её, подтвердите, что это другая школа, указав её название «${manifest.school.name}».`,
    { reason: 'foreignSchool', schoolName: manifest.school.name },
  );
}

/**
 * What a backup holds, after checking it: without the password the structure, signature
 * and payload checksum; with it, also every part decrypted against its own checksum.
 */
export async function inspectBackupFile(file: string, password?: string, current?: Store): Promise<BackupSummary> {
  const bytes = await readBackupBytes(file);
  if (password === undefined) {
    const checked = checkContainer(bytes);
    return summaryOf(checked.manifest, checked.fingerprint, false, await sameSchoolKey(checked.manifest.signingPublicKey, current));
  }
  const opened = await openBackup(bytes, { password });
  return summaryOf(opened.manifest, opened.fingerprint, true, await sameSchoolKey(opened.manifest.signingPublicKey, current));
}

/** The signing key of the school already in the target database, if there is one. */
async function targetSigner(targetUrl: string): Promise<string[]> {
  if (!isPostgresUrl(targetUrl) && !existsSync(targetUrl)) return [];
  try {
    const store = await openStore(targetUrl, { poolSize: 1 });
    try {
      const pem = await readSigningPublicKey(store);
      return pem ? [pem] : [];
    } finally {
      await store.close();
    }
  } catch {
    return []; // no school table, not a database: nothing to compare with
  }
}

/** The audit heads a backup's signed manifest recorded (D-26), as an anchor for audit verify. */
export async function readBackupAnchor(file: string): Promise<Anchor> {
  const { manifest } = checkContainer(await readBackupBytes(file));
  const heads = auditHeadsSchema.safeParse(manifest.auditHeads);
  if (!heads.success) throw new AppError('validation', `В резервной копии ${basename(file)} нет меток журнала изменений: она сделана более старой версией программы.`);
  return { at: manifest.createdAt, source: `резервная копия ${basename(file)}`, heads: heads.data };
}

class ListProvider implements MigrationProvider {
  constructor(private readonly store: Store) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const engine = this.store.engine;
    return Object.fromEntries(migrations.map(([name, migration]) => [name, { up: (db: Kysely<unknown>) => migration.up(db as never, engine) }]));
  }
}

/** Brings an empty target to the schema the backup was taken with, not further. */
async function migrateToSnapshot(store: Store, snapshotMigrations: string[]): Promise<void> {
  const known = new Set(migrations.map(([name]) => name));
  const unknown = snapshotMigrations.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new AppError('validation', 'Резервная копия сделана более новой версией «Журнала». Обновите программу и повторите восстановление.', { unknownMigrations: unknown });
  }
  const last = [...snapshotMigrations].sort().at(-1);
  if (!last) throw new AppError('validation', 'В резервной копии нет сведений о структуре базы данных.');
  const migrator = new Migrator({ db: store.db, provider: new ListProvider(store) });
  const applied = (await migrator.getMigrations()).filter((m) => m.executedAt).map((m) => m.name);
  if (applied.some((name) => name > last)) return; // already newer: rows go in by column name
  const { error } = await migrator.migrateTo(last);
  if (error) throw new AppError('unavailable', `Не удалось создать структуру базы данных: ${String(error)}`);
}

export async function assertEmpty(store: Store, location: string): Promise<void> {
  const tables = await store.db.introspection.getTables();
  if (!tables.some((t) => t.name === 'school')) return;
  const school = await store.db.selectFrom('school').select('id').executeTakeFirst();
  const users = await store.db.selectFrom('app_user').select('id').executeTakeFirst();
  if (school || users) {
    throw new AppError('conflict', `База данных ${location} не пуста. Восстановление выполняется в новую пустую базу данных (или в файл SQLite с --replace).`);
  }
}

function columnsCheck(table: { name: string; columns: string[] }, known: Map<string, Set<string>>): void {
  const columns = known.get(table.name);
  if (!columns) throw new AppError('validation', `В этой версии «Журнала» нет таблицы ${table.name} из резервной копии.`);
  const missing = table.columns.filter((c) => !columns.has(c));
  if (missing.length > 0) throw new AppError('validation', `В таблице ${table.name} этой версии нет столбцов ${missing.join(', ')}.`);
}

/** SQLite foreign keys, checked once after the load: the first broken link, or null. */
function firstBrokenLink(file: BetterSqlite3.Database): string | null {
  for (const row of file.prepare('pragma foreign_key_check').iterate() as Iterable<{ table: string; parent: string }>) {
    return `${row.table} → ${row.parent}`;
  }
  return null;
}

const SQLITE_ROWS_PER_INSERT = 50;
const SQLITE_MAX_PARAMETERS = 32_000;

/**
 * SQLite: the restore's own new file, which nothing else has open. Rows go in through one
 * prepared statement per table, in one transaction, the way a new file is best built: a
 * rollback journal (pages past the end of a new file are never journaled, so nothing is
 * written twice, as WAL would), the secondary indexes built once at the end rather than
 * kept up to date row by row, foreign keys checked once at the end (a broken link fails
 * the restore, as it did row by row), and no fsync until the file is complete — it is
 * synced then, and removed if anything failed.
 */
async function loadIntoSqliteFile(path: string, part: DatabasePartToLoad, progress?: LoadProgress): Promise<number> {
  const file = new BetterSqlite3(path);
  let restored = 0;
  try {
    file.pragma('journal_mode = DELETE');
    file.pragma('synchronous = OFF');
    file.pragma('foreign_keys = OFF');
    file.pragma('cache_size = -65536');
    file.pragma('busy_timeout = 5000');
    const run: SqlRunner = { engine: 'sqlite', all: async (query, params = []) => file.prepare(query).all(...params) as Record<string, unknown>[] };
    const catalog = await readCatalog(run);
    const known = new Map(catalog.map((t) => [t.name, new Set(t.columns)]));
    const inSnapshot = new Set(part.tables);
    file.exec('begin immediate');
    try {
      for (const table of [...catalog].reverse()) {
        if (inSnapshot.has(table.name)) file.exec(`delete from ${quoteIdent(table.name)}`);
      }
      // Indexes a migration created (PRIMARY KEY and UNIQUE constraints have no SQL and stay).
      const indexes = file.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null`).all() as { name: string; sql: string }[];
      for (const index of indexes) file.exec(`drop index ${quoteIdent(index.name)}`);
      let tablesLoaded = 0;
      await readDatabasePart(
        part.compressed,
        async (table, batches) => {
          beforeTable(progress, part, tablesLoaded++);
          columnsCheck(table, known);
          // Several rows a statement: binding from JavaScript, not SQLite, is what costs here.
          const perStatement = Math.max(1, Math.min(SQLITE_ROWS_PER_INSERT, Math.floor(SQLITE_MAX_PARAMETERS / table.columns.length)));
          const into = `insert into ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(', ')}) values `;
          const group = `(${table.columns.map(() => '?').join(', ')})`;
          const insertMany = file.prepare(into + Array.from({ length: perStatement }, () => group).join(', '));
          const insertOne = file.prepare(into + group);
          const values: unknown[] = [];
          for await (const batch of batches) {
            const rows = batch.rows();
            let at = 0;
            for (; at + perStatement <= rows.length; at += perStatement) {
              values.length = 0;
              for (let i = at; i < at + perStatement; i++) {
                const row = rows[i]!;
                if (row.length !== table.columns.length) throw damaged(`строка таблицы ${table.name} не того размера`);
                for (const value of row) values.push(value);
              }
              insertMany.run(values);
            }
            for (; at < rows.length; at++) insertOne.run(rows[at]!);
            restored += batch.count;
          }
        },
        part.expected,
      );
      for (const index of indexes) file.exec(index.sql);
      const broken = firstBrokenLink(file);
      if (broken) throw damaged(`в данных нарушена связь таблиц (${broken})`);
      file.exec('commit');
    } catch (error) {
      if (file.inTransaction) file.exec('rollback');
      throw error;
    }
    file.pragma('journal_mode = WAL');
  } finally {
    file.close();
  }
  const handle = await fs.open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return restored;
}

/** Inserts the snapshot into an empty, migrated store in one transaction: all or nothing. */
function databasePartOf(opened: OpenedBackup): DatabasePartToLoad {
  const databasePart = opened.manifest.parts.find((p) => p.kind === 'database');
  if (!databasePart) throw new AppError('validation', 'В резервной копии нет части «База данных целиком».');
  return {
    compressed: partBytes(opened.plain, databasePart),
    migrations: opened.manifest.migrations,
    tables: Object.keys(databasePart.counts),
    expected: { title: databasePart.title, sha256: databasePart.sha256, plainBytes: databasePart.plainBytes, rows: databasePart.rows },
  };
}

export interface DatabasePartToLoad {
  /** The gzip JSON-lines snapshot (snapshot.ts). */
  compressed: Buffer;
  /** The migrations the snapshot was taken at. */
  migrations: string[];
  /** The tables it holds. */
  tables: string[];
  /** The manifest's checksum and counts, checked as the part is read (inside the transaction). */
  expected?: PartExpectation;
}

/** PostgreSQL types a JSON value converts to with a plain cast (`->>` gives the text). */
const PG_CAST_TYPES = new Set(['integer', 'smallint', 'bigint', 'real', 'double precision', 'numeric', 'text', 'character varying', 'character', 'boolean']);

/** One statement per batch: PostgreSQL parses the batch's JSON array itself. */
function postgresJsonInsert(table: string, columns: string[], types: Record<string, string>): string | null {
  const values: string[] = [];
  for (const [i, column] of columns.entries()) {
    const type = types[column];
    if (type === 'text') values.push(`r.value->>${i}`);
    else if (type === 'bytea') values.push(`decode(r.value->${i}->>'$base64', 'base64')`);
    else if (type && PG_CAST_TYPES.has(type)) values.push(`(r.value->>${i})::${type}`);
    else return null;
  }
  return `insert into ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) select ${values.join(', ')} from jsonb_array_elements($1::jsonb) as r(value)`;
}

/** Rows as parameters, a few hundred to a statement: for column types the JSON path does not know. */
async function insertRowValues(db: Kysely<unknown>, engine: Engine, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const into = `insert into ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')})`;
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

/**
 * PostgreSQL: foreign keys and secondary indexes are dropped for the load and made again
 * at the end, inside the same transaction (as pg_restore does: data first). Re-adding a
 * foreign key checks every row in one join, so a broken link still fails the restore.
 * Indexes that back a constraint (primary keys, UNIQUE) stay.
 */
async function deferPostgresConstraints(run: SqlRunner): Promise<() => Promise<void>> {
  const foreignKeys = await run.all(
    `select c.conrelid::regclass::text as table_name, c.conname as name, pg_get_constraintdef(c.oid) as definition
       from pg_constraint c join pg_class t on t.oid = c.conrelid
      where c.contype = 'f' and t.relnamespace = current_schema()::regnamespace
      order by c.oid`,
  );
  const indexes = await run.all(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition
       from pg_index i join pg_class t on t.oid = i.indrelid
      where t.relnamespace = current_schema()::regnamespace
        and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
      order by i.indexrelid`,
  );
  for (const key of foreignKeys) await run.all(`alter table ${String(key.table_name)} drop constraint ${quoteIdent(String(key.name))}`);
  for (const index of indexes) await run.all(`drop index ${String(index.name)}`);
  return async () => {
    for (const index of indexes) await run.all(String(index.definition));
    for (const key of foreignKeys) {
      await run.all(`alter table ${String(key.table_name)} add constraint ${quoteIdent(String(key.name))} ${String(key.definition)}`);
    }
  };
}

/**
 * A load watched by a job: the signal is checked before each table (a stop rolls the one
 * transaction back, so nothing of it stays) and each table is reported as it starts.
 */
export interface LoadProgress {
  signal?: AbortSignal;
  /** Table `index` (from 0) of `total` starts loading. */
  onTable?(index: number, total: number): void;
}

function beforeTable(progress: LoadProgress | undefined, part: DatabasePartToLoad, index: number): void {
  progress?.signal?.throwIfAborted();
  progress?.onTable?.(index, part.tables.length);
}

/** Loads one table's batches; returns the rows it loaded. */
type TableLoader = (table: { name: string; columns: string[] }, batches: AsyncIterable<RowBatch>, types: Record<string, string>) => Promise<number>;

/** The body of a load, inside the caller's one transaction. */
async function loadInTransaction(run: SqlRunner, part: DatabasePartToLoad, load: TableLoader, progress?: LoadProgress): Promise<number> {
  const catalog = await readCatalog(run);
  const inSnapshot = new Set(part.tables);
  // Rows the migrations seeded (audit_head) make way for the backup's own.
  for (const table of [...catalog].reverse()) {
    if (inSnapshot.has(table.name)) await run.all(`delete from ${quoteIdent(table.name)}`);
  }
  const known = new Map(catalog.map((t) => [t.name, new Set(t.columns)]));
  const types = new Map(catalog.map((t) => [t.name, t.types]));
  const restoreConstraints = run.engine === 'postgres' ? await deferPostgresConstraints(run) : null;
  let restored = 0;
  let tablesLoaded = 0;
  await readDatabasePart(
    part.compressed,
    async (table, batches) => {
      beforeTable(progress, part, tablesLoaded++);
      columnsCheck(table, known);
      restored += await load(table, batches, types.get(table.name) ?? {});
    },
    part.expected,
  );
  if (restoreConstraints) await restoreConstraints();
  if (run.engine === 'postgres') {
    // Explicit ids leave serial sequences behind: move each past its table's largest id.
    for (const table of catalog) {
      if (!table.serialColumn) continue;
      const column = quoteIdent(table.serialColumn);
      await run.all(
        `select setval(pg_get_serial_sequence($1, $2), coalesce((select max(${column}) from ${quoteIdent(table.name)}), 0) + 1, false)`,
        [quoteIdent(table.name), table.serialColumn],
      );
    }
  }
  return restored;
}

// ── PostgreSQL COPY ─────────────────────────────────────────────────────────────────────

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIALS = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value in COPY's text format. */
function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIALS, (c) => COPY_ESCAPES[c]!) : value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value).toString('hex')}`;
  return copyField(JSON.stringify(value));
}

/** A batch as COPY text lines. */
function copyText(table: string, width: number, rows: unknown[][]): string {
  const lines: string[] = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.length !== width) throw damaged(`строка таблицы ${table} не того размера`);
    let line = copyField(row[0]);
    for (let j = 1; j < width; j++) line += `\t${copyField(row[j])}`;
    lines[i] = line;
  }
  return `${lines.join('\n')}\n`;
}

/** One COPY … FROM STDIN per table: the server takes rows as fast as it can store them. */
function copyLoader(client: pg.Client): TableLoader {
  return async (table, batches) => {
    const stream = client.query(copyFrom(`copy ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(', ')}) from stdin`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on('finish', resolve);
      stream.on('error', reject);
    });
    done.catch(() => {}); // awaited below
    let loaded = 0;
    try {
      for await (const batch of batches) {
        if (!stream.write(copyText(table.name, table.columns.length, batch.rows()))) await Promise.race([once(stream, 'drain'), done]);
        loaded += batch.count;
      }
      stream.end();
      await done;
    } catch (error) {
      // CopyFail: the server ends the COPY, and the transaction is rolled back.
      stream.destroy(error as Error);
      await done.catch(() => {});
      throw error;
    }
    return loaded;
  };
}

/**
 * PostgreSQL with its address known (a restore): a connection of the load's own, rows in
 * with COPY, in one transaction. Converting JSON lines to COPY's text format here costs
 * less than the server's parsing JSON, and COPY stores rows several times faster than
 * INSERT … SELECT.
 */
async function loadIntoPostgres(url: string, part: DatabasePartToLoad, progress?: LoadProgress): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {}); // a dropped connection fails the query in progress
  await client.connect();
  try {
    await client.query('begin');
    try {
      const run: SqlRunner = { engine: 'postgres', all: async (query, params = []) => (await client.query(query, [...params])).rows as Record<string, unknown>[] };
      const restored = await loadInTransaction(run, part, copyLoader(client), progress);
      await client.query('commit');
      return restored;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
  } finally {
    await client.end().catch(() => {});
  }
}

export interface LoadOptions {
  /** PostgreSQL: the store's address, so the load can use a connection of its own (COPY). */
  url?: string;
  progress?: LoadProgress;
}

/**
 * Loads an engine-neutral snapshot into an empty store, in one transaction: all or nothing.
 * Restores use it, and so does moving a school from SQLite to PostgreSQL (src-main/lan).
 */
export async function loadDatabasePart(store: Store, part: DatabasePartToLoad, options: LoadOptions = {}): Promise<number> {
  await migrateToSnapshot(store, part.migrations);
  let restored: number;
  if (store.engine === 'postgres' && options.url) {
    restored = await loadIntoPostgres(options.url, part, options.progress);
  } else {
    restored = await store.db.transaction().execute(async (tx) => {
      const db = tx as unknown as Kysely<unknown>;
      return loadInTransaction(kyselyRunner(db, store.engine), part, async (table, batches, types) => {
        const jsonInsert = store.engine === 'postgres' ? postgresJsonInsert(table.name, table.columns, types) : null;
        let loaded = 0;
        for await (const batch of batches) {
          if (jsonInsert) await db.executeQuery(CompiledQuery.raw(jsonInsert, [batch.json]));
          else await insertRowValues(db, store.engine, table.name, table.columns, batch.rows());
          loaded += batch.count;
        }
        return loaded;
      }, options.progress);
    });
  }
  // Fresh statistics: without them the planner guesses, and the first queries on a restored
  // school (the class parts of the next backup among them) take many times longer.
  if (store.engine === 'postgres') await sql`analyze`.execute(store.db);
  return restored;
}

export interface RestoreOptions {
  /** SQLite only: replace an existing database, after copying it aside. */
  replace?: boolean;
  now?: () => Date;
  /** The school's signing keys known to the caller (schoolSigners); the target's own is added. */
  signers?: string[];
  /** The other school's name, typed by the administrator: restores a backup signed by another key. */
  confirmOtherSchool?: string | null;
  /** This PC's secrets: the school's audit key the backup carries is kept there. */
  secrets?: SecretStore | null;
  /**
   * Run as a job (the app's «Восстановить»): four steps — the file checked, the data loaded
   * table by table, the schema brought up to date, the database put in place — and
   * «Остановить» up to the end of the load: the load's one transaction is rolled back, the
   * SQLite file being built is removed, and nothing is written where the copy was going.
   */
  job?: JobContext;
}

export const RESTORE_STEPS = {
  check: 'Проверка файла: подпись, контрольные суммы, пароль',
  load: 'Загрузка данных',
  migrate: 'Обновление базы до этой версии программы',
  place: 'Восстановленная база на месте',
} as const;

export interface RestoreReport {
  summary: BackupSummary;
  restoredRows: number;
  /** The backup carried the restored school's audit key, and this PC now holds it. */
  auditKeyKept: boolean;
  /** Where the replaced SQLite file was moved, when `replace` was used. */
  safetyCopy: string | null;
}

const stamp = (at: Date) => at.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');

async function moveSqliteAside(path: string, at: Date): Promise<string> {
  const aside = `${path}.before-restore-${stamp(at)}`;
  // WAL and shared-memory files belong to the database; they move with it.
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) await fs.rename(path + suffix, aside + suffix);
  }
  await fs.rename(path, aside);
  return aside;
}

/**
 * The quick refusals, said before a restore job starts (the job checks everything again):
 * a backup of another school not confirmed (D-39) and a target that already holds a school.
 * Reads the manifest and checks its signature; the password is tried only by the job.
 */
export async function checkRestorable(file: string, targetUrl: string, options: Pick<RestoreOptions, 'signers' | 'confirmOtherSchool'> = {}): Promise<void> {
  const { manifest } = checkContainer(await readBackupBytes(file));
  assertSignerAccepted(manifest, [...(options.signers ?? []), ...(await targetSigner(targetUrl))], options.confirmOtherSchool);
  if (!isPostgresUrl(targetUrl) && !existsSync(targetUrl)) return;
  const store = await openStore(targetUrl, { poolSize: 1 });
  try {
    await assertEmpty(store, isPostgresUrl(targetUrl) ? store.location : targetUrl);
  } finally {
    await store.close();
  }
}

/**
 * Verifies the backup completely (signature, checksums, password), then restores it.
 * SQLite: into a new file next to the target, renamed into place only when complete; with
 * `replace`, the old file is first moved aside with a timestamp. PostgreSQL: into an empty
 * database the administrator created; replacing a live PostgreSQL database in place is
 * not offered (restore into a new database, then point the PCs to it).
 */
export async function restoreBackupFile(file: string, password: string, targetUrl: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  const now = options.now ?? (() => new Date());
  const job = options.job;
  job?.setTotal(4);
  job?.working(RESTORE_STEPS.check);
  // Signature, payload checksum, password and every part but the database one, which is
  // checked as it is loaded: its checksum and counts inside the one transaction.
  const bytes = await readBackupBytes(file);
  // The signer first, before the password is tried (D-39): the current database's key, this
  // PC's, and the key of the school in the database about to be replaced.
  const signers = [...(options.signers ?? []), ...(await targetSigner(targetUrl))];
  const signer = checkContainer(bytes).manifest;
  assertSignerAccepted(signer, signers, options.confirmOtherSchool);
  const opened = await openBackup(bytes, { password }, { deferDatabasePart: true });
  const summary = summaryOf(opened.manifest, opened.fingerprint, true, signedBySchool(opened.manifest.signingPublicKey, signers));
  job?.unitDone({ label: RESTORE_STEPS.check, summary: `${summary.totalRows.toLocaleString('ru-RU')} строк` });
  job?.signal.throwIfAborted();
  const progress: LoadProgress | undefined = job && {
    signal: job.signal,
    onTable: (index, total) => job.working(`${RESTORE_STEPS.load}: таблица ${index + 1} из ${total}`),
  };

  if (isPostgresUrl(targetUrl)) {
    if (options.replace) {
      throw new AppError('validation', 'Замена базы PostgreSQL на месте не выполняется: создайте новую пустую базу данных и восстановите в неё.');
    }
    const store = await openStore(targetUrl, { poolSize: 2 });
    try {
      await assertEmpty(store, store.location);
      job?.working(RESTORE_STEPS.load);
      // A stop during the load rolls its transaction back; the tables the schema step made
      // stay empty, and the database may be restored into again.
      const restoredRows = await loadDatabasePart(store, databasePartOf(opened), { url: targetUrl, ...(progress ? { progress } : {}) });
      // The rows are committed: from here the restore runs to its end.
      job?.unitDone({ label: RESTORE_STEPS.load, summary: `${restoredRows.toLocaleString('ru-RU')} строк` });
      job?.working(RESTORE_STEPS.migrate);
      await migrateToLatest(store);
      const auditKeyKept = await keepCarriedKey(opened, store, options.secrets);
      job?.unitDone({ label: RESTORE_STEPS.migrate });
      job?.unitDone({ label: RESTORE_STEPS.place, message: 'База PostgreSQL' });
      return { summary, restoredRows, safetyCopy: null, auditKeyKept };
    } finally {
      await store.close();
    }
  }

  const exists = existsSync(targetUrl);
  if (exists) {
    const existing = await openStore(targetUrl, { poolSize: 1 });
    try {
      await assertEmpty(existing, targetUrl).catch((error: unknown) => {
        if (!options.replace) throw error;
      });
    } finally {
      await existing.close();
    }
  }
  const temporary = join(dirname(targetUrl), `.${basename(targetUrl)}.restoring-${randomBytes(4).toString('hex')}`);
  let restoredRows: number;
  let auditKeyKept = false;
  try {
    const part = databasePartOf(opened);
    const empty = await openStore(temporary, { poolSize: 1 });
    try {
      await migrateToSnapshot(empty, part.migrations);
    } finally {
      await empty.close();
    }
    job?.working(RESTORE_STEPS.load);
    restoredRows = await loadIntoSqliteFile(temporary, part, progress);
    job?.unitDone({ label: RESTORE_STEPS.load, summary: `${restoredRows.toLocaleString('ru-RU')} строк` });
    // The last moment to stop: the new file is removed below and nothing else was touched.
    job?.signal.throwIfAborted();
    job?.working(RESTORE_STEPS.migrate);
    const store = await openStore(temporary, { poolSize: 1 });
    try {
      await migrateToLatest(store);
      auditKeyKept = await keepCarriedKey(opened, store, options.secrets);
      // One file, no WAL beside it, before it is renamed into place.
      await sql`pragma wal_checkpoint(truncate)`.execute(store.db);
    } finally {
      await store.close();
    }
  } catch (error) {
    for (const suffix of ['', '-wal', '-shm']) await fs.rm(temporary + suffix, { force: true });
    throw error;
  }
  job?.unitDone({ label: RESTORE_STEPS.migrate });
  job?.working(RESTORE_STEPS.place);
  const safetyCopy = exists ? await moveSqliteAside(targetUrl, now()) : null;
  for (const suffix of ['-wal', '-shm']) await fs.rm(temporary + suffix, { force: true });
  await fs.rename(temporary, targetUrl);
  await nodeFileSink.syncDirectory(dirname(targetUrl)).catch(() => {});
  job?.unitDone({ label: RESTORE_STEPS.place, fileName: basename(targetUrl), ...(safetyCopy ? { message: `прежний файл сохранён как ${basename(safetyCopy)}` } : {}) });
  return { summary, restoredRows, safetyCopy, auditKeyKept };
}

/** The audit key the backup carries, kept on this PC if it is the restored school's. */
async function keepCarriedKey(opened: OpenedBackup, store: Store, secrets: SecretStore | null | undefined): Promise<boolean> {
  const entry = opened.manifest.parts.find((p) => p.kind === 'audit-key');
  if (!entry || !secrets) return false;
  const key = auditKeyFrom(Buffer.from(partBytes(opened.plain, entry)));
  const school = await store.db.selectFrom('school').select('audit_key_id').where('id', '=', 1).executeTakeFirst();
  if (school?.audit_key_id !== key.id) return false;
  keepAuditKey(secrets, key);
  return true;
}
