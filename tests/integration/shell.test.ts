import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/engines';

// Electron cannot be downloaded on the build machines, so the bundled main process is
// started under Node with a stand-in for `electron` (shell-harness/): what it wires —
// window security, the one IPC channel, the core on SQLite in userData — is real.
const root = fileURLToPath(new URL('../..', import.meta.url));
const harness = fileURLToPath(new URL('./shell-harness/run-main.mjs', import.meta.url));

function startMain(): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [harness], { env: { ...process.env, ZHURNAL_APP_ROOT: root, ZHURNAL_TEST_POSTGRES_URL: postgres.url }, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** An empty database the shell's station is switched to (its password must end up encrypted). */
let postgres: { url: string; drop(): Promise<void> };

describe('the Electron shell bundle', () => {
  let seen: Record<string, unknown>;
  afterAll(async () => postgres?.drop());
  beforeAll(async () => {
    postgres = await freshDatabase('postgres');
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
    // Offline schools: spell-check dictionaries come from the package, never from the internet.
    expect(String(seen.dictionaryUrl)).toMatch(/^file:\/\/.*\/dictionaries\/$/);
  });

  it('serves the core on SQLite in the user data folder, only to its own renderer', () => {
    expect(seen.status).toEqual({ ok: true, value: { initialized: false, schoolName: null, timeZone: null, demo: null } });
    expect(seen.userData).toEqual(expect.arrayContaining(['zhurnal.sqlite', 'pc-settings.json']));
    // An ASCII folder for files (~/.config/Zhurnal, %APPDATA%\Zhurnal), the Russian name for people.
    expect(String(seen.userDataPath)).toMatch(/\/Zhurnal$/);
    expect(seen.appName).toBe('Журнал');
    expect(seen.foreign).toMatchObject({ ok: false, error: { kind: 'forbidden', message: 'Запрос не из окна «Журнала».' } });
    expect(seen.unknown).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(seen.badInput).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  it('offers a native folder picker, only to its own page', () => {
    expect(seen.folderOwn).toEqual({ ok: true, value: expect.stringMatching(/Журналы$/) });
    expect(seen.folderDialog).toEqual({ title: 'Папка для журналов всей школы', properties: ['openDirectory', 'createDirectory'] });
    expect(seen.folderForeign).toMatchObject({ ok: false, error: { kind: 'forbidden', message: 'Запрос не из окна «Журнала».' } });
  });

  it('prints a journal PDF in a viewer window of its own, and refuses anything else', () => {
    expect(seen.printForeign).toMatchObject({ ok: false, error: { kind: 'forbidden', message: 'Запрос не из окна «Журнала».' } });
    expect(seen.printNotPdf).toMatchObject({ ok: false, error: { kind: 'validation', message: 'Для печати передан не PDF-документ.' } });
    expect(seen.printPath).toMatchObject({ ok: false, error: { kind: 'validation' } });
    expect(seen.printTooBig).toMatchObject({ ok: false, error: { kind: 'validation', message: expect.stringContaining('слишком большой') } });
    expect(seen.printOwn).toEqual({ ok: true, value: null });
    // The viewer window: the PDF plugin on, otherwise as locked down as the app's window, no preload, no menu.
    expect(seen.printWindow).toMatchObject({
      webPreferences: { plugins: true, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
      title: expect.stringContaining('Классный журнал 5А класса'),
      menu: null,
    });
    expect((seen.printWindow as { webPreferences: Record<string, unknown> }).webPreferences).not.toHaveProperty('preload');
    // The very bytes, under a name made from the title ('/' is not allowed in a file name), removed with the window.
    expect(String(seen.printedFile)).toMatch(/zhurnal-print-[^/]+\/Классный журнал 5А класса, I четверть 2025-2026 учебного года\.pdf$/);
    expect(seen.printedBytesSame).toBe(true);
    expect(seen.printedFileRemoved).toBe(true);
  });

  it('the menu «Печать…» asks the page to print its document, never the app window', () => {
    expect(seen.menuSent).toEqual([['zhurnal:menu-print']]);
    expect(seen.printedUi).toBe(false);
  });

  it('keeps where the data lives per PC: first run on SQLite, a switch to PostgreSQL, the password encrypted by the OS', () => {
    const station = seen.station as Record<string, unknown>;
    expect(station.location).toMatchObject({ ok: true, value: { kind: 'sqlite', openToAnyone: true, status: { state: 'open', schoolName: null } } });
    expect(station.switched).toMatchObject({ ok: true, value: { kind: 'postgres', status: { state: 'open' } } });
    expect(station.statusAfter).toEqual({ ok: true, value: { initialized: false, schoolName: null, timeZone: null, demo: null } });
    expect(station.passwordInSettings).toBe(false);
    expect(station.passwordInSecrets).toBe(false);
    // One secret, named by the connection without its password.
    const { secrets } = JSON.parse(String(station.secretsText)) as { secrets: Record<string, string> };
    expect(Object.keys(secrets)).toEqual([expect.stringMatching(/^postgres:postgres:\/\/postgres@127\.0\.0\.1:\d+\/zt_/)]);
  });
});

/** The bundled main process started as `zhurnal <args>`: what it printed and how it ended. */
function runAsCommand(args: string[]): Promise<{ stdout: string; ended: { exitCode: number; windows: number; singleInstance: boolean } }> {
  const runner = fileURLToPath(new URL('./shell-harness/run-cli.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner], { env: { ...process.env, ZHURNAL_APP_ROOT: root, ZHURNAL_CLI_ARGS: JSON.stringify(args) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`main exited ${code}: ${stderr}`));
      resolve({ stdout, ended: JSON.parse(stderr.trim().split('\n').pop() ?? '') });
    });
  });
}

/** Bytes of an ES module and every module it imports statically (relative paths only). */
function staticImportBytes(file: string, seen = new Set<string>()): number {
  if (seen.has(file)) return 0;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  let bytes = Buffer.byteLength(text);
  for (const [, path] of text.matchAll(/^(?:import|export)\b[^;]*?["'](\.{1,2}\/[^"']+)["'];/gm)) bytes += staticImportBytes(join(dirname(file), path!), seen);
  return bytes;
}

describe('the installed app as the `zhurnal` command', () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, ['scripts/build-shell.mjs'], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
  });

  it('answers `zhurnal --help` and exits 0 without opening a window', async () => {
    const { stdout, ended } = await runAsCommand(['--help']);
    expect(stdout).toContain('zhurnal — командная строка электронного классного журнала «Журнал»');
    expect(stdout).toMatch(/\n {2}host +Запустить сервер базы данных школы/);
    expect(ended).toEqual({ exitCode: 0, windows: 0, singleInstance: false });
  });

  it('the checkout\'s `zhurnal` runs the bundle, split so that help loads no database code', async () => {
    const bin = join(root, 'bin', 'zhurnal.mjs');
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-cli-bundle-'));
    const database = join(dir, 'school.sqlite');
    const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ZHURNAL_PASSWORD: 'Пароль-администратора-1' } });
    try {
      // What the help path reads: the entry and the chunks it imports statically, a small
      // part of the whole (the drivers, PDF and spreadsheet code come with the commands).
      expect(staticImportBytes(join(root, 'dist', 'cli', 'main.js'))).toBeLessThan(300_000);
      expect(statSync(join(root, 'dist', 'cli', 'chunks')).isDirectory()).toBe(true);
      const help = run(['--help']);
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toContain('audit verify');
      // The commands' chunks load when the commands run.
      expect(run(['migrate', '--db', database]).status).toBe(0);
      const admin = run(['create-admin', '--db', database, '--login', 'admin', '--school', 'МБОУ СОШ № 7', '--tz', 'Europe/Moscow']);
      expect(admin.status, admin.stderr).toBe(0);
      const verify = run(['audit', 'verify', '--db', database]);
      expect(verify.status, verify.stderr).toBe(0);
      expect(verify.stdout).toContain('Цепочка журнала изменений цела');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('wrong arguments of `zhurnal host` exit 2, no window', async () => {
    const { ended } = await runAsCommand(['host', '--listen', '192.168.1.10']);
    expect(ended).toEqual({ exitCode: 2, windows: 0, singleInstance: false });
  });
});
