import { readdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../src-shared/contract/jobs';
import { ADMIN, createSchoolAndSignIn, signIn, type TestSession } from '../support/client';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { BACKUP_PASSWORD, tempDir } from './backup-helpers';

// The core's one jobs mechanism seen through the contract, with a backup as the job: it is
// started by its feature's method, then watched and stopped with jobs.* like any long job.
// (The runner's unit-by-unit behaviour is in tests/unit/jobs-runner.test.ts; the
// whole-school print on it in print-school-job.test.ts.)

async function untilOver(session: TestSession, started: JobStatus): Promise<JobStatus> {
  let status = started;
  while (status.state === 'running' || status.state === 'queued') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = await session.ok('jobs.status', { jobId: started.jobId });
  }
  return status;
}

describe.each(engines)('long jobs through the contract on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let secondAdmin: TestSession;
  let teacher: TestSession;
  const dirs: string[] = [];
  const backupAudits = async () => (await t.core.store.db.selectFrom('audit_log').select('id').where('action', '=', 'backup.run').execute()).length;
  const zhbIn = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.zhb'));

  beforeAll(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    await admin.ok('accounts.create', { login: 'ivanova', fullName: 'Иванова Мария Петровна', roles: ['administrator'], temporaryPassword: 'Времен-123' });
    await admin.ok('accounts.create', { login: 'petrova', fullName: 'Петрова Анна Ильинична', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    for (const login of ['ivanova', 'petrova']) {
      const first = await signIn(t.core, login, 'Времен-123');
      await first.ok('auth.changePassword', { currentPassword: 'Времен-123', newPassword: 'Постоянный-пароль-7' });
    }
    secondAdmin = await signIn(t.core, 'ivanova', 'Постоянный-пароль-7');
    teacher = await signIn(t.core, 'petrova', 'Постоянный-пароль-7');
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const newDir = () => {
    const dir = tempDir();
    dirs.push(dir);
    return dir;
  };

  it('a job that cannot be done ends with the reason in Russian and nothing written', async () => {
    // No backup password yet: the copy cannot be encrypted.
    const dir = newDir();
    const started = await admin.ok('backup.start', { to: dir });
    expect(started).toMatchObject({ kind: 'backup', title: 'Резервная копия', target: dir, startedBy: ADMIN.fullName });
    const over = await untilOver(admin, started);
    expect(over).toMatchObject({
      state: 'failed',
      error: 'Не задан пароль резервных копий. Задайте его в разделе «Резервные копии» (или ZHURNAL_BACKUP_PASSWORD для командной строки).',
      result: null,
    });
    expect(zhbIn(dir)).toEqual([]);
    expect(await backupAudits()).toBe(0);
    await admin.ok('backup.setPassword', { newPassword: BACKUP_PASSWORD });
  });

  it('progress step by step, then what it did; the file is there', async () => {
    const dir = newDir();
    const started = await admin.ok('backup.start', { to: dir });
    expect(['queued', 'running']).toContain(started.state);
    const over = await untilOver(admin, started);
    const files = zhbIn(dir);
    expect(files).toHaveLength(1);
    // Two steps: the snapshot, then the one place.
    expect(over).toMatchObject({ state: 'done', done: 2, total: 2, current: null, error: null, result: 'Готово: копия записана в 1 из 1 места.' });
    expect(over.items.map((item) => [item.status, item.fileName])).toEqual([
      ['ok', null],
      ['ok', files[0]],
    ]);
    expect(over.items[0]!.label).toBe('Снимок базы и журналы классов');
    // The owner finds it among their jobs, newest first.
    expect((await admin.ok('jobs.mine', { kind: 'backup' })).map((job) => job.jobId)[0]).toBe(started.jobId);
  });

  it('«Остановить» stops before anything is written; a second cancel changes nothing', async () => {
    const dir = newDir();
    const audits = await backupAudits();
    const started = await admin.ok('backup.start', { to: dir });
    const cancelling = await admin.ok('jobs.cancel', { jobId: started.jobId });
    expect(cancelling.cancelRequested).toBe(true);
    const again = await admin.ok('jobs.cancel', { jobId: started.jobId });
    expect(again).toMatchObject({ jobId: started.jobId, cancelRequested: true });
    const over = await untilOver(admin, started);
    // The snapshot in hand was finished, then the job stopped: no copy anywhere, none logged.
    expect(over).toMatchObject({ state: 'cancelled', error: null });
    expect(over.items.filter((item) => item.fileName !== null)).toEqual([]);
    expect(zhbIn(dir)).toEqual([]);
    expect(await backupAudits()).toBe(audits);
    // Cancelling a stopped job again is harmless: the same status.
    expect(await admin.ok('jobs.cancel', { jobId: started.jobId })).toEqual(over);
    // And the next copy starts as usual.
    expect((await untilOver(admin, await admin.ok('backup.start', { to: dir }))).state).toBe('done');
  });

  it('nobody else sees or stops a job: another administrator neither, and is told only that a copy is being made', async () => {
    const dir = newDir();
    const audits = await backupAudits();
    const started = await admin.ok('backup.start', { to: dir });
    for (const other of [secondAdmin, teacher]) {
      expect(await other.fails('jobs.status', { jobId: started.jobId })).toMatchObject({ kind: 'not_found' });
      expect(await other.fails('jobs.cancel', { jobId: started.jobId })).toMatchObject({ kind: 'not_found' });
      expect(await other.ok('jobs.mine', {})).toEqual([]);
    }
    const busy = await secondAdmin.fails('backup.start', { to: dir });
    expect(busy).toEqual({ kind: 'conflict', message: `Резервное копирование уже выполняется (его начал(а) ${ADMIN.fullName}). Дождитесь его окончания.` });
    expect((await teacher.fails('backup.start', { to: dir })).kind).toBe('forbidden');
    const over = await untilOver(admin, started);
    // Their attempts changed nothing: the owner's copy went through, uncancelled, and only it.
    expect(over).toMatchObject({ state: 'done', cancelRequested: false });
    expect(zhbIn(dir)).toHaveLength(1);
    expect(await backupAudits()).toBe(audits + 1);
  });
});
