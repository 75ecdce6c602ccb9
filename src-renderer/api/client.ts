import type { ErrorKind } from '../../src-shared/contract/envelope';
import type { MethodInput, MethodName, MethodOutput } from '../../src-shared/contract/index';
import { createTransport, usesBridge, type Transport } from './transport';

/** A refused call, as the core worded it (Russian, fit to show). */
export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Field messages from a `validation` error: `{ path, message }` pairs. */
  get fieldIssues(): { path: string; message: string }[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (issue): issue is { path: string; message: string } =>
        typeof issue === 'object' && issue !== null && typeof issue.path === 'string' && typeof issue.message === 'string',
    );
  }
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('internal', 'Непредвиденная ошибка интерфейса. Обновите страницу.', String(error));
}

const SESSION_KEY = 'zhurnal.session';

type SessionEndedListener = (message: string) => void;

/**
 * The one door from the renderer to the core. Typed from the contract: a method's name
 * fixes its input and its result. Keeps the session token; when the core says the session
 * is over, everyone listening is told (the app returns to the login screen).
 */
class ApiClient {
  // The browser build keeps the session for this tab so a reload stays signed in;
  // in Electron it lives in memory only.
  private session: string | null = usesBridge ? sessionStorage.getItem(SESSION_KEY) : null;
  private readonly listeners = new Set<SessionEndedListener>();

  constructor(private readonly transport: Transport) {}

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const sentSession = this.session;
    const envelope = await this.transport(method, input, sentSession);
    if (envelope.ok) return envelope.value as MethodOutput<M>;
    const { kind, message, details } = envelope.error;
    // A wrong password at login is also `unauthenticated`; only a session that was sent can end.
    if (kind === 'unauthenticated' && sentSession !== null && sentSession === this.session) {
      this.setSession(null);
      for (const listener of this.listeners) listener(message);
    }
    throw new ApiError(kind, message, details);
  }

  get signedIn(): boolean {
    return this.session !== null;
  }

  setSession(token: string | null): void {
    this.session = token;
    if (!usesBridge) return;
    if (token) sessionStorage.setItem(SESSION_KEY, token);
    else sessionStorage.removeItem(SESSION_KEY);
  }

  onSessionEnded(listener: SessionEndedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const api = new ApiClient(createTransport());

declare global {
  interface Window {
    /** Browser build only: lets end-to-end tests call the core through this very client. */
    zhurnalTestClient?: { call(method: string, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; kind: ErrorKind; message: string }> };
  }
}

if (usesBridge) {
  window.zhurnalTestClient = {
    async call(method, input) {
      try {
        return { ok: true, value: await api.call(method as MethodName, input as never) };
      } catch (error) {
        const failure = asApiError(error);
        return { ok: false, kind: failure.kind, message: failure.message };
      }
    },
  };
}
