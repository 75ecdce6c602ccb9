import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, SqliteDriver, sql, type Compilable, type DatabaseConnection, type Driver, type SqliteDialectConfig, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { AT_COMMIT, withNamedStatements } from './postgres-client';
import { describeLocation, isPostgresUrl } from './url';

export { describeLocation, isPostgresUrl };

export type Engine = 'sqlite' | 'postgres';

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /** Human-readable location for messages: a file path or host/database (no password). */
  location: string;
  close(): Promise<void>;
  /**
   * Gathers the query planner's statistics where they are missing or stale (SQLite; a no-op
   * on PostgreSQL, whose autovacuum does it). It writes into the file: see `gatherStatistics`.
   */
  optimize(options?: { allTables?: boolean }): void;
}

export type Tx = Transaction<Database>;
export type Db = Kysely<Database> | Tx;

// PostgreSQL returns int8 (COUNT, SUM) as strings; every count we make fits in a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
// NUMERIC (averages) as numbers too.
pg.types.setTypeParser(1700, (value) => Number.parseFloat(value));

/** How long a SQLite statement waits for another process's write lock before BUSY. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** SQLite's "another connection holds the lock" family: BUSY, BUSY_SNAPSHOT, BUSY_RECOVERY, BUSY_TIMEOUT. */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Runs a write again while SQLite answers BUSY (another process holds the write lock past the
 * busy timeout; a BUSY write changed nothing, a BUSY_SNAPSHOT transaction was rolled back
 * whole), for up to `patienceMs`. For work nobody waits for at the keyboard — a backup's own
 * records — which must not fail because the app is saving at full speed meanwhile.
 */
export async function retryWhileSqliteBusy<T>(work: () => Promise<T>, patienceMs = 60_000): Promise<T> {
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isSqliteBusy(error) || Date.now() - startedAt >= patienceMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * attempt) + Math.random() * 20));
    }
  }
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
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: withNamedStatements(pool) }) });
    return { db, engine: 'postgres', location: describeLocation(url), close: () => db.destroy(), optimize: () => {} };
  }
  const file = new BetterSqlite3(url);
  // WAL lets readers work while a write commits; FULL makes an acknowledged save survive a
  // power cut; the busy timeout covers a second process (another window, the CLI) writing at
  // the same moment — write transactions begin IMMEDIATE so that it applies to them too.
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = FULL');
  file.pragma('foreign_keys = ON');
  file.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(file) }) });
  const optimize = (options: { allTables?: boolean } = {}) => {
    try {
      // A sampled ANALYZE (400 rows an index), as SQLite recommends for `optimize`.
      file.pragma('analysis_limit = 400');
      file.pragma(options.allTables ? 'optimize = 0x10002' : 'optimize');
    } catch {
      // Only an optimisation: a file another process is writing goes on without it.
    }
  };
  return { db, engine: 'sqlite', location: url, close: () => db.destroy(), optimize };
}

/**
 * SQLite never gathers the query planner's statistics by itself: without `sqlite_stat1` the
 * deputy's control report took 2.0 s instead of 0.8 s on the large demo school. `PRAGMA
 * optimize` analyzes the tables whose statistics are missing or stale, and writes them into
 * the file — so only a core, which writes anyway, asks for it: after the migrations at open
 * (every table), every few hours and at close (the tables it queried). A file opened by
 * `openStore` alone is never touched by it: the source of a move to PostgreSQL stays
 * byte-for-byte as it was, and a read-only open (the backup's snapshot) has no store at all.
 */
export const STATISTICS_EVERY_MS = 6 * 3_600_000;

/**
 * Kysely begins SQLite transactions DEFERRED: the write lock is taken at the first write,
 * after the transaction's reads. When another process holds it then, SQLite answers BUSY at
 * once (waiting could deadlock a reader that wants to write) or BUSY_SNAPSHOT (the reads saw
 * a state the other process has since changed) — the busy timeout never applies. IMMEDIATE
 * takes the write lock at BEGIN, where SQLite does wait out the busy timeout. One
 * connection per process means nothing is lost: its transactions run one at a time anyway.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs more than running the small queries of
 * a save. The same SQL text gets the same prepared statement back — unless that one is
 * still iterating (a streamed read), which better-sqlite3 cannot share.
 */
function withStatementCache(file: BetterSqlite3.Database): { prepare(sql: string): BetterSqlite3.Statement; close(): void } {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(text) {
      const cached = statements.get(text);
      if (cached && !cached.busy) return cached;
      const statement = file.prepare(text);
      if (text.startsWith(ARRAY_ROWS)) statement.raw(true);
      if (!cached) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
        statements.set(text, statement);
      }
      return statement;
    },
    close: () => file.close(),
  };
}

const ARRAY_ROWS = '/* array rows */ ';

/**
 * Runs a select and returns its rows as arrays, columns in the order selected. Building
 * thousands of row objects is most of what reading a journal page costs in better-sqlite3;
 * arrays are made several times faster, and the caller shapes them in JS. Through Kysely,
 * so SQLite's one connection is still taken in turn.
 */
export async function selectArrays<Row extends readonly unknown[]>(db: Db, query: Compilable): Promise<Row[]> {
  const compiled = query.compile();
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    const { rows } = await db.executeQuery(CompiledQuery.raw(ARRAY_ROWS + compiled.sql, [...compiled.parameters]));
    return rows as unknown as Row[];
  }
  const { rows } = await db.executeQuery(compiled);
  return rows.map((row) => Object.values(row as object)) as unknown as Row[];
}

/**
 * A write inside a transaction whose answer nobody needs before COMMIT (a bookkeeping row).
 * On PostgreSQL it travels with the COMMIT, saving a round trip; if it fails, the commit
 * fails and the transaction is rolled back whole, as if it had failed on the spot.
 */
export async function writeAtCommit(tx: Tx, query: Compilable): Promise<void> {
  const compiled = query.compile();
  await tx.executeQuery(CompiledQuery.raw(AT_COMMIT + compiled.sql, [...compiled.parameters]));
}

export { sql };
