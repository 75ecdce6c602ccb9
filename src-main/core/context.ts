import type { Role } from '../../src-shared/roles';
import { appendAudit, appendAuditMany, type AuditEntry } from '../audit/chain';
import { isSqliteBusy, SQLITE_BUSY_TIMEOUT_MS, type Store, type Tx } from '../store/database';

/** Who is calling: resolved from the session token on every call. */
export interface Caller {
  userId: number;
  login: string;
  fullName: string;
  roles: Role[];
  mustChangePassword: boolean;
  sessionToken: string;
}

export interface CoreServices {
  store: Store;
  /** The clock; tests move it to check edit windows, lockouts, inactivity. */
  now(): Date;
}

export interface HandlerContext extends CoreServices {
  /** Null only for `public` methods called before login. */
  caller: Caller | null;
  /** The caller, for methods that require a session (the router guarantees one). */
  requireCaller(): Caller;
  /** A short write transaction (docs/architecture.md principle 4). */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Appends an audit record inside `tx`, stamped with now and the caller. */
  audit(tx: Tx, entry: UnstampedAuditEntry): Promise<number>;
  /** The same for several records, in order, in a few statements (a batch of saves). */
  auditMany(tx: Tx, entries: readonly UnstampedAuditEntry[]): Promise<number[]>;
}

export type UnstampedAuditEntry = Omit<AuditEntry, 'at' | 'userId'> & { userId?: number | null };

/** PostgreSQL aborted the transaction and guarantees nothing of it was applied. */
const RETRYABLE_CODES = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const MAX_ATTEMPTS = 4;

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return (code !== undefined && RETRYABLE_CODES.has(code)) || isSqliteBusy(error);
}

/**
 * A short write transaction, re-run when PostgreSQL aborts it for a serialization failure
 * or a deadlock, or when SQLite's file is locked by another process (BUSY at BEGIN, nothing
 * done yet; BUSY_SNAPSHOT, rolled back whole): running the work again is safe. SQLite is
 * retried for about one busy timeout; past that the error goes up and the caller is told
 * the database is unavailable. A lost connection is not retried here — whether its COMMIT
 * landed is unknown; the client retries with the same idempotency key instead.
 */
async function transactionWithRetry<T>(store: CoreServices['store'], work: (tx: Tx) => Promise<T>): Promise<T> {
  const startedAt = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.db.transaction().execute(work);
    } catch (error) {
      const pastBusyTimeout = isSqliteBusy(error) && Date.now() - startedAt >= SQLITE_BUSY_TIMEOUT_MS;
      if (attempt >= MAX_ATTEMPTS || pastBusyTimeout || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10 * attempt));
    }
  }
}

export function createHandlerContext(services: CoreServices, caller: Caller | null): HandlerContext {
  const stamp = (entry: UnstampedAuditEntry): AuditEntry => ({
    ...entry,
    at: services.now().toISOString(),
    userId: entry.userId === undefined ? (caller?.userId ?? null) : entry.userId,
  });
  return {
    ...services,
    caller,
    requireCaller() {
      if (!caller) throw new Error('Метод требует входа, но вызван без сеанса');
      return caller;
    },
    transaction: (work) => transactionWithRetry(services.store, work),
    audit: (tx, entry) => appendAudit(tx, services.store, stamp(entry)),
    auditMany: (tx, entries) => appendAuditMany(tx, services.store, entries.map(stamp)),
  };
}

/**
 * A context whose audit records are kept, in order, instead of appended: a batch of saves
 * runs each through its own rules and contexts, then appends all records with `flush`.
 */
export function collectingAudit(ctx: HandlerContext): { ctx: HandlerContext; flush(tx: Tx): Promise<number[]> } {
  const records: UnstampedAuditEntry[] = [];
  return {
    ctx: {
      ...ctx,
      audit: async (_tx, entry) => {
        records.push(entry);
        return 0;
      },
      auditMany: async (_tx, entries) => {
        records.push(...entries);
        return entries.map(() => 0);
      },
    },
    flush: (tx) => ctx.auditMany(tx, records.splice(0)),
  };
}
