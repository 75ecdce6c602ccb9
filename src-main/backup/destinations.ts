import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BackupSettings } from '../../src-shared/contract/backup';

/** Where a backup goes: the flash drive by its label (D-37), or a folder (D-39). */
export type Destination =
  | { kind: 'drive'; label: string }
  /** `create`: a folder named for this run (CLI --to) is made if missing. */
  | { kind: 'folder'; path: string; create?: boolean };

/** Backups on the drive sit in a folder of their own, so the drive can carry other files. */
export const DRIVE_SUBFOLDER = 'zhurnal-backup';

export const destinationKey = (d: Destination) => (d.kind === 'drive' ? `drive:${d.label}` : `folder:${d.path}`);
export const destinationTitle = (d: Destination) => (d.kind === 'drive' ? `Флешка «${d.label}»` : `Папка ${d.path}`);

export function configuredDestinations(settings: BackupSettings): Destination[] {
  const list: Destination[] = [];
  if (settings.driveLabel) list.push({ kind: 'drive', label: settings.driveLabel });
  if (settings.secondFolder) list.push({ kind: 'folder', path: settings.secondFolder });
  return list;
}

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** Mount points where a removable drive can appear on Linux and macOS. */
export function defaultMountRoots(platform: NodeJS.Platform = process.platform): string[] {
  if (platform === 'darwin') return ['/Volumes'];
  if (platform === 'linux') return ['/media', '/run/media'];
  return [];
}

/**
 * Finds a mounted volume by its label under the given roots: ROOT/LABEL (macOS /Volumes,
 * Debian /media/LABEL) and ROOT/USER/LABEL (udisks: /media/USER, /run/media/USER).
 * Tests pass temporary folders as roots.
 */
export function findDriveInRoots(label: string, roots: readonly string[]): string | null {
  for (const root of roots) {
    const direct = join(root, label);
    if (isDirectory(direct)) return direct;
    let users: string[];
    try {
      users = readdirSync(root);
    } catch {
      continue;
    }
    for (const user of users) {
      const nested = join(root, user, label);
      if (isDirectory(nested)) return nested;
    }
  }
  return null;
}

const run = promisify(execFile);

/** cp866 (the OEM code page of a Russian Windows console), bytes 0x80–0xFF. */
const CP866_HIGH =
  'АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмноп' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'рстуфхцчшщъыьэюяЁёЄєЇїЎў°∙·√№¤■\u00a0';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * PowerShell's output as text. It is asked for UTF-8, but a console host may still answer in
 * the OEM code page (cp866 on a Russian Windows): bytes that are not valid UTF-8 are read as cp866.
 */
export function decodeConsoleOutput(bytes: Uint8Array): string {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    text = Array.from(bytes, (byte) => (byte < 0x80 ? String.fromCharCode(byte) : CP866_HIGH[byte - 0x80]!)).join('');
  }
  return text.replace(/^\uFEFF/, '');
}

/** «E<tab>ЖУРНАЛ» lines → the drive whose label matches (any case), as «E:\». */
export function windowsDriveIn(output: Uint8Array, label: string): string | null {
  const wanted = label.trim().toLowerCase();
  for (const line of decodeConsoleOutput(output).split(/\r?\n/)) {
    const [letter, name] = line.split('\t');
    if (letter?.trim() && name && name.trim().toLowerCase() === wanted) return `${letter.trim()}:\\`;
  }
  return null;
}

/** Windows: the drive letter whose volume label matches, via PowerShell (wmic is gone in 11). */
async function findWindowsDrive(label: string): Promise<string | null> {
  try {
    const { stdout } = await run(
      'powershell.exe',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        // UTF-8 output, so a Russian label («ЖУРНАЛ») arrives as it is written.
        '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; Get-Volume | Where-Object DriveLetter | ForEach-Object { "$($_.DriveLetter)`t$($_.FileSystemLabel)" }',
      ],
      { timeout: 15_000, windowsHide: true, encoding: 'buffer' },
    );
    return windowsDriveIn(stdout, label);
  } catch {
    // No PowerShell or no permission: treat the drive as absent; the status says so.
  }
  return null;
}

export interface DriveFinder {
  (label: string): Promise<string | null>;
}

export function driveFinder(roots?: readonly string[]): DriveFinder {
  return async (label) => {
    if (roots) return findDriveInRoots(label, roots);
    if (process.platform === 'win32') return findWindowsDrive(label);
    return findDriveInRoots(label, defaultMountRoots());
  };
}

/** The folder a destination writes into now, or null when it is absent (drive not inserted). */
export async function resolveDestination(destination: Destination, findDrive: DriveFinder): Promise<string | null> {
  if (destination.kind === 'drive') {
    const mount = await findDrive(destination.label);
    return mount ? join(mount, DRIVE_SUBFOLDER) : null;
  }
  // A configured second folder must exist (a network share that is down must not be
  // re-created on the local disk); a folder named for this run is made by the writer.
  if (destination.create) return destination.path;
  return existsSync(destination.path) && isDirectory(destination.path) ? destination.path : null;
}
