import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { driveFinder } from '../../src-main/backup/destinations';
import { nodeFileSink, type FileSink } from '../../src-main/backup/file-sink';
import { runBackup } from '../../src-main/backup/run';
import { startBackupScheduler, type BackupScheduler } from '../../src-main/backup/scheduler';
import { backupStatus } from '../../src-main/backup/status';
import { createSchoolAndSignIn, type TestSession } from '../support/client';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { BACKUP_PASSWORD, tempDir } from './backup-helpers';

// Hand-driven timers: the cron trigger and the one-minute poll are called by the test.
function manualTimers() {
  const state: { cron: (() => void) | null; poll: (() => void) | null; expression: string | null } = { cron: null, poll: null, expression: null };
  return {
    state,
    cron: (expression: string, _zone: string, work: () => void) => {
      state.expression = expression;
      state.cron = work;
      return () => void (state.cron = null);
    },
    every: (_ms: number, work: () => void) => {
      state.poll = work;
      return () => void (state.poll = null);
    },
  };
}

describe.each(engines)('the weekly backup scheduler on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let mounts: string;
  let folder: string;
  let scheduler: BackupScheduler | null = null;
  const drive = () => join(mounts, 'teacher', 'ZHURNAL');
  const findDrive = () => driveFinder([mounts]);

  beforeEach(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    await admin.ok('backup.setPassword', { newPassword: BACKUP_PASSWORD });
    mounts = tempDir('zhurnal-media-');
    folder = tempDir('zhurnal-second-');
    await admin.ok('backup.updateSettings', { schedule: '0 17 * * 5', driveLabel: 'ZHURNAL', secondFolder: folder, retention: 10 });
  });
  afterEach(async () => {
    scheduler?.stop();
    scheduler = null;
    await t.close();
    rmSync(mounts, { recursive: true, force: true });
    rmSync(folder, { recursive: true, force: true });
  });

  const runs = () => t.core.store.db.selectFrom('backup_run').select(['trigger', 'destination', 'status', 'error']).orderBy('id').execute();

  it('catches up a run missed while the PC was off, and waits for the drive', async () => {
    // Wednesday 14 October 14:30 in Tomsk: Friday 9 October 17:00 passed with no copy.
    const timers = manualTimers();
    scheduler = startBackupScheduler(t.core, { now: t.clock.now, findDrive: findDrive(), cron: timers.cron, every: timers.every });
    const startup = await scheduler.startup;
    expect(startup.kind).toBe('ran');
    expect(timers.state.expression).toBe('0 17 * * 5');
    expect(await runs()).toEqual([expect.objectContaining({ trigger: 'catch-up', destination: `folder:${folder}`, status: 'ok' })]);

    // The drive is absent: the administrator sees why at login.
    let status = await backupStatus(t.core.store, t.clock.now(), findDrive());
    expect(status.overdue).toBe(true);
    expect(status.pendingReason).toBe('Флешка «ZHURNAL» не подключена: копия будет записана, как только её вставят.');
    expect(status.destinations.map((d) => [d.title, d.available, d.overdue])).toEqual([
      ['Флешка «ZHURNAL»', false, true],
      [`Папка ${folder}`, true, false],
    ]);
    expect(await scheduler.tick('poll')).toMatchObject({ kind: 'waiting' });

    // The drive is inserted: the next poll writes to it.
    t.clock.advanceMinutes(1);
    mkdirSync(drive(), { recursive: true });
    expect((await scheduler.tick('poll')).kind).toBe('ran');
    expect(readdirSync(join(drive(), 'zhurnal-backup')).filter((n) => n.endsWith('.zhb'))).toHaveLength(1);
    status = await backupStatus(t.core.store, t.clock.now(), findDrive());
    expect(status).toMatchObject({ overdue: false, pendingReason: null });
    expect(status.destinations.every((d) => d.lastSuccess?.ageDays === 0)).toBe(true);
    // Nothing more is due until next Friday.
    expect((await scheduler.tick('poll')).kind).toBe('up-to-date');
  });

  it('fires on Friday at 17:00 and skips a trigger while a run is in progress', async () => {
    mkdirSync(drive(), { recursive: true });
    const timers = manualTimers();
    scheduler = startBackupScheduler(t.core, { now: t.clock.now, findDrive: findDrive(), cron: timers.cron, every: timers.every });
    expect((await scheduler.startup).kind).toBe('ran');

    // Friday 16 October, 17:00 school time: the cron trigger fires.
    t.clock.set('2026-10-16T09:59:00.000Z');
    expect(await scheduler.tick('poll')).toEqual({ kind: 'up-to-date' });
    t.clock.set('2026-10-16T10:00:05.000Z');
    const fired = await scheduler.tick('cron');
    expect(fired.kind).toBe('ran');
    const scheduled = (await runs()).filter((r) => r.trigger === 'schedule');
    expect(scheduled.map((r) => [r.destination, r.status])).toEqual([
      ['drive:ZHURNAL', 'ok'],
      [`folder:${folder}`, 'ok'],
    ]);

    // A week later a manual run is still writing when the trigger comes: skipped and logged.
    t.clock.set('2026-10-23T10:00:00.000Z');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowSink: FileSink = { ...nodeFileSink, rename: async (from, to) => { await gate; await nodeFileSink.rename(from, to); } };
    const manual = runBackup(t.core.store, { trigger: 'manual', now: t.clock.now, sink: slowSink, findDrive: findDrive(), printClassJournal: null });
    await new Promise((resolve) => setTimeout(resolve, 50));
    while (!(await backupStatus(t.core.store, t.clock.now(), findDrive())).running) await new Promise((resolve) => setTimeout(resolve, 20));
    timers.state.cron!();
    expect(await scheduler.tick('cron')).toEqual({ kind: 'skipped-running' });
    release();
    await manual;
    const skipped = (await runs()).filter((r) => r.status === 'skipped');
    expect(skipped.length).toBeGreaterThanOrEqual(2);
    expect(skipped[0]!.error).toBe('Пропущено: предыдущее резервное копирование ещё выполняется.');
    // The manual run covered this week: nothing is due afterwards.
    expect((await scheduler.tick('poll')).kind).toBe('up-to-date');
  });
});
