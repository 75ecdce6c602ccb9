import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// Electron cannot be downloaded on the build machines, so the bundled main process is
// started under Node with a stand-in for `electron` (shell-harness/): what it wires —
// window security, the one IPC channel, the core on SQLite in userData — is real.
const root = fileURLToPath(new URL('../..', import.meta.url));
const harness = fileURLToPath(new URL('./shell-harness/run-main.mjs', import.meta.url));

function startMain(): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [harness], { env: { ...process.env, ZHURNAL_APP_ROOT: root }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`main exited ${code}: ${stderr}`));
      else resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
}

describe('the Electron shell bundle', () => {
  let seen: Record<string, unknown>;
  beforeAll(async () => {
    const build = spawnSync(process.execPath, ['scripts/build-shell.mjs'], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    seen = await startMain();
  });

  it('opens a sandboxed, isolated window on the built renderer with a Russian menu', () => {
    expect(seen.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(String((seen.webPreferences as { preload: string }).preload)).toMatch(/dist\/shell\/preload\.cjs$/);
    expect(String(seen.loaded)).toMatch(/dist-renderer\/index\.html$/);
    expect(seen.menu).toEqual(['Файл', 'Правка', 'Вид', 'Справка']);
    // Date fields as ДД.ММ.ГГГГ whatever the PC's locale.
    expect(seen.switches).toContainEqual(['lang', 'ru']);
    expect(seen.openHandler).toEqual({ action: 'deny' });
    expect(seen.permissionGranted).toBe(false);
  });

  it('serves the core on SQLite in the user data folder, only to its own renderer', () => {
    expect(seen.status).toEqual({ ok: true, value: { initialized: false, schoolName: null, timeZone: null } });
    expect(seen.userData).toEqual(expect.arrayContaining(['zhurnal.sqlite', 'pc-settings.json']));
    expect(seen.foreign).toMatchObject({ ok: false, error: { kind: 'forbidden', message: 'Запрос не из окна «Журнала».' } });
    expect(seen.unknown).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(seen.badInput).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });
});
