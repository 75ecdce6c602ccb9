import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { localDateTime } from '../../src-shared/rules/dates';
import type { FileSink } from './file-sink';

const BACKUP_NAME = /^zhurnal-(\d{4}-\d{2}-\d{2}-\d{4})(?:-(\d+))?\.zhb$/;
const PARTIAL_NAME = /^\.zhurnal-.*\.(\d+)\.partial$/;
const CHUNK = 4 * 1024 * 1024;

/** `zhurnal-2026-10-16-1700` in the school's time zone: the admin reads it as local time. */
export function backupBaseName(at: Date, timeZone: string): string {
  return `zhurnal-${localDateTime(at, timeZone).replace('T', '-').replace(':', '')}`;
}

export const isBackupFileName = (name: string) => BACKUP_NAME.test(name);

/**
 * Temp file in the destination folder → write → fsync → rename → fsync the folder → read
 * back and verify. Until the rename, only a `.partial` file exists, which no one takes for
 * a backup; if the read-back fails, the renamed file is removed. Older files are never
 * opened for writing.
 */
export async function writeVerified(
  sink: FileSink,
  dir: string,
  baseName: string,
  bytes: Buffer,
  verify: (written: Buffer) => Promise<void>,
  nowMs: number,
): Promise<{ fileName: string; path: string }> {
  await sink.ensureDirectory(dir);
  const temporary = join(dir, `.${baseName}.${randomBytes(4).toString('hex')}.${nowMs}.partial`);
  let finalPath: string | null = null;
  try {
    const file = await sink.create(temporary);
    try {
      for (let at = 0; at < bytes.length; at += CHUNK) await file.write(bytes.subarray(at, at + CHUNK));
      await file.sync();
    } finally {
      await file.close().catch(() => {});
    }
    let fileName = `${baseName}.zhb`;
    for (let n = 2; await sink.exists(join(dir, fileName)); n++) fileName = `${baseName}-${n}.zhb`;
    await sink.rename(temporary, join(dir, fileName));
    finalPath = join(dir, fileName);
    await sink.syncDirectory(dir);
    await verify(await sink.read(finalPath));
    return { fileName, path: finalPath };
  } catch (error) {
    await sink.remove(temporary).catch(() => {});
    if (finalPath) await sink.remove(finalPath).catch(() => {});
    throw error;
  }
}

/**
 * Keeps the newest `keep` backups in the folder and removes the rest, plus `.partial`
 * leftovers older than a day (a run that died with the power). Called only after a new
 * backup verified, so a failing run never shrinks what is there.
 */
export async function applyRetention(sink: FileSink, dir: string, keep: number, nowMs: number): Promise<string[]> {
  const names = await sink.list(dir);
  const backups = names
    .map((name) => ({ name, match: BACKUP_NAME.exec(name) }))
    .filter((entry): entry is { name: string; match: RegExpExecArray } => entry.match !== null)
    .sort((a, b) => a.match[1]!.localeCompare(b.match[1]!) || Number(a.match[2] ?? 1) - Number(b.match[2] ?? 1));
  const removed: string[] = [];
  for (const entry of backups.slice(0, Math.max(0, backups.length - keep))) {
    await sink.remove(join(dir, entry.name));
    removed.push(entry.name);
  }
  for (const name of names) {
    const partial = PARTIAL_NAME.exec(name);
    if (partial && nowMs - Number(partial[1]) > 24 * 3600_000) await sink.remove(join(dir, name)).catch(() => {});
  }
  return removed;
}
