import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import { migrations } from '../../migrations/index';
import { AppError } from '../core/errors';
import type { Store } from './database';

const MIGRATION_TABLE = 'kysely_migration';

class StaticProvider implements MigrationProvider {
  constructor(private readonly store: Store) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const engine = this.store.engine;
    return Object.fromEntries(
      migrations.map(([name, migration]) => [name, { up: (db) => migration.up(db, engine) }]),
    );
  }
}

/** Names of the migrations recorded in the database (empty for a new one). */
async function appliedMigrationNames(store: Store): Promise<string[]> {
  const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === MIGRATION_TABLE)) return [];
  const rows = await store.db
    .selectFrom(MIGRATION_TABLE as never)
    .select('name' as never)
    .execute();
  return rows.map((row) => (row as { name: string }).name);
}

export interface MigrationReport {
  applied: string[];
  current: string;
}

/**
 * Brings the database to this version's schema. Refuses a database written by a newer
 * Zhurnal: an older program must not guess at tables it does not know.
 */
export async function migrateToLatest(store: Store): Promise<MigrationReport> {
  const known = new Set(migrations.map(([name]) => name));
  const appliedNames = await appliedMigrationNames(store);
  const unknown = appliedNames.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new AppError(
      'unavailable',
      `База данных (${store.location}) создана более новой версией «Журнала» и не может быть открыта этой версией. ` +
        'Обновите программу на этом компьютере.',
      { unknownMigrations: unknown },
    );
  }
  const current = migrations[migrations.length - 1]![0];
  // Up to date: no migrator, no lock — a start-up stays fast, and a least-privilege role
  // (which may not touch the migration tables) can open the database.
  if (appliedNames.length === migrations.length) return { applied: [], current };
  // Migrations were written in parallel before the first release, so a developer's database
  // may hold 0005 without 0004: independent steps may run out of order.
  const migrator = new Migrator({ db: store.db, provider: new StaticProvider(store), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'неизвестный шаг';
    throw new AppError('unavailable', `Не удалось обновить структуру базы данных на шаге ${failed}: ${String(error)}`);
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  return { applied, current };
}
