import { localDateTime } from '../../src-shared/rules/dates';
import type { CoreServices } from '../core/context';
import type { Db, Store } from '../store/database';
import { journalEnvironment, type Environment } from './repository';

// The time zone, journal settings and work types are read by every save; a few seconds'
// cache per database keeps them off the hot path. A change made on this PC applies at once
// (the settings handlers call forgetEnvironment); one made on another PC within 5 s of the
// core's clock.
const ENVIRONMENT_CACHE_MS = 5_000;
const environments = new WeakMap<Store, { env: Environment; readAtMs: number }>();

/** `db` must be the transaction when inside one: SQLite has one connection, held by it. */
export async function environmentOf(services: CoreServices, db: Db): Promise<Environment> {
  const nowMs = services.now().getTime();
  const cached = environments.get(services.store);
  if (cached && nowMs - cached.readAtMs < ENVIRONMENT_CACHE_MS && nowMs >= cached.readAtMs) return cached.env;
  const env = await journalEnvironment(db);
  environments.set(services.store, { env, readAtMs: nowMs });
  return env;
}

/** After a settings or work-type change: the next save reads them afresh. */
export function forgetEnvironment(store: Store): void {
  environments.delete(store);
}

/** The school's wall clock: now as a local date-time, and today's date, in the school's time zone. */
export function schoolClock(now: Date, env: Environment): { nowLocal: string; today: string } {
  const nowLocal = localDateTime(now, env.timeZone);
  return { nowLocal, today: nowLocal.slice(0, 10) };
}
