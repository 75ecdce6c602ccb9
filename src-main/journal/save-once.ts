import type { HandlerContext } from '../core/context';
import { conflict, invalid } from '../core/errors';
import type { Tx } from '../store/database';
import { findIdempotent, isUniqueViolation, rememberIdempotent } from './repository';

/** How long a save's answer is kept under its idempotency key: a client retries within days at most. */
export const IDEMPOTENCY_KEEP_MS = 7 * 86_400_000;
/** When stale keys were last swept, per database: a sweep an hour is plenty. */
const idempotencySweeps = new WeakMap<object, number>();
const IDEMPOTENCY_SWEEP_MS = 3_600_000;

/** The moment before which remembered answers may be forgotten. */
export const forgetAnswersBefore = (now: Date): string => new Date(now.getTime() - IDEMPOTENCY_KEEP_MS).toISOString();

/**
 * A save in one short transaction. With an idempotency key, a save already applied is not
 * applied again: the first answer is returned (a client retrying after a lost reply).
 * The key is not looked up first — a retry fails inside the transaction (on the key's
 * uniqueness, or earlier on a version the first attempt moved on), is rolled back whole,
 * and only then the stored answer is read. The common case, a first attempt, pays nothing.
 */
export async function saveOnce<T>(ctx: HandlerContext, method: string, key: string | undefined, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (!key) return ctx.transaction(work);
  const userId = ctx.requireCaller().userId;
  try {
    return await ctx.transaction(async (tx) => {
      const result = await work(tx);
      const now = ctx.now();
      const sweep = now.getTime() - (idempotencySweeps.get(ctx.store) ?? -Infinity) > IDEMPOTENCY_SWEEP_MS;
      await rememberIdempotent(tx, { userId, key, method, result, at: now.toISOString(), forgetBefore: sweep ? forgetAnswersBefore(now) : null });
      if (sweep) idempotencySweeps.set(ctx.store, now.getTime());
      return result;
    });
  } catch (error) {
    const prior = await findIdempotent(ctx.store.db, userId, key);
    if (!prior) throw error;
    if (prior.method !== method) throw invalid('Этот ключ повтора уже использован для другого действия.');
    return JSON.parse(prior.result) as T;
  }
}

/** Two saves raced to create the same row: the loser is told, not given an internal error. */
export async function raceAsConflict<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('Эту запись только что сохранил другой пользователь. Обновите страницу и проверьте.');
    throw error;
  }
}
