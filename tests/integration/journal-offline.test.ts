import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/app/core';
import { OutboxFileStore } from '../../src-main/outbox/file-store';
import { Outbox, type OutboxEntry, type OutboxMethod } from '../../src-renderer/outbox/outbox';
import type { Engine } from '../../src-main/store/database';
import { freshDatabase, TestClock, type TestCore } from '../support/engines';
import { buildJournalSchool, PASSWORD, tomsk, type JournalSchool } from '../support/journal-fixture';
import { startPostgres, type RunningPostgres } from '../support/postgres-server';

// D-41: the database host goes down for a lesson. PostgreSQL: a real server of this test,
// stopped and started again. SQLite (the host PC's file): the connection to it is cut. The
// teacher's PC keeps typing into its outbox (the app's file store); when the host is back,
// every edit is applied exactly once, judged and recorded at the moment it was typed.

async function hostFor(engine: Engine): Promise<{ url: string; server: RunningPostgres | null; drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    const database = await freshDatabase('sqlite');
    return { url: database.url, server: null, drop: database.drop };
  }
  const server = await startPostgres();
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query('create database offline_lesson');
  await admin.end();
  const url = new URL(server.adminUrl);
  url.pathname = '/offline_lesson';
  return { url: url.toString(), server, drop: () => server.stop() };
}

describe.each<Engine>(['sqlite', 'postgres'])('a lesson taught with the %s host down', (engine) => {
  let host: Awaited<ReturnType<typeof hostFor>>;
  let t: TestCore;
  let s: JournalSchool;
  let dir: string;
  beforeAll(async () => {
    host = await hostFor(engine);
    const clock = new TestClock();
    const core = await createCore({ databaseUrl: host.url, now: clock.now, logError: () => {} });
    t = { core, clock, url: host.url, close: () => core.close() };
    s = await buildJournalSchool(t);
    dir = mkdtempSync(join(tmpdir(), 'zhurnal-offline-'));
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await host?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('marks and an absence typed while the host is down are applied once when it returns, with the times they were typed', async () => {
    await s.travel(tomsk('2026-12-03 10:00'));
    const lesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-12-03', topic: 'Проценты' });
    const signIn = async () => {
      const login = await t.core.call({ method: 'auth.login', input: { login: s.math.login, password: PASSWORD } });
      if (!login.ok) throw new Error(login.error.message);
      return login.value as { session: string; user: { id: number } };
    };
    let { session, user } = await signIn();

    // The host goes down.
    let connectionCut = false;
    if (host.server) await host.server.pause();
    else connectionCut = true;
    const answers: string[] = [];
    const call = async (method: OutboxMethod, input: Record<string, unknown>) => {
      if (connectionCut) throw { kind: 'unavailable', message: 'Нет связи с журналом.' };
      const envelope = await t.core.call({ method, input, session });
      if (!envelope.ok) {
        answers.push(envelope.error.kind);
        throw envelope.error;
      }
      answers.push('ok');
      return envelope.value;
    };
    const store = new OutboxFileStore(join(dir, `outbox-${engine}.jsonl`));
    const outbox = new Outbox({ load: async () => store.load() as unknown as OutboxEntry[], put: async (entry) => store.put(entry), remove: async (id) => store.remove(id) }, call, t.clock.now);
    await outbox.ready();
    outbox.setUser(user.id);
    const offline = new Promise<void>((resolve) => {
      const stop = outbox.subscribe(() => {
        if (!outbox.snapshot().offline) return;
        stop();
        resolve();
      });
    });

    // The lesson goes on: a mark every few minutes, one absence.
    const typed = [
      { student: s.students.alekseev, value: '5', at: '2026-12-03 10:05' },
      { student: s.students.belova, value: '4', at: '2026-12-03 10:10' },
      { student: s.students.volkov, value: '3', at: '2026-12-03 10:15' },
      { student: s.students.grigorieva, value: '5', at: '2026-12-03 10:20' },
      { student: s.students.egorova, value: '4', at: '2026-12-03 10:25' },
    ];
    for (const [index, mark] of typed.entries()) {
      t.clock.set(tomsk(mark.at));
      await outbox.submit({ method: 'journal.saveMark', input: { lessonId: lesson.id, studentId: mark.student, value: mark.value, workTypeId: s.workTypes.oral, comment: '', idempotencyKey: `offline-${engine}-mark-${index}` }, refs: [], label: 'отметка' }).stored;
    }
    t.clock.set(tomsk('2026-12-03 10:30'));
    await outbox.submit({ method: 'journal.setAttendance', input: { lessonId: lesson.id, studentId: s.students.egorova, code: 'ОП', version: 0, idempotencyKey: `offline-${engine}-late-0` }, refs: [], label: 'опоздание' }).stored;
    await offline;
    // Nothing was refused as an error while the host was down: only «unavailable».
    expect(answers.filter((kind) => kind !== 'unavailable')).toEqual([]);
    expect(outbox.snapshot().entries.length).toBe(6);

    // The host is back after the lesson.
    t.clock.set(tomsk('2026-12-03 12:00'));
    if (host.server) await host.server.resume();
    connectionCut = false;
    await s.travel(tomsk('2026-12-03 12:00'));
    // Two hours later the session has lapsed: the teacher signs in again and the outbox goes on.
    ({ session, user } = await signIn());
    outbox.setUser(user.id);
    outbox.retryNow();
    while (outbox.snapshot().entries.some((entry) => !entry.refused)) {
      await new Promise<void>((resolve) => {
        const stop = outbox.subscribe(() => {
          stop();
          resolve();
        });
        outbox.retryNow();
      });
    }
    await outbox.flush();
    outbox.stop();
    store.close();
    expect(outbox.snapshot().entries).toEqual([]);

    const page = await s.deputy.session.ok('journal.page', { loadId: s.loads.math5A, periodId: s.periods.q2 });
    expect(page.marks.filter((m) => m.lessonId === lesson.id).map((m) => [m.studentId, m.value]).sort()).toEqual(typed.map((m) => [m.student, m.value]).sort());
    expect(page.attendance.filter((a) => a.lessonId === lesson.id).map((a) => [a.studentId, a.code])).toEqual([[s.students.egorova, 'ОП']]);

    const records = await s.admin.ok('audit.list', { since: tomsk('2026-12-03 11:59'), limit: 100 });
    const marks = records.filter((r) => r.action === 'mark.create');
    expect(marks.length).toBe(5);
    expect(marks.map((r) => (r.after as { enteredAt?: string }).enteredAt).sort()).toEqual(typed.map((m) => tomsk(m.at)).sort());
    expect(marks.every((r) => r.at === tomsk('2026-12-03 12:00'))).toBe(true);
    const absence = records.filter((r) => r.entity === 'attendance');
    expect(absence.map((r) => [(r.after as { enteredAt?: string }).enteredAt, r.reason])).toEqual([[tomsk('2026-12-03 10:30'), 'Введено 03.12 в 10:30, без связи с сервером; получено 03.12 в 12:00']]);
    expect((await s.admin.ok('audit.verify', {})).ok).toBe(true);
  }, 300_000);
});
