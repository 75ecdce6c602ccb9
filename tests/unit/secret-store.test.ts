import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore } from '../../src-main/settings/secret-store-file';
import { MemorySecretStore, type SecretStore } from '../../src-main/settings/secret-store';
import { networkOf, postgresUrlOf, splitPassword, targetOfUrl, withPassword } from '../../src-main/station/connection';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zhurnal-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const KEY = 'postgres:postgres://zhurnal_app@192.168.1.10:5432/zhurnal';
const PASSWORD = 'Пароль с пробелом & @:/?';

describe.each<[string, () => SecretStore]>([
  ['memory', () => new MemorySecretStore()],
  ['a file', () => new FileSecretStore(join(dir, 'settings', 'secrets.json'))],
])('secrets in %s', (_name, make) => {
  it('keeps, returns and forgets a password by its key', () => {
    const secrets = make();
    expect(secrets.get(KEY)).toBeNull();
    secrets.set(KEY, PASSWORD);
    secrets.set('другой', 'x');
    expect(secrets.get(KEY)).toBe(PASSWORD);
    secrets.delete(KEY);
    expect(secrets.get(KEY)).toBeNull();
    expect(secrets.get('другой')).toBe('x');
  });
});

describe.skipIf(process.platform === 'win32')('the secrets file of the CLI and the bridge', () => {
  it('is readable by this user only (mode 0600), also after someone widened it', () => {
    const file = join(dir, 'secrets.json');
    const secrets = new FileSecretStore(file);
    secrets.set(KEY, PASSWORD);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o644);
    expect(new FileSecretStore(file).get(KEY)).toBe(PASSWORD);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a damaged file gives a clear Russian message, and entering the password again mends it', () => {
    const file = join(dir, 'secrets.json');
    writeFileSync(file, '{"version":1,"secrets":{"k": 12', { mode: 0o600 });
    const secrets = new FileSecretStore(file);
    expect(() => secrets.get(KEY)).toThrow(/Сохранённый пароль подключения к базе данных не читается \(файл паролей повреждён.*Введите пароль заново/);
    secrets.delete(KEY);
    secrets.set(KEY, PASSWORD);
    expect(new FileSecretStore(file).get(KEY)).toBe(PASSWORD);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ version: 1, secrets: { [KEY]: PASSWORD } });
  });
});

describe('a PostgreSQL connection as typed and as stored', () => {
  it('is stored without the password and gets it back for the core', () => {
    const target = { host: '192.168.1.10', port: 5433, database: 'школа', user: 'zhurnal_app', tls: 'require' as const };
    const stored = postgresUrlOf(target);
    expect(stored).toBe('postgres://zhurnal_app@192.168.1.10:5433/%D1%88%D0%BA%D0%BE%D0%BB%D0%B0?sslmode=no-verify');
    expect(targetOfUrl(stored)).toEqual(target);
    const full = withPassword(stored, PASSWORD);
    expect(splitPassword(full)).toEqual({ url: stored, password: PASSWORD });
    expect(postgresUrlOf(target, PASSWORD)).toBe(full);
  });

  it('the school network offered for a network card', () => {
    expect(networkOf('192.168.1.37/24')).toBe('192.168.1.0/24');
    expect(networkOf('10.20.30.40/16')).toBe('10.20.0.0/16');
    expect(networkOf('172.16.5.9/32')).toBe('172.16.5.9/32');
    expect(networkOf(null)).toBeNull();
  });
});
