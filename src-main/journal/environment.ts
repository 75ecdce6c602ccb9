import type { Db, Store } from '../store/database';
import { journalEnvironment, type Environment } from './repository';

// The time zone, journal settings and work types are read by every save; a few seconds'
// cache per database keeps them off the hot path. A change made on this PC applies at once
// (the settings handlers call forgetEnvironment); one made on another PC within 5 s.
const ENVIRONMENT_CACHE_MS = 5_000;
const environments = new WeakMap<Store, { env: Environment; readAtMs: number }>();

/** `db` must be the transaction when inside one: SQLite has one connection, held by it. */
export async function environmentOf(store: Store, db: Db): Promise<Environment> {
  const cached = environments.get(store);
  if (cached && Date.now() - cached.readAtMs < ENVIRONMENT_CACHE_MS) return cached.env;
  const env = await journalEnvironment(db);
  environments.set(store, { env, readAtMs: Date.now() });
  return env;
}

/** After a settings or work-type change: the next save reads them afresh. */
export function forgetEnvironment(store: Store): void {
  environments.delete(store);
}
