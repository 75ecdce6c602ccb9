import { CompiledQuery, type Kysely } from 'kysely';
import type { Engine } from '../store/database';

/**
 * The schema as the database itself reports it. Backups, restores and the year archive
 * read tables from here, never from a hand-kept list: a table another domain adds in a
 * later migration is included without touching this code.
 */
export interface ForeignKey {
  column: string;
  refTable: string;
  refColumn: string;
}

export interface TableInfo {
  name: string;
  columns: string[];
  /** Declared types, as the engine spells them ('integer', 'text', 'real', …). */
  types: Record<string, string>;
  primaryKey: string[];
  foreignKeys: ForeignKey[];
  /** PostgreSQL: the column fed by a sequence (serial), whose sequence a restore moves on. */
  serialColumn: string | null;
}

/** Runs raw SQL on one connection or transaction; `?` placeholders on SQLite, `$1` on PostgreSQL. */
export interface SqlRunner {
  engine: Engine;
  all(query: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

export function kyselyRunner(db: Kysely<unknown>, engine: Engine): SqlRunner {
  return {
    engine,
    async all(query, params = []) {
      const result = await db.executeQuery(CompiledQuery.raw(query, [...params]));
      return result.rows as Record<string, unknown>[];
    },
  };
}

/** Kysely's own bookkeeping: restored by running the migrations, never copied. */
export const isInternalTable = (name: string) => name.startsWith('kysely_') || name.startsWith('sqlite_');

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function sqliteTable(run: SqlRunner, name: string): Promise<TableInfo> {
  const columns = await run.all('select name, type, pk from pragma_table_info(?) order by cid', [name]);
  const keys = await run.all('select "table" as ref_table, "from" as col, "to" as ref_col from pragma_foreign_key_list(?)', [name]);
  const primaryKey = columns
    .filter((c) => Number(c.pk) > 0)
    .sort((a, b) => Number(a.pk) - Number(b.pk))
    .map((c) => String(c.name));
  return {
    name,
    columns: columns.map((c) => String(c.name)),
    types: Object.fromEntries(columns.map((c) => [String(c.name), String(c.type).toLowerCase()])),
    primaryKey,
    foreignKeys: keys.map((k) => ({ column: String(k.col), refTable: String(k.ref_table), refColumn: k.ref_col == null ? 'id' : String(k.ref_col) })),
    serialColumn: null,
  };
}

async function postgresTable(run: SqlRunner, name: string): Promise<TableInfo> {
  const columns = await run.all(
    `select column_name, data_type, column_default from information_schema.columns
      where table_schema = current_schema() and table_name = $1 order by ordinal_position`,
    [name],
  );
  const relation = `${quoteIdent(name)}`;
  const primaryKey = await run.all(
    `select a.attname as name from pg_index i
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = $1::regclass and i.indisprimary
      order by array_position(i.indkey::int2[], a.attnum)`,
    [relation],
  );
  const keys = await run.all(
    `select a.attname as col, cl.relname as ref_table, af.attname as ref_col
       from pg_constraint c
       cross join lateral unnest(c.conkey, c.confkey) as k(conkey, confkey)
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.conkey
       join pg_attribute af on af.attrelid = c.confrelid and af.attnum = k.confkey
       join pg_class cl on cl.oid = c.confrelid
      where c.contype = 'f' and c.conrelid = $1::regclass`,
    [relation],
  );
  const serial = columns.find((c) => String(c.column_default ?? '').startsWith('nextval('));
  return {
    name,
    columns: columns.map((c) => String(c.column_name)),
    types: Object.fromEntries(columns.map((c) => [String(c.column_name), String(c.data_type).toLowerCase()])),
    primaryKey: primaryKey.map((p) => String(p.name)),
    foreignKeys: keys.map((k) => ({ column: String(k.col), refTable: String(k.ref_table), refColumn: String(k.ref_col) })),
    serialColumn: serial ? String(serial.column_name) : null,
  };
}

/** Every application table, parents before children (the order a restore inserts in). */
export async function readCatalog(run: SqlRunner): Promise<TableInfo[]> {
  const names =
    run.engine === 'sqlite'
      ? await run.all(`select name from sqlite_master where type = 'table' order by name`)
      : await run.all(
          `select table_name as name from information_schema.tables
            where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
        );
  const tables: TableInfo[] = [];
  for (const row of names) {
    const name = String(row.name);
    if (isInternalTable(name)) continue;
    tables.push(run.engine === 'sqlite' ? await sqliteTable(run, name) : await postgresTable(run, name));
  }
  return dependencyOrder(tables);
}

/**
 * Parents first (Kahn's algorithm, ties by name so the order is stable). A reference to
 * the table itself does not count; a cycle, which our schema does not have, falls back to
 * name order for the tables in it rather than failing.
 */
export function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const pending = new Map(
    tables.map((t) => [t.name, new Set(t.foreignKeys.map((k) => k.refTable).filter((r) => r !== t.name && byName.has(r)))]),
  );
  const ordered: TableInfo[] = [];
  while (pending.size > 0) {
    const ready = [...pending.entries()].filter(([, parents]) => parents.size === 0).map(([name]) => name).sort();
    const next = ready.length > 0 ? ready : [[...pending.keys()].sort()[0]!];
    for (const name of next) {
      pending.delete(name);
      ordered.push(byName.get(name)!);
      for (const parents of pending.values()) parents.delete(name);
    }
  }
  return ordered;
}
