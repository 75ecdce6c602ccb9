import { createHash } from 'node:crypto';
import { AppError } from '../core/errors';
import { assertEmpty, loadDatabasePart } from '../backup/restore';
import { buildDatabasePart, encodeValue, withSnapshotSource, type SnapshotSource } from '../backup/snapshot';
import { isPostgresUrl, openStore, type Store } from '../store/database';
import { migrateToLatest } from '../store/migrate';

/**
 * «Moving up»: a school that began on one PC with SQLite moves
 * everything to PostgreSQL in one step, through the same engine-neutral snapshot a backup
 * uses. It is verified table by table — row counts and a SHA-256 of every row, read back
 * from both engines — and the SQLite file is left exactly where it was.
 */
export interface MoveReport {
  tables: Array<{ name: string; rows: number; sha256: string }>;
  rows: number;
}

/** Row count and a digest of every row (in primary-key order) of each table. */
async function tableDigests(store: Store): Promise<Map<string, { rows: number; sha256: string }>> {
  return withSnapshotSource(store, async (source: SnapshotSource) => {
    const digests = new Map<string, { rows: number; sha256: string }>();
    for (const table of source.catalog) {
      const hash = createHash('sha256');
      let rows = 0;
      // Columns by name, so a column order that differs between engines does not matter.
      const columns = [...table.columns].sort();
      for await (const batch of source.rows(table, columns)) {
        for (const row of batch) hash.update(`${JSON.stringify(row.map(encodeValue))}\n`);
        rows += batch.length;
      }
      digests.set(table.name, { rows, sha256: hash.digest('hex') });
    }
    return digests;
  });
}

export async function moveToPostgres(sqlitePath: string, postgresUrl: string, onProgress: (line: string) => void = () => {}): Promise<MoveReport> {
  if (isPostgresUrl(sqlitePath)) throw new AppError('validation', 'Источник переноса — файл SQLite, а не адрес PostgreSQL.');
  if (!isPostgresUrl(postgresUrl)) throw new AppError('validation', 'Адрес PostgreSQL начинается с postgres://');
  const source = await openStore(sqlitePath);
  let target: Store | null = null;
  try {
    // The file is brought to this version first, as opening it in the app would.
    await migrateToLatest(source);
    onProgress('Снимок базы SQLite…');
    const part = await withSnapshotSource(source, buildDatabasePart);
    target = await openStore(postgresUrl, { poolSize: 2 });
    const location = target.location;
    await assertEmpty(target, location).catch((error: unknown) => {
      // assertEmpty speaks of a restore; here the person is moving a school.
      if (!(error instanceof AppError) || error.kind !== 'conflict') throw error;
      throw new AppError('conflict', `База данных ${location} не пуста: переносить можно только в базу без школы и учётных записей. Файл SQLite не изменён.`);
    });
    onProgress(`Загрузка в PostgreSQL (${target.location}): ${part.rows} строк…`);
    // With the address, the rows go in by COPY (src-main/backup/restore.ts).
    await loadDatabasePart(target, { compressed: part.data, migrations: part.migrations, tables: Object.keys(part.tables) }, { url: postgresUrl });
    await migrateToLatest(target);

    onProgress('Сверка таблиц…');
    const [before, after] = await Promise.all([tableDigests(source), tableDigests(target)]);
    const mismatched = [...before].filter(([name, digest]) => {
      const moved = after.get(name);
      return !moved || moved.rows !== digest.rows || moved.sha256 !== digest.sha256;
    });
    if (mismatched.length > 0) {
      throw new AppError(
        'conflict',
        `Перенос не сошёлся в таблицах: ${mismatched.map(([name]) => name).join(', ')}. Файл SQLite не изменён; очистите базу PostgreSQL и повторите.`,
      );
    }
    const tables = [...before].map(([name, digest]) => ({ name, ...digest }));
    return { tables, rows: tables.reduce((n, t) => n + t.rows, 0) };
  } finally {
    await source.close();
    await target?.close();
  }
}
