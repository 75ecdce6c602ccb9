import type { PostgresTarget, TlsMode } from '../../src-shared/contract/pc';

/**
 * A PostgreSQL connection as the administrator typed it, to and from the postgres:// URL
 * the core opens. The URL kept in the PC settings never carries the password; the password
 * is kept in the SecretStore under `secretKeyOf(url)`.
 */

const sslModes: Record<TlsMode, string | null> = {
  off: null,
  // Encrypted, the server's certificate not checked: a school server's is self-signed.
  require: 'no-verify',
  verify: 'verify-full',
};

export function postgresUrlOf(target: PostgresTarget, password?: string): string {
  const user = encodeURIComponent(target.user);
  const secret = password === undefined ? '' : `:${encodeURIComponent(password)}`;
  const mode = sslModes[target.tls];
  return `postgres://${user}${secret}@${target.host}:${target.port}/${encodeURIComponent(target.database)}${mode ? `?sslmode=${mode}` : ''}`;
}

export function targetOfUrl(url: string): PostgresTarget {
  const parsed = new URL(url);
  const mode = parsed.searchParams.get('sslmode');
  const tls: TlsMode = mode === 'verify-full' || mode === 'verify-ca' ? 'verify' : mode && mode !== 'disable' ? 'require' : 'off';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 5432,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, '')),
    user: decodeURIComponent(parsed.username),
    tls,
  };
}

/** Splits a URL into the part that may be stored in settings and its password (or null). */
export function splitPassword(url: string): { url: string; password: string | null } {
  const parsed = new URL(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : null;
  parsed.password = '';
  return { url: parsed.toString(), password };
}

export function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

export const secretKeyOf = (urlWithoutPassword: string) => `postgres:${urlWithoutPassword}`;

/** «сервер:порт/база, пользователь …» — for people, never with the password. */
export function describeTarget(target: PostgresTarget): string {
  return `${target.host}:${target.port}/${target.database}, пользователь ${target.user}${target.tls === 'off' ? '' : ', с шифрованием'}`;
}

/** 192.168.1.10/24 → 192.168.1.0/24: the school's network, as pg_hba.conf wants it. */
export function networkOf(cidr: string | null): string | null {
  if (!cidr) return null;
  const [address, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const parts = (address ?? '').split('.').map(Number);
  if (parts.length !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return null;
  const value = parts.reduce((n, part) => n * 256 + part, 0);
  const mask = bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits);
  const network = Number((BigInt(value) & BigInt(mask)).toString());
  return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.')}/${bits}`;
}
