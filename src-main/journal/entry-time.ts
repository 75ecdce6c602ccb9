import type { MethodName } from '../../src-shared/contract/index';
import { russianDayMonthTime } from '../../src-shared/rules/dates';
import type { HandlerContext, UnstampedAuditEntry } from '../core/context';
import type { Db } from '../store/database';
import { invalid } from '../core/errors';
import type { Handler, HandlerMap } from '../core/handlers';
import { environmentOf } from './environment';

// The moment an edit was typed (D-41: teaching goes on while the server is unreachable).
// The outbox sends each journal edit with `enteredAt`, this PC's time when the teacher typed
// it. A save is then judged as if it arrived at that moment — the edit window (D-25), a
// lesson's date not ahead of today, lateness of marks and topics — and the rows keep it as
// their created/updated time. The audit record keeps the moment the server received it
// (`at`), and the entry time beside it (`after.enteredAt`, and a note in the reason when it
// waited a minute or more), so a late arrival is visible in the history.
//
// Bounds, so the field cannot be used to reopen a closed window:
// - not ahead of the server's clock by more than CLOCK_SKEW_MS (a PC's clock a little fast
//   is tolerated and the server's time is taken instead);
// - not older than MAX_ENTRY_AGE_MS. The server cannot know when this PC lost its connection,
//   so the bound is an age: 72 hours cover an outage from Friday's lessons to Monday
//   morning; at most they stretch a teacher's 14-day window (D-25) by three days, with both
//   times on record.

export const CLOCK_SKEW_MS = 2 * 60_000;
export const MAX_ENTRY_AGE_MS = 72 * 3_600_000;
/** A save that waited at least this long gets a note in its audit record's reason. */
const NOTE_AFTER_MS = 60_000;


/** The context a save typed at `enteredAt` runs in; refuses an entry time out of bounds. */
/** `db` is the caller's transaction when there is one: SQLite has a single connection. */
export async function atEntry(ctx: HandlerContext, enteredAt: string, db: Db = ctx.store.db): Promise<HandlerContext> {
  const received = ctx.now();
  const entered = new Date(enteredAt);
  const waited = received.getTime() - entered.getTime();
  if (waited >= 0 && waited < NOTE_AFTER_MS) return { ...ctx, now: () => entered };
  const { timeZone } = await environmentOf(ctx, db);
  if (-waited > CLOCK_SKEW_MS) {
    const message = `Время ввода изменения (${russianDayMonthTime(entered, timeZone)}) позже, чем сейчас на сервере (${russianDayMonthTime(received, timeZone)}): проверьте часы на этом компьютере. Изменение не сохранено.`;
    throw invalid(message, [{ path: 'enteredAt', message }]);
  }
  if (waited > MAX_ENTRY_AGE_MS) {
    const message = `Изменение введено ${russianDayMonthTime(entered, timeZone)} — больше 72 часов назад, отправить его уже нельзя. Введите его заново.`;
    throw invalid(message, [{ path: 'enteredAt', message }]);
  }
  if (waited < 0) return ctx;
  const note = `Введено ${russianDayMonthTime(entered, timeZone)}, без связи с сервером; получено ${russianDayMonthTime(received, timeZone)}`;
  const enteredIso = entered.toISOString();
  const withEntry = (entry: UnstampedAuditEntry): UnstampedAuditEntry => {
    const after = typeof entry.after === 'object' && entry.after !== null ? { ...entry.after, enteredAt: enteredIso } : entry.after;
    return { ...entry, after, reason: entry.reason ?? note };
  };
  return {
    ...ctx,
    now: () => entered,
    audit: (tx, entry) => ctx.audit(tx, withEntry(entry)),
    auditMany: (tx, entries) => ctx.auditMany(tx, entries.map(withEntry)),
  };
}

/** Every handler of the map that is given `enteredAt` runs at its entry time. */
export function withEntryTime<M extends MethodName>(handlers: HandlerMap<M>): HandlerMap<M> {
  const wrapped: Partial<Record<M, Handler<M>>> = {};
  for (const method of Object.keys(handlers) as M[]) {
    const handler = handlers[method] as unknown as Handler<M>;
    wrapped[method] = async (input, ctx) => {
      const enteredAt = (input as { enteredAt?: unknown }).enteredAt;
      return handler(input, typeof enteredAt === 'string' ? await atEntry(ctx, enteredAt) : ctx);
    };
  }
  return wrapped as unknown as HandlerMap<M>;
}
