import { AppError } from '../core/errors';

/**
 * This PC's secrets — today the password of the PostgreSQL connection. The per-PC settings keep the connection without its password; the password
 * lives here, under a key naming the connection. The app encrypts with Electron's
 * safeStorage (src-main/shell/secret-store-electron.ts), the CLI and the bridge keep a file
 * only this user can read (secret-store-file.ts), tests use memory.
 *
 * `get` throws an AppError with a Russian message when a stored secret cannot be read
 * (a damaged file, a key the operating system no longer decrypts).
 */
export interface SecretStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** Why the stored secrets are weaker than they look, for the administrator; null when they are not. */
  warning?(): string | null;
}

export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  get(key: string): string | null {
    return this.values.get(key) ?? null;
  }

  set(key: string, value: string): void {
    this.values.set(key, value);
  }

  delete(key: string): void {
    this.values.delete(key);
  }
}

/** The one Russian sentence for a secret that is stored but cannot be read back. */
export function unreadableSecret(where: string, why: string): AppError {
  return new AppError(
    'unavailable',
    `Сохранённый пароль подключения к базе данных не читается (${why}; ${where}). ` +
      'Введите пароль заново: «Где хранить данные» → «Подключиться к серверу PostgreSQL».',
  );
}

/** The file of secrets, as stored: values are plain (file store) or encrypted and base64 (safeStorage). */
export interface SecretFile {
  version: 1;
  secrets: Record<string, string>;
}

export function parseSecretFile(text: string): SecretFile | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const { version, secrets } = parsed as Record<string, unknown>;
  if (version !== 1 || !secrets || typeof secrets !== 'object' || Array.isArray(secrets)) return null;
  if (!Object.values(secrets).every((value) => typeof value === 'string')) return null;
  return { version: 1, secrets: secrets as Record<string, string> };
}
