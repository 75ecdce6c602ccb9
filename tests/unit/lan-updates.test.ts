import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkForUpdate, compareVersions, downloadUpdate, startUpdateServer, type UpdateServer } from '../../src-main/lan/updates';

// The host serves the installers of its version; a staff PC with an older version is offered
// the update at start and downloads it, checked, from the host.
describe('updates over the school network', () => {
  let dir: string;
  let server: UpdateServer;
  const installer = Buffer.from('MZ… установщик «Журнала» 0.2.0 для Windows');
  const debPackage = Buffer.from('!<arch> пакет «Журнала» 0.2.0 для Astra Linux');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zhurnal-updates-'));
    mkdirSync(join(dir, 'updates'));
    writeFileSync(join(dir, 'updates', 'Zhurnal-0.2.0-setup.exe'), installer);
    writeFileSync(join(dir, 'updates', 'zhurnal-0.2.0-amd64.deb'), debPackage);
    // An older installer left in the folder is not offered.
    writeFileSync(join(dir, 'updates', 'Zhurnal-0.1.0-setup.exe'), 'старый');
    writeFileSync(join(dir, 'secret.txt'), 'не для сети');
    server = await startUpdateServer({ folder: join(dir, 'updates'), version: '0.2.0', address: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an older Windows PC is offered the host\'s installer and downloads it intact', async () => {
    const offer = await checkForUpdate({ baseUrl: server.url, currentVersion: '0.1.0', platform: 'win32' });
    expect(offer).toEqual({
      version: '0.2.0',
      currentVersion: '0.1.0',
      file: { url: 'Zhurnal-0.2.0-setup.exe', sha512: createHash('sha512').update(installer).digest('base64'), size: installer.length },
      fileUrl: `${server.url}Zhurnal-0.2.0-setup.exe`,
    });
    mkdirSync(join(dir, 'pc'));
    const saved = await downloadUpdate(offer!, join(dir, 'pc'));
    expect(saved).toBe(join(dir, 'pc', 'Zhurnal-0.2.0-setup.exe'));
    expect(readFileSync(saved).equals(installer)).toBe(true);
  });

  it('a Linux PC is offered its package; a PC of the same or a newer version is offered nothing', async () => {
    expect(await checkForUpdate({ baseUrl: server.url, currentVersion: '0.1.0', platform: 'linux' })).toMatchObject({ version: '0.2.0', file: { url: 'zhurnal-0.2.0-amd64.deb' } });
    expect(await checkForUpdate({ baseUrl: server.url, currentVersion: '0.2.0', platform: 'win32' })).toBeNull();
    expect(await checkForUpdate({ baseUrl: server.url, currentVersion: '0.10.0', platform: 'win32' })).toBeNull();
  });

  it('a host that does not answer is no update, and the server gives out nothing but the installers', async () => {
    expect(await checkForUpdate({ baseUrl: 'http://127.0.0.1:9/', currentVersion: '0.1.0', platform: 'win32', timeoutMs: 2000 })).toBeNull();
    expect((await fetch(`${server.url}..%2Fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}Zhurnal-0.1.0-setup.exe`)).status).toBe(404);
  });

  it('compares versions as numbers, a pre-release before its release', () => {
    expect(compareVersions('0.10.0', '0.9.3')).toBe(1);
    expect(compareVersions('1.2.0-beta.1', '1.2.0')).toBe(-1);
    expect(compareVersions('1.2.0', '1.2.0')).toBe(0);
  });
});
