import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** Human-readable location for messages: a file path or host/database (no password). */
  location: string;
  close(): Promise<void>;
}

export type Tx = Transaction<Database>;
export type Db = Kysely<Database> | Tx;

// PostgreSQL returns int8 (COUNT, SUM) as strings; every count we make fits in a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
// NUMERIC (averages) as numbers too.
pg.types.setTypeParser(1700, (value) => Number.parseFloat(value));

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}

export function describeLocation(url: string): string {
  if (!isPostgresUrl(url)) return url;
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

export async function openStore(url: string, options: { poolSize?: number } = {}): Promise<Store> {
  if (isPostgresUrl(url)) {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 4, connectionTimeoutMillis: 10_000 });
    // A connection dropped by the server (a restart, a network hiccup) must not crash the
    // app. Idle ones are reported on the pool; one in use by a call reports on its client
    // too — that call fails with the same error and answers `unavailable`, and the pool
    // connects anew for the next.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', location: describeLocation(url), close: () => db.destroy() };
  }
  const file = new BetterSqlite3(url);
  // WAL lets readers work while a write commits; FULL makes an acknowledged save survive a
  // power cut (issue «The class journal», durability); the busy timeout covers a second
  // process (the CLI) writing at the same moment.
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = FULL');
  file.pragma('foreign_keys = ON');
  file.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: file }) });
  return { db, engine: 'sqlite', location: url, close: () => db.destroy() };
}

export { sql };
