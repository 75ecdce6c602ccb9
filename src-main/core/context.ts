import type { Role } from '../../src-shared/roles';
import { appendAudit, type AuditEntry } from '../audit/chain';
import type { Store, Tx } from '../store/database';

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
  /** A short write transaction (ARCHITECTURE.md principle 4). */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Appends an audit record inside `tx`, stamped with now and the caller. */
  audit(tx: Tx, entry: Omit<AuditEntry, 'at' | 'userId'> & { userId?: number | null }): Promise<number>;
}

/** PostgreSQL aborted the transaction and guarantees nothing of it was applied. */
const RETRYABLE_CODES = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected
const MAX_ATTEMPTS = 4;

/**
 * A short write transaction, re-run when PostgreSQL aborts it for a serialization failure
 * or a deadlock: those are rolled back whole, so running the work again is safe. A lost
 * connection is not retried here — whether its COMMIT landed is unknown; the client retries
 * with the same idempotency key instead.
 */
async function transactionWithRetry<T>(store: CoreServices['store'], work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.db.transaction().execute(work);
    } catch (error) {
      const code = (error as { code?: string } | null)?.code;
      if (attempt >= MAX_ATTEMPTS || !code || !RETRYABLE_CODES.has(code)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 10 * attempt));
    }
  }
}

export function createHandlerContext(services: CoreServices, caller: Caller | null): HandlerContext {
  return {
    ...services,
    caller,
    requireCaller() {
      if (!caller) throw new Error('Метод требует входа, но вызван без сеанса');
      return caller;
    },
    transaction: (work) => transactionWithRetry(services.store, work),
    audit: (tx, entry) =>
      appendAudit(tx, services.store, {
        ...entry,
        at: services.now().toISOString(),
        userId: entry.userId === undefined ? (caller?.userId ?? null) : entry.userId,
      }),
  };
}
