import type { z } from 'zod';
import { contract, isMethodName, type MethodName } from '../../src-shared/contract/index';
import type { CallRequest, Envelope } from '../../src-shared/contract/envelope';
import { hasPermission, type Role } from '../../src-shared/roles';
import { isSqliteBusy } from '../store/database';
import { AppError } from './errors';
import { createHandlerContext, type Caller, type CoreServices } from './context';
import type { Handler, HandlerMap } from './handlers';
import type { SessionStore } from './sessions';

export interface RouterDeps extends CoreServices {
  sessions: SessionStore;
  handlers: HandlerMap<MethodName>;
  /** Minutes of inactivity after which a session ends (school setting). */
  inactivityMinutes(): Promise<number>;
  /** Re-reads the account behind a session; null when it is gone, blocked or inactive. */
  loadCaller(userId: number, token: string): Promise<Caller | null>;
  /** Where unexpected errors go (the shell writes them to its log file). */
  logError?(error: unknown, method: string): void;
  /**
   * Check every result against the contract's output schema. On in development and tests,
   * where it catches a handler drifting from the contract; the packaged app turns it off —
   * a journal page is thousands of objects, and checking them costs more than reading them.
   */
  checkOutputs: boolean;
}

export type Call = (request: CallRequest) => Promise<Envelope<unknown>>;

/** A refused input as the caller sees it: the first problem in words, every problem by field. */
export function validationFailure(error: z.ZodError): AppError {
  const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const first = error.issues[0];
  // The field's internal name stays in `details` (the form puts the message beside its field);
  // the words a person reads never show it.
  const message = first ? first.message : 'Неверные данные.';
  return new AppError('validation', message, details);
}

/** Errors of the engines that mean "the database cannot be reached", not "a bug". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ENOTFOUND',
  '57P01', '57P02', '57P03', // admin/crash shutdown, cannot connect now
  '08000', '08001', '08003', '08006', // connection exceptions
  'SQLITE_CANTOPEN',
]);
function isUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  // node-postgres reports a dropped connection without a code.
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message ?? '');
}

/**
 * contract → session → permission → input → handler → output (docs/architecture.md).
 * Never throws: every outcome is an envelope.
 */
export function createRouter(deps: RouterDeps): Call {
  return async function call(request) {
    const { method } = request;
    try {
      if (!isMethodName(method)) throw new AppError('not_found', `Неизвестное действие: ${String(method).slice(0, 80)}`);
      const definition = contract[method];

      let caller: Caller | null = null;
      if (definition.permission !== 'public') {
        const token = request.session;
        if (!token) throw new AppError('unauthenticated', 'Войдите в систему.');
        const nowMs = deps.now().getTime();
        const touched = deps.sessions.touch(token, nowMs, (await deps.inactivityMinutes()) * 60_000);
        if (touched === 'expired') throw new AppError('unauthenticated', 'Сеанс завершён из-за бездействия. Войдите снова.');
        if (touched === 'unknown') throw new AppError('unauthenticated', 'Сеанс завершён. Войдите снова.');
        caller = await deps.loadCaller(touched.userId, token);
        if (!caller) {
          deps.sessions.close(token);
          throw new AppError('unauthenticated', 'Учётная запись заблокирована или отключена. Обратитесь к администратору.');
        }
        if (caller.mustChangePassword && definition.permission !== 'signedIn') {
          throw new AppError('forbidden', 'Сначала смените временный пароль.');
        }
        if (!hasPermission(caller.roles as Role[], definition.permission)) {
          throw new AppError('forbidden', 'Недостаточно прав для этого действия.');
        }
      }

      const parsed = definition.input.safeParse(request.input ?? {});
      if (!parsed.success) {
        throw validationFailure(parsed.error);
      }
      const handler = deps.handlers[method] as Handler<MethodName>;
      const ctx = createHandlerContext(deps, caller);
      const value = await handler(parsed.data as never, ctx);
      if (!deps.checkOutputs) return { ok: true, value };
      const checked = definition.output.safeParse(value);
      if (!checked.success) {
        deps.logError?.(checked.error, method);
        throw new AppError('internal', 'Внутренняя ошибка: ответ не соответствует контракту.');
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toPayload() };
      if (isSqliteBusy(error)) {
        return { ok: false, error: { kind: 'unavailable', message: 'База данных занята другой программой (например, резервным копированием). Повторите через минуту; введённое не потеряно.' } };
      }
      if (isUnavailable(error)) {
        return { ok: false, error: { kind: 'unavailable', message: 'База данных недоступна. Повторите через минуту; введённое не потеряно.' } };
      }
      deps.logError?.(error, method);
      return { ok: false, error: { kind: 'internal', message: 'Внутренняя ошибка. Сообщите администратору.' } };
    }
  };
}
