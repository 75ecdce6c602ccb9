import type { CallRequest, Envelope } from '../../src-shared/contract/envelope';
import { allHandlers } from './handlers';
import { JobRunner } from '../jobs/runner';
import { findUserWithRoles } from '../accounts/repository';
import type { Role } from '../../src-shared/roles';
import type { UserRow } from '../accounts/tables';
import { readSchoolSettings } from '../settings/school-settings';
import { openStore, STATISTICS_EVERY_MS, type Store } from '../store/database';
import { attachAuditKey } from '../audit/key';
import { setPcDir, writeAnchor } from '../audit/anchors';
import type { SecretStore } from '../settings/secret-store';
import { migrateToLatest } from '../store/migrate';
import { createRouter } from '../core/router';
import { SessionStore } from '../core/sessions';

export interface CoreOptions {
  /** A SQLite file path or a postgres:// URL. */
  databaseUrl: string;
  now?: () => Date;
  logError?: (error: unknown, method: string) => void;
  poolSize?: number;
  /** Check results against the contract (default: on; the packaged app turns it off). */
  checkOutputs?: boolean;
  /**
   * This PC's secrets: the school's audit key lives there (src-main/audit/key.ts). Without
   * them (tests, a CLI run with no PC folder) records are written unkeyed, as before 0011.
   */
  secrets?: SecretStore;
  /** This PC's folder: the audit anchor file is written there (src-main/audit/anchors.ts). */
  pcDir?: string;
}

export interface Core {
  call(request: CallRequest): Promise<Envelope<unknown>>;
  store: Store;
  now(): Date;
  close(): Promise<void>;
  /** Names in the handler registry: the contract test checks them against the contract. */
  handledMethods: readonly string[];
}

const SETTINGS_CACHE_MS = 10_000;
const ANCHOR_EVERY_MS = 10 * 60_000;
const CALLER_CACHE_MS = 2_000;
/** Methods that may change an account or its roles. */
const ACCOUNT_METHODS = /^(accounts|auth)\./;

/** Opens the database, brings its schema up to date, and wires the router. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const now = options.now ?? (() => new Date());
  const store = await openStore(options.databaseUrl, { poolSize: options.poolSize });
  try {
    await migrateToLatest(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  store.optimize({ allTables: true });
  if (options.secrets) {
    try {
      await attachAuditKey(store, options.secrets);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  const statisticsTimer = setInterval(() => store.optimize(), STATISTICS_EVERY_MS);
  statisticsTimer.unref();
  // Anchors on this PC (D-26): at open, every few minutes while the heads move, at close.
  let anchorTimer: NodeJS.Timeout | null = null;
  const anchor = async () => {
    if (options.pcDir) await writeAnchor(options.pcDir, store.db, store.location, now()).catch((error: unknown) => options.logError?.(error, 'audit.anchor'));
  };
  if (options.pcDir) {
    setPcDir(store, options.pcDir);
    await anchor();
    anchorTimer = setInterval(() => void anchor(), ANCHOR_EVERY_MS);
    anchorTimer.unref();
  }
  const sessions = new SessionStore();
  // Long jobs (whole-school print, backups, …): in memory, for the life of this core.
  const jobs = new JobRunner({ now, logError: options.logError });

  const handlers = allHandlers({ sessions, jobs });

  // The inactivity limit is read on every call; a short cache keeps that off the hot path.
  let inactivity = { minutes: 30, readAtMs: -Infinity };
  async function inactivityMinutes() {
    const nowMs = now().getTime();
    if (nowMs - inactivity.readAtMs > SETTINGS_CACHE_MS || nowMs < inactivity.readAtMs) {
      inactivity = { minutes: (await readSchoolSettings(store.db)).sessionInactivityMinutes, readAtMs: nowMs };
    }
    return inactivity.minutes;
  }

  // Who the caller is, re-read at most every CALLER_CACHE_MS per account: on the LAN that
  // read was one of a save's round trips. An account changed on this PC is re-read at its
  // next call (any accounts.* or auth.* call clears the cache); one changed on another PC
  // (blocked, roles taken away) is seen here within CALLER_CACHE_MS of the core's clock.
  const callers = new Map<number, { user: UserRow; roles: Role[]; readAtMs: number }>();
  async function loadCaller(userId: number, token: string) {
    const nowMs = now().getTime();
    let found = callers.get(userId);
    if (!found || nowMs - found.readAtMs > CALLER_CACHE_MS || nowMs < found.readAtMs) {
      const read = await findUserWithRoles(store.db, userId);
      if (!read) {
        callers.delete(userId);
        return null;
      }
      callers.set(userId, (found = { ...read, readAtMs: nowMs }));
    }
    const { user, roles } = found;
    if (user.active !== 1 || user.compromised_at) return null;
    return {
      userId: user.id,
      login: user.login,
      fullName: user.full_name,
      roles,
      mustChangePassword: user.must_change_password === 1,
      sessionToken: token,
    };
  }

  const route = createRouter({ store, now, sessions, handlers, inactivityMinutes, loadCaller, logError: options.logError, checkOutputs: options.checkOutputs ?? true });
  const call: Core['call'] = async (request) => {
    const envelope = await route(request);
    if (ACCOUNT_METHODS.test(String(request.method))) callers.clear();
    return envelope;
  };
  async function close() {
    // Running jobs finish their current unit (a class, a copy), then the database closes.
    await jobs.stop();
    if (anchorTimer) clearInterval(anchorTimer);
    clearInterval(statisticsTimer);
    await anchor();
    store.optimize();
    await store.close();
  }
  return { call, store, now, close, handledMethods: Object.keys(handlers) };
}
