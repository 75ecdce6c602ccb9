import type { CreateTableBuilder, Kysely } from 'kysely';

export type MigrationEngine = 'sqlite' | 'postgres';

export interface ZhurnalMigration {
  // The store is typed `any` on purpose: a migration sees the schema as it was then.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, engine: MigrationEngine): Promise<void>;
}

/** An auto-numbered integer primary key on either engine. */
export function withId<T extends string>(
  table: CreateTableBuilder<T, never>,
  engine: MigrationEngine,
): CreateTableBuilder<T, 'id'> {
  return engine === 'postgres'
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
