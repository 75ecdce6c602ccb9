import { existsSync, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { migrations } from '../../migrations/index';
import type { BackupSummary } from '../../src-shared/contract/backup';
import { AppError } from '../core/errors';
import { isPostgresUrl, openStore, type Store } from '../store/database';
import { migrateToLatest } from '../store/migrate';
import { kyselyRunner, quoteIdent, readCatalog, type SqlRunner } from './catalog';
import { checkContainer, openBackup, partBytes, type OpenedBackup } from './container';
import { readSigningPublicKey } from './keys';
import { summaryOf } from './run';
import { insertRows, readDatabasePart } from './snapshot';

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

async function sameSchoolKey(manifestKey: string, current?: Store): Promise<boolean | null> {
  if (!current) return null;
  const own = await readSigningPublicKey(current);
  return own ? own.trim() === manifestKey.trim() : null;
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

/**
 * SQLite: rows go in through a connection of our own with one prepared statement per
 * table, in one transaction — several times faster than statements compiled per batch.
 * The file is the restore's own temporary file, which nothing else has open for writing.
 */
async function loadIntoSqliteFile(path: string, compressed: Buffer, inSnapshot: Set<string>): Promise<number> {
  const file = new BetterSqlite3(path);
  let restored = 0;
  try {
    file.pragma('foreign_keys = ON');
    file.pragma('busy_timeout = 5000');
    const run: SqlRunner = { engine: 'sqlite', all: async (query, params = []) => file.prepare(query).all(...params) as Record<string, unknown>[] };
    const catalog = await readCatalog(run);
    const known = new Map(catalog.map((t) => [t.name, new Set(t.columns)]));
    file.exec('begin immediate');
    try {
      for (const table of [...catalog].reverse()) {
        if (inSnapshot.has(table.name)) file.exec(`delete from ${quoteIdent(table.name)}`);
      }
      await readDatabasePart(compressed, async (table, rows) => {
        columnsCheck(table, known);
        const insert = file.prepare(
          `insert into ${quoteIdent(table.name)} (${table.columns.map(quoteIdent).join(', ')}) values (${table.columns.map(() => '?').join(', ')})`,
        );
        for await (const batch of rows) {
          for (const row of batch) insert.run(row);
          restored += batch.length;
        }
      });
      file.exec('commit');
    } catch (error) {
      if (file.inTransaction) file.exec('rollback');
      throw error;
    }
  } finally {
    file.close();
  }
  return restored;
}

/** Inserts the snapshot into an empty, migrated store in one transaction: all or nothing. */
async function loadSnapshot(store: Store, opened: OpenedBackup, sqlitePath?: string): Promise<number> {
  const databasePart = opened.manifest.parts.find((p) => p.kind === 'database');
  if (!databasePart) throw new AppError('validation', 'В резервной копии нет части «База данных целиком».');
  const part = { compressed: partBytes(opened.plain, databasePart), migrations: opened.manifest.migrations, tables: Object.keys(databasePart.counts) };
  return loadDatabasePart(store, part, sqlitePath);
}

export interface DatabasePartToLoad {
  /** The gzip JSON-lines snapshot (snapshot.ts). */
  compressed: Buffer;
  /** The migrations the snapshot was taken at. */
  migrations: string[];
  /** The tables it holds. */
  tables: string[];
}

/**
 * Loads an engine-neutral snapshot into an empty store, in one transaction: all or nothing.
 * Restores use it, and so does moving a school from SQLite to PostgreSQL (src-main/lan).
 */
export async function loadDatabasePart(store: Store, part: DatabasePartToLoad, sqlitePath?: string): Promise<number> {
  const { compressed } = part;
  await migrateToSnapshot(store, part.migrations);
  if (store.engine === 'sqlite' && sqlitePath) return loadIntoSqliteFile(sqlitePath, compressed, new Set(part.tables));
  let restored = 0;
  await store.db.transaction().execute(async (tx) => {
    const run = kyselyRunner(tx as unknown as Kysely<unknown>, store.engine);
    const catalog = await readCatalog(run);
    const inSnapshot = new Set(part.tables);
    // Rows the migrations seeded (audit_head) make way for the backup's own.
    for (const table of [...catalog].reverse()) {
      if (inSnapshot.has(table.name)) await run.all(`delete from ${quoteIdent(table.name)}`);
    }
    const known = new Map(catalog.map((t) => [t.name, new Set(t.columns)]));
    const types = new Map(catalog.map((t) => [t.name, t.types]));
    await readDatabasePart(compressed, async (table, rows) => {
      columnsCheck(table, known);
      for await (const batch of rows) {
        await insertRows(tx as unknown as Kysely<unknown>, store.engine, table.name, table.columns, batch, types.get(table.name));
        restored += batch.length;
      }
    });
    if (store.engine === 'postgres') {
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
  });
  return restored;
}

export interface RestoreOptions {
  /** SQLite only: replace an existing database, after copying it aside. */
  replace?: boolean;
  now?: () => Date;
}

export interface RestoreReport {
  summary: BackupSummary;
  restoredRows: number;
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
 * Verifies the backup completely (signature, checksums, password), then restores it.
 * SQLite: into a new file next to the target, renamed into place only when complete; with
 * `replace`, the old file is first moved aside with a timestamp. PostgreSQL: into an empty
 * database the administrator created; replacing a live PostgreSQL database in place is
 * not offered (restore into a new database, then point the PCs to it).
 */
export async function restoreBackupFile(file: string, password: string, targetUrl: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  const now = options.now ?? (() => new Date());
  const opened = await openBackup(await readBackupBytes(file), { password });
  const summary = summaryOf(opened.manifest, opened.fingerprint, true, null);

  if (isPostgresUrl(targetUrl)) {
    if (options.replace) {
      throw new AppError('validation', 'Замена базы PostgreSQL на месте не выполняется: создайте новую пустую базу данных и восстановите в неё.');
    }
    const store = await openStore(targetUrl, { poolSize: 2 });
    try {
      await assertEmpty(store, store.location);
      const restoredRows = await loadSnapshot(store, opened);
      await migrateToLatest(store);
      return { summary, restoredRows, safetyCopy: null };
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
  try {
    const store = await openStore(temporary, { poolSize: 1 });
    try {
      restoredRows = await loadSnapshot(store, opened, temporary);
      await migrateToLatest(store);
      // One file, no WAL beside it, before it is renamed into place.
      await sql`pragma wal_checkpoint(truncate)`.execute(store.db);
    } finally {
      await store.close();
    }
  } catch (error) {
    for (const suffix of ['', '-wal', '-shm']) await fs.rm(temporary + suffix, { force: true });
    throw error;
  }
  const safetyCopy = exists ? await moveSqliteAside(targetUrl, now()) : null;
  for (const suffix of ['-wal', '-shm']) await fs.rm(temporary + suffix, { force: true });
  await fs.rename(temporary, targetUrl);
  return { summary, restoredRows, safetyCopy };
}
