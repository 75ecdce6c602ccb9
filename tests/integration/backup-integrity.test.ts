import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileSink, type FileSink } from '../../src-main/backup/file-sink';
import { inspectBackupFile, restoreBackupFile } from '../../src-main/backup/restore';
import { runBackup } from '../../src-main/backup/run';
import { runCli } from '../../src-main/cli/run';
import type { CliIo } from '../../src-main/cli/command';
import { createSchoolAndSignIn, type TestSession } from '../support/client';
import { engines, freshDatabase, startTestCore, type TestCore } from '../support/engines';
import { BACKUP_PASSWORD, backupNow, tempDir } from './backup-helpers';

function captureIo(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env, askSecret: async () => null };
  return { io, out, err };
}

/** A medium that takes `capacity` bytes and then fails like a full disk or a pulled drive. */
function failingSink(capacity: number, code: 'ENOSPC' | 'EIO'): FileSink {
  let written = 0;
  return {
    ...nodeFileSink,
    async create(path) {
      const file = await nodeFileSink.create(path);
      return {
        async write(chunk) {
          if (written + chunk.length > capacity) {
            await file.write(chunk.subarray(0, Math.max(0, capacity - written)));
            written = capacity;
            throw Object.assign(new Error(`${code}: write failed`), { code });
          }
          written += chunk.length;
          await file.write(chunk);
        },
        sync: () => file.sync(),
        close: () => file.close(),
      };
    },
  };
}

describe.each(engines)('backup integrity on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let dir: string;
  beforeEach(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    await admin.ok('accounts.create', { login: 'petrova', fullName: 'Петрова Анна Ильинична', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    await admin.ok('backup.setPassword', { newPassword: BACKUP_PASSWORD });
    dir = tempDir();
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const backupFiles = () => readdirSync(dir).filter((n) => n.endsWith('.zhb')).sort();

  it('one flipped byte anywhere in the file is refused, with or without the password', async () => {
    const file = (await backupNow(admin, dir)).files[0]!;
    const original = readFileSync(file);
    expect((await inspectBackupFile(file, BACKUP_PASSWORD)).contentVerified).toBe(true);
    for (const position of [3, 20, Math.floor(original.length / 2), original.length - 1]) {
      const damaged = Buffer.from(original);
      damaged[position] = damaged[position]! ^ 0x01;
      const copy = join(dir, `damaged-${position}.zhb`);
      writeFileSync(copy, damaged);
      await expect(inspectBackupFile(copy)).rejects.toThrow('Файл резервной копии повреждён или изменён');
      await expect(inspectBackupFile(copy, BACKUP_PASSWORD)).rejects.toThrow('Файл резервной копии повреждён или изменён');
      const target = await freshDatabase(engine);
      await expect(restoreBackupFile(copy, BACKUP_PASSWORD, target.url)).rejects.toThrow('повреждён');
      await target.drop();
    }
    // `zhurnal verify`: exit 1 and the reason.
    const cli = captureIo();
    expect(await runCli(['verify', join(dir, `damaged-3.zhb`)], cli.io)).toBe(1);
    expect(cli.err.join('\n')).toContain('Файл резервной копии повреждён или изменён');
    const good = captureIo({ ZHURNAL_BACKUP_PASSWORD: BACKUP_PASSWORD });
    expect(await runCli(['verify', file], good.io)).toBe(0);
    expect(good.out.join('\n')).toContain('содержимое всех частей сходятся');
  });

  it('a wrong password is refused clearly and restores nothing', async () => {
    const file = (await backupNow(admin, dir)).files[0]!;
    const inspected = await admin.fails('backup.inspect', { file, password: 'не тот пароль' });
    expect(inspected.message).toBe('Неверный пароль резервной копии.');
    const target = await freshDatabase(engine);
    try {
      await expect(restoreBackupFile(file, 'не тот пароль', target.url)).rejects.toThrow('Неверный пароль резервной копии');
      if (engine === 'sqlite') expect(readdirSync(join(target.url, '..'))).toEqual([]);
    } finally {
      await target.drop();
    }
    // Without the password the file still proves itself intact and signed by this school.
    const summary = await admin.ok('backup.inspect', { file });
    expect(summary).toMatchObject({ contentVerified: false, signedByThisSchool: true });
    expect(summary.fingerprint).toBe((await admin.ok('backup.publicKey', {})).fingerprint);
    // Changing the backup password needs the current one.
    expect((await admin.fails('backup.setPassword', { currentPassword: 'не тот', newPassword: 'Новый-пароль-1' })).message).toBe('Неверный пароль резервной копии.');
  });

  for (const failure of [
    { code: 'ENOSPC' as const, message: 'Недостаточно места на носителе.' },
    { code: 'EIO' as const, message: 'Носитель стал недоступен во время записи (флешку извлекли?).' },
  ]) {
    it(`a destination failing mid-write (${failure.code}) leaves older backups intact and no file that looks valid`, async () => {
      await admin.ok('backup.updateSettings', { schedule: '0 17 * * 5', driveLabel: null, secondFolder: dir, retention: 10 });
      await backupNow(admin);
      const before = backupFiles();
      expect(before).toHaveLength(1);
      const olderBytes = readFileSync(join(dir, before[0]!));
      t.clock.advanceMinutes(20);

      const report = await runBackup(t.core.store, { trigger: 'manual', now: t.clock.now, sink: failingSink(1000, failure.code), printClassJournal: null });
      expect(report.results).toEqual([expect.objectContaining({ status: 'failed', error: failure.message, file: null })]);
      // Nothing new that could be taken for a backup; the older one untouched and valid.
      expect(readdirSync(dir)).toEqual(before);
      expect(readFileSync(join(dir, before[0]!)).equals(olderBytes)).toBe(true);
      expect((await inspectBackupFile(join(dir, before[0]!), BACKUP_PASSWORD)).contentVerified).toBe(true);
      // The admin screen shows the error beside the last success.
      const status = await admin.ok('backup.status', {});
      expect(status.destinations[0]).toMatchObject({ lastAttempt: { status: 'failed', error: failure.message } });
      expect(status.destinations[0]!.lastSuccess?.fileName).toBe(before[0]);
    });
  }

  it('retention keeps the newest N per destination, removing old ones only after a new one verified', async () => {
    await admin.ok('backup.updateSettings', { schedule: '0 17 * * 5', driveLabel: null, secondFolder: dir, retention: 3 });
    for (let i = 0; i < 5; i++) {
      const report = await runBackup(t.core.store, { trigger: 'schedule', now: t.clock.now, printClassJournal: null });
      expect(report.results[0]!.status).toBe('ok');
      t.clock.advanceMinutes(7 * 24 * 60);
    }
    expect(backupFiles()).toEqual(['zhurnal-2026-10-28-1430.zhb', 'zhurnal-2026-11-04-1430.zhb', 'zhurnal-2026-11-11-1430.zhb']);
    // A failed run deletes nothing.
    await runBackup(t.core.store, { trigger: 'manual', now: t.clock.now, sink: failingSink(1000, 'ENOSPC'), printClassJournal: null });
    expect(backupFiles()).toHaveLength(3);
  });
});
