import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';

// How this process talks to PostgreSQL, below Kysely. On the school LAN a save's cost is
// mostly round trips: each wakes this process and a server backend, and forty PCs make
// thousands a second. Two things here cut them without changing what a transaction does:
// statements are prepared once per connection, and statements whose answer nobody waits
// for travel with the next one.

/** Marks a statement whose answer is not needed before COMMIT (see `atCommit`). */
export const AT_COMMIT = '/* at commit */ ';

const STATEMENT_CACHE_SIZE = 500;
const PREPARABLE = /^(select|insert|update|delete|with) /;

interface Statement {
  name: string;
  text: string;
  values: readonly unknown[];
}

interface ClientState {
  /** Names prepared on this connection by us (pg tracks what the server confirmed). */
  prepared: Set<string>;
  /**
   * Statements accepted but not yet sent: a BEGIN, and statements marked AT_COMMIT. They go
   * out in front of the next statement, in the same network packet, answered together.
   */
  waiting: Statement[];
  /** A transaction is open (its BEGIN may still be waiting). */
  inTransaction: boolean;
}

const BEGIN: Omit<Statement, 'values'> = { name: 'zbegin', text: 'begin' };

type PgInternals = { utils: { prepareValue(value: unknown): unknown }; Query: typeof pg.Query };
const { utils, Query } = pg as unknown as PgInternals;
type ProtocolConnection = {
  bind(config: { statement: string; portal: string; values: readonly unknown[]; valueMapper(value: unknown): unknown }): void;
  execute(config: { portal: string; rows: number }): void;
};

/**
 * One extended-protocol exchange carrying several statements: the waiting ones (already
 * prepared on this connection, so only Bind and Execute) and then the statement itself, with
 * a single Sync. PostgreSQL runs them in order and stops at the first error, which becomes
 * this query's error. The waiting statements return no rows (BEGIN, inserts without RETURNING).
 */
class PipelinedQuery extends Query {
  constructor(
    private readonly before: Statement[],
    config: pg.QueryConfig,
    callback: (error: Error | null, result: pg.QueryResult | pg.QueryResult[]) => void,
  ) {
    super({ ...config, callback } as pg.QueryConfig);
  }

  prepare(connection: ProtocolConnection): void {
    for (const statement of this.before) {
      connection.bind({ statement: statement.name, portal: '', values: statement.values, valueMapper: utils.prepareValue });
      connection.execute({ portal: '', rows: 0 });
    }
    (Query.prototype as unknown as { prepare(connection: ProtocolConnection): void }).prepare.call(this, connection);
  }
}

/**
 * A pool whose connections prepare each plain DML text once (named statements: PostgreSQL
 * then neither parses nor plans it again; at most STATEMENT_CACHE_SIZE texts per connection,
 * since lists of varying length make new texts) and hold back BEGIN and AT_COMMIT statements
 * until the next statement goes out. A save is then four round trips instead of six.
 */
export function withNamedStatements(pool: pg.Pool): PostgresPool {
  const states = new WeakMap<pg.PoolClient, ClientState>();
  const names = new Map<string, string>();
  const nameOf = (text: string) => {
    let name = names.get(text);
    if (!name) {
      name = `z${createHash('sha1').update(text).digest('base64url')}`;
      if (names.size < STATEMENT_CACHE_SIZE * 4) names.set(text, name);
    }
    return name;
  };
  const parsedOn = (client: pg.PoolClient, name: string) =>
    (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements[name] !== undefined;

  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let state = states.get(client);
    if (!state) states.set(client, (state = { prepared: new Set(), waiting: [], inTransaction: false }));
    const own = state;

    /** The statement as a query config: named when it may be, so the server keeps its plan. */
    const configOf = (text: string, values: readonly unknown[] | undefined): pg.QueryConfig => {
      if (!PREPARABLE.test(text)) return { text, values: values as unknown[] };
      const name = nameOf(text);
      if (!own.prepared.has(name)) {
        if (own.prepared.size >= STATEMENT_CACHE_SIZE) return { text, values: values as unknown[] };
        own.prepared.add(name);
      }
      return { name, text, values: values as unknown[] };
    };

    const send = async (text: string, values: readonly unknown[] | undefined): Promise<pg.QueryResult> => {
      const waiting = own.waiting.splice(0);
      // Only statements this connection has prepared travel in front: their answers are then
      // just "done" (a Parse among them would confuse the driver's bookkeeping). Until then,
      // and in front of anything but plain DML or COMMIT, they go one by one as before.
      const canCarry = PREPARABLE.test(text) || text === 'commit';
      if (waiting.length > 0 && canCarry && waiting.every((s) => parsedOn(client, s.name))) {
        const config: pg.QueryConfig = text === 'commit' ? ({ text, queryMode: 'extended' } as pg.QueryConfig) : configOf(text, values);
        const results = await new Promise<pg.QueryResult | pg.QueryResult[]>((resolve, reject) => {
          client.query(new PipelinedQuery(waiting, config, (error, result) => (error ? reject(error) : resolve(result))));
        });
        return Array.isArray(results) ? results[results.length - 1]! : results;
      }
      for (const statement of waiting) await client.query({ name: statement.name, text: statement.text, values: statement.values as unknown[] });
      return client.query(configOf(text, values));
    };

    const wrapped = {
      async query(textOrCursor: unknown, values?: readonly unknown[]) {
        if (typeof textOrCursor !== 'string') {
          // A streamed read (Kysely's cursor): whatever waits goes first.
          for (const statement of own.waiting.splice(0)) await client.query({ name: statement.name, text: statement.text, values: statement.values as unknown[] });
          return client.query(textOrCursor as never);
        }
        const text = textOrCursor;
        if (text === 'begin' && !own.inTransaction) {
          own.inTransaction = true;
          own.waiting.push({ ...BEGIN, values: [] });
          return { command: 'BEGIN', rowCount: null, rows: [] };
        }
        if (text.startsWith(AT_COMMIT)) {
          const statement = text.slice(AT_COMMIT.length);
          // Outside a transaction nothing would carry it: it goes now.
          if (!own.inTransaction) return send(statement, values);
          const name = nameOf(statement);
          own.prepared.add(name);
          own.waiting.push({ name, text: statement, values: values ?? [] });
          return { command: 'INSERT', rowCount: 1, rows: [] };
        }
        if (text === 'commit' || text === 'rollback') {
          own.inTransaction = false;
          if (text === 'rollback') {
            // What waits was never sent, so never applied; a BEGIN still waiting means the
            // server never saw the transaction at all.
            const begun = own.waiting[0]?.name !== BEGIN.name;
            own.waiting.length = 0;
            if (!begun) return { command: 'ROLLBACK', rowCount: null, rows: [] };
          }
          return send(text, values);
        }
        if (/^(begin|start transaction)/.test(text)) own.inTransaction = true;
        return send(text, values);
      },
      release: () => {
        own.waiting.length = 0;
        own.inTransaction = false;
        client.release();
      },
    };
    return wrapped as unknown as PostgresPoolClient;
  };
  return { connect: async () => wrap(await pool.connect()), end: () => pool.end() };
}
