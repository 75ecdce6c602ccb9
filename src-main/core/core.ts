import type { MethodName } from '../../src-shared/contract/index';
import type { CallRequest, Envelope } from '../../src-shared/contract/envelope';
import type { Role } from '../../src-shared/roles';
import { accountHandlers, authHandlers } from '../accounts/handlers';
import { backupHandlers } from '../backup/handlers';
import { demoHandlers } from '../demo/handlers';
import { journalHandlers } from '../journal/handlers';
import { printingHandlers } from '../printing/handlers';
import { schoolHandlers } from '../school/handlers';
import { findUser, rolesOf } from '../accounts/repository';
import { readSchoolSettings } from '../settings/school-settings';
import { openStore, type Store } from '../store/database';
import { migrateToLatest } from '../store/migrate';
import type { HandlerMap } from './handlers';
import { createRouter } from './router';
import { SessionStore } from './sessions';

export interface CoreOptions {
  /** A SQLite file path or a postgres:// URL. */
  databaseUrl: string;
  now?: () => Date;
  logError?: (error: unknown, method: string) => void;
  poolSize?: number;
  /** Check results against the contract (default: on; the packaged app turns it off). */
  checkOutputs?: boolean;
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
  const sessions = new SessionStore();

  const handlers: HandlerMap<MethodName> = {
    ...authHandlers(sessions),
    ...accountHandlers(sessions),
    ...backupHandlers(),
    ...journalHandlers(),
    ...demoHandlers(),
    ...printingHandlers(),
    ...schoolHandlers(),
  };

  // The inactivity limit is read on every call; a short cache keeps that off the hot path.
  let inactivity = { minutes: 30, readAtMs: -Infinity };
  async function inactivityMinutes() {
    const nowMs = Date.now();
    if (nowMs - inactivity.readAtMs > SETTINGS_CACHE_MS) {
      inactivity = { minutes: (await readSchoolSettings(store.db)).sessionInactivityMinutes, readAtMs: nowMs };
    }
    return inactivity.minutes;
  }

  async function loadCaller(userId: number, token: string) {
    const user = await findUser(store.db, userId);
    if (!user || user.active !== 1 || user.compromised_at) return null;
    return {
      userId: user.id,
      login: user.login,
      fullName: user.full_name,
      roles: (await rolesOf(store.db, user.id)) as Role[],
      mustChangePassword: user.must_change_password === 1,
      sessionToken: token,
    };
  }

  const call = createRouter({ store, now, sessions, handlers, inactivityMinutes, loadCaller, logError: options.logError, checkOutputs: options.checkOutputs ?? true });
  return { call, store, now, close: () => store.close(), handledMethods: Object.keys(handlers) };
}
