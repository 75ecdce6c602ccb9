import type { AppErrorPayload, ErrorKind } from '../../src-shared/contract/envelope';

/** An error a handler throws on purpose: its message is Russian and shown to the user. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  toPayload(): AppErrorPayload {
    return this.details === undefined
      ? { kind: this.kind, message: this.message }
      : { kind: this.kind, message: this.message, details: this.details };
  }
}

export const notFound = (message: string) => new AppError('not_found', message);
export const forbidden = (message = 'Недостаточно прав для этого действия.') =>
  new AppError('forbidden', message);
export const conflict = (message: string, details?: unknown) => new AppError('conflict', message, details);
export const invalid = (message: string, details?: unknown) => new AppError('validation', message, details);
export const locked = (message: string, details?: unknown) => new AppError('locked', message, details);
