import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, PASSWORD, type JournalSchool } from '../support/journal-fixture';
import { APPLIED_LINE, QUEUED_LINE, SENT_LINE, type OutboxWorkerPlan } from '../support/outbox-plan';

const workerScript = fileURLToPath(new URL('../support/outbox-worker.ts', import.meta.url));

/** Runs the PC's outbox process; with `killAt`, SIGKILLs it the moment it prints that line. */
function runOutboxPc(plan: OutboxWorkerPlan, killAt?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    // Node itself with tsx as a loader: the kill reaches the process that holds the outbox
    // (the tsx command would pass it to a child of its own).
    const child = spawn(process.execPath, ['--import', 'tsx', workerScript, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (killAt && out.includes(killAt)) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
}

describe.each(engines)('the outbox across a killed process (%s)', (engine) => {
  let t: TestCore;
  let school: JournalSchool;
  /** One lesson per test: each cell gets one mark, audited against the cell. */
  let lessonIds: number[];
  let dir: string;

  beforeAll(async () => {
    t = await startTestCore(engine);
    school = await buildJournalSchool(t);
    lessonIds = [];
    for (const date of ['2026-10-13', '2026-10-14']) lessonIds.push((await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date, topic: 'Сложение дробей' })).id);
    dir = mkdtempSync(join(tmpdir(), 'zhurnal-outbox-'));
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const plan = (storeFile: string, mode: OutboxWorkerPlan['mode'], prefix: string, lessonId: number): OutboxWorkerPlan => ({
    databaseUrl: t.url,
    storeFile,
    login: school.math.login,
    password: PASSWORD,
    nowIso: t.clock.now().toISOString(),
    mode,
    marks: [school.students.alekseev, school.students.belova, school.students.volkov].map((studentId, index) => ({
      lessonId,
      studentId,
      value: String(3 + index),
      workTypeId: school.workTypes.oral,
      key: `${prefix}-${engine}-${index}`,
    })),
  });

  async function countsOf(prefix: string) {
    const marks = await t.core.store.db.selectFrom('mark').select(['lesson_id', 'student_id', 'comment']).where('comment', 'like', `${prefix}-%`).execute();
    // A mark's creation is audited against its cell («lesson:student»).
    const audited = await t.core.store.db.selectFrom('audit_log').select('entity_id').where('action', '=', 'mark.create').execute();
    return {
      marks: marks.map((mark) => mark.comment).sort(),
      auditedOnce: marks.every((mark) => audited.filter((row) => row.entity_id === `${mark.lesson_id}:${mark.student_id}`).length === 1),
    };
  }

  it('killed after «queued», before «sent»: the next start sends every mark once', async () => {
    const storeFile = join(dir, `queued-${engine}.jsonl`);
    const killed = await runOutboxPc(plan(storeFile, 'queue', 'queued', lessonIds[0]!), QUEUED_LINE);
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(storeFile)).toBe(true);
    expect((await countsOf('queued')).marks).toEqual([]);

    const restarted = await runOutboxPc(plan(storeFile, 'send', 'queued', lessonIds[0]!));
    expect(restarted.err).toBe('');
    expect(restarted.out).toContain(SENT_LINE);
    expect(await countsOf('queued')).toEqual({ marks: [`queued-${engine}-0`, `queued-${engine}-1`, `queued-${engine}-2`], auditedOnce: true });
  }, 300_000);

  it('killed after the database applied a save whose answer was lost: the resend with the same key does not double it', async () => {
    const storeFile = join(dir, `lost-${engine}.jsonl`);
    const killed = await runOutboxPc(plan(storeFile, 'lostReply', 'lost', lessonIds[1]!), APPLIED_LINE);
    expect(killed.signal).toBe('SIGKILL');
    expect((await countsOf('lost')).marks).toEqual([`lost-${engine}-0`]);

    const restarted = await runOutboxPc(plan(storeFile, 'send', 'lost', lessonIds[1]!));
    expect(restarted.err).toBe('');
    expect(await countsOf('lost')).toEqual({ marks: [`lost-${engine}-0`, `lost-${engine}-1`, `lost-${engine}-2`], auditedOnce: true });
    expect((await school.admin.ok('audit.verify', {})).ok).toBe(true);
  }, 300_000);
});
