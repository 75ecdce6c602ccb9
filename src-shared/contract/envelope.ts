// Every call's result crosses a transport (Electron IPC or the loopback bridge) as this envelope.
export const errorKinds = [
  'validation',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'locked',
  'unavailable',
  'internal',
] as const;
export type ErrorKind = (typeof errorKinds)[number];

export interface AppErrorPayload {
  kind: ErrorKind;
  /** Russian, fit to show a teacher. */
  message: string;
  details?: unknown;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: AppErrorPayload };

/** What a transport carries from the renderer to the core. */
export interface CallRequest {
  method: string;
  input: unknown;
  /** Opaque session token from `auth.login`; absent before login. */
  session?: string | null;
}
