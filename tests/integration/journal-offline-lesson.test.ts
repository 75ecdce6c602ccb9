import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Outbox, type OutboxEntry, type OutboxMethod, type OutboxStorage } from '../../src-renderer/outbox/outbox';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, PASSWORD, tomsk, type JournalSchool } from '../support/journal-fixture';

// A lesson created while the server is away (D-41): its creation goes into the PC's outbox
// with the marks typed into it, which wait for its id; on resend the lesson is created once
// — or bound to the same lesson (date and number) written meanwhile — and the marks land in it.

class MemoryDisk implements OutboxStorage {
  readonly rows = new Map<number, OutboxEntry>();
  async load() {
    return [...this.rows.values()].map((entry) => structuredClone(entry));
  }
  async put(entry: OutboxEntry) {
    this.rows.set(entry.id, structuredClone(entry));
  }
  async remove(id: number) {
    this.rows.delete(id);
  }
}

describe.each(engines)('a lesson created offline on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  let session: string;
  let userId: number;
  let serverUp = false;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
    const login = await t.core.call({ method: 'auth.login', input: { login: s.math.login, password: PASSWORD } });
    if (!login.ok) throw new Error(login.error.message);
    ({ session, user: { id: userId } } = login.value as { session: string; user: { id: number } });
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 09:40')));

  /** This PC's outbox; while the server is "down" every call is answered `unavailable`. */
  function pcOutbox() {
    serverUp = false;
    const outbox = new Outbox(
      new MemoryDisk(),
      async (method: OutboxMethod, input: Record<string, unknown>) => {
        if (!serverUp) throw { kind: 'unavailable', message: 'Нет связи с сервером.' };
        const envelope = await t.core.call({ method, input, session });
        if (!envelope.ok) throw envelope.error;
        return envelope.value;
      },
      t.clock.now,
    );
    outbox.setUser(userId);
    return outbox;
  }
  const drained = (outbox: Outbox) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (outbox.snapshot().entries.some((entry) => !entry.refused)) return;
        stop();
        resolve();
      };
      const stop = outbox.subscribe(check);
      check();
    });

  const queueLesson = (outbox: Outbox, lesson: { date: string; lessonNumber: number; topic: string; homework: string }) => {
    const key = randomUUID();
    const created = outbox.submit({ method: 'journal.saveLesson', input: { loadId: s.loads.math5A, ...lesson, idempotencyKey: key }, refs: [], label: 'Математика, 5А: новый урок' });
    return { key, created };
  };
  const queueMark = (outbox: Outbox, lessonKey: string, studentId: number, value: string) =>
    outbox.submit({
      method: 'journal.saveMark',
      input: { lessonId: 0, studentId, value, workTypeId: s.workTypes.oral, comment: '', idempotencyKey: randomUUID() },
      refs: [{ path: ['lessonId'], fromKey: lessonKey, pick: 'lessonId' }],
      label: 'Математика, 5А: отметка',
    });

  it('the lesson she is teaching, created with the host down, and three marks typed into it arrive once, in that lesson', async () => {
    const outbox = pcOutbox();
    const { key, created } = queueLesson(outbox, { date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей', homework: '№ 112' });
    const marks = [queueMark(outbox, key, s.students.belova, '5'), queueMark(outbox, key, s.students.volkov, '4'), queueMark(outbox, key, s.students.egorova, '3')];
    await Promise.all([created.stored, ...marks.map((m) => m.stored)]);
    expect(outbox.snapshot().entries).toHaveLength(4);

    // The host is back 40 minutes later.
    await s.travel(tomsk('2026-10-14 10:20'));
    serverUp = true;
    outbox.retryNow();
    const lesson = (await created.settled) as { id: number; topic: string };
    await Promise.all(marks.map((m) => m.settled));
    await drained(outbox);

    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    const ofDay = page.lessons.filter((l) => l.date === '2026-10-14' && l.lessonNumber === 2);
    expect(ofDay.map((l) => [l.id, l.topic, l.homework])).toEqual([[lesson.id, 'Сложение дробей', '№ 112']]);
    expect(page.marks.filter((m) => m.lessonId === lesson.id).map((m) => [m.studentId, m.value])).toEqual([
      [s.students.belova, '5'],
      [s.students.volkov, '4'],
      [s.students.egorova, '3'],
    ]);
    const history = await s.math.session.ok('journal.cellHistory', { lessonId: lesson.id, studentId: s.students.volkov });
    expect(history.map((h) => [h.action, h.reason])).toEqual([['mark.create', 'Введено 14.10 в 09:40, без связи с сервером; получено 14.10 в 10:20']]);
    expect((await s.admin.ok('audit.verify', {})).ok).toBe(true);
    outbox.stop();
  });

  it('a second creation of the same lesson (date and number) on resend binds to it: one lesson, nothing typed lost, the marks in it', async () => {
    const outbox = pcOutbox();
    const { key, created } = queueLesson(outbox, { date: '2026-10-13', lessonNumber: 3, topic: '', homework: 'стр. 20, № 5' });
    const typed = queueMark(outbox, key, s.students.grigorieva, '4');
    await Promise.all([created.stored, typed.stored]);
    // Meanwhile, on another PC that still reaches the server, she wrote the same lesson with its topic.
    await s.travel(tomsk('2026-10-14 10:00'));
    const written = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-13', lessonNumber: 3, topic: 'Проценты' });

    serverUp = true;
    outbox.retryNow();
    const bound = (await created.settled) as { id: number; topic: string; homework: string; version: number };
    await typed.settled;
    await drained(outbox);
    expect(bound).toMatchObject({ id: written.id, topic: 'Проценты', homework: 'стр. 20, № 5', version: 2 });
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.lessons.filter((l) => l.date === '2026-10-13' && l.lessonNumber === 3).map((l) => l.id)).toEqual([written.id]);
    expect(page.marks.filter((m) => m.lessonId === written.id).map((m) => [m.studentId, m.value])).toEqual([[s.students.grigorieva, '4']]);
    const lessonHistory = (await s.admin.ok('audit.list', { userId: s.math.id, limit: 1000 })).filter((r) => r.entity === 'lesson' && r.entityId === String(written.id));
    expect(lessonHistory.map((r) => r.action).sort()).toEqual(['lesson.create', 'lesson.update']);
    expect((await s.admin.ok('audit.verify', {})).ok).toBe(true);
    outbox.stop();
  });

  it('an absence typed into the lesson and then changed to «ОП», and a mark, are sent after the creation: each applied once, in that lesson', async () => {
    const outbox = pcOutbox();
    const { key, created } = queueLesson(outbox, { date: '2026-10-14', lessonNumber: 4, topic: 'Деление дробей', homework: '' });
    const absentKey = randomUUID();
    const absent = outbox.submit({
      method: 'journal.setAttendance',
      input: { lessonId: 0, studentId: s.students.egorova, code: 'ОТ', version: 0, idempotencyKey: absentKey },
      refs: [{ path: ['lessonId'], fromKey: key, pick: 'lessonId' }],
      label: 'Математика, 5А: пропуск',
    });
    // She came in late after all: the change builds on the version the first answer will give.
    const late = outbox.submit({
      method: 'journal.setAttendance',
      input: { lessonId: 0, studentId: s.students.egorova, code: 'ОП', version: 0, idempotencyKey: randomUUID() },
      refs: [
        { path: ['lessonId'], fromKey: key, pick: 'lessonId' },
        { path: ['version'], fromKey: absentKey, pick: 'attendanceVersion', fallback: 0 },
      ],
      label: 'Математика, 5А: опоздание',
    });
    const typed = queueMark(outbox, key, s.students.belova, '5');
    await Promise.all([created.stored, absent.stored, late.stored, typed.stored]);

    serverUp = true;
    outbox.retryNow();
    const lesson = (await created.settled) as { id: number };
    expect(await late.settled).toMatchObject({ lessonId: lesson.id, studentId: s.students.egorova, code: 'ОП', version: 2 });
    await Promise.all([absent.settled, typed.settled]);
    await drained(outbox);
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.attendance.filter((a) => a.lessonId === lesson.id).map((a) => [a.studentId, a.code, a.version])).toEqual([[s.students.egorova, 'ОП', 2]]);
    expect(page.marks.filter((m) => m.lessonId === lesson.id).map((m) => [m.studentId, m.value])).toEqual([[s.students.belova, '5']]);
    const history = await s.math.session.ok('journal.cellHistory', { lessonId: lesson.id, studentId: s.students.egorova });
    expect(history.map((h) => h.action)).toEqual(['attendance.set', 'attendance.set']);
    expect((await s.admin.ok('audit.verify', {})).ok).toBe(true);
    outbox.stop();
  });

  it('a queued lesson refused with no page open: its edits are not sent, and the refusal kept in the list names them', async () => {
    const outbox = pcOutbox();
    const { key, created } = queueLesson(outbox, { date: '2026-10-12', lessonNumber: 5, topic: 'Повторение', homework: '' });
    const typed = queueMark(outbox, key, s.students.volkov, '4');
    await Promise.all([created.stored, typed.stored]);
    // The teacher left the page: nobody waits for the answers.
    outbox.release([created.id, typed.id]);
    await s.math.session.ok('journal.lockPeriod', { loadId: s.loads.math5A, periodId: s.periods.q1 });
    const auditBefore = (await s.admin.ok('audit.list', { userId: s.math.id, limit: 1000 })).length;
    serverUp = true;
    outbox.retryNow();
    await drained(outbox);
    expect(outbox.snapshot().entries.map((entry) => [entry.label, entry.refused?.kind, entry.refused?.dropped])).toEqual([['Математика, 5А: новый урок', 'locked', ['Математика, 5А: отметка']]]);
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.lessons.filter((l) => l.date === '2026-10-12')).toEqual([]);
    expect((await s.admin.ok('audit.list', { userId: s.math.id, limit: 1000 })).length).toBe(auditBefore);
    await s.admin.ok('journal.reopenPeriod', { loadId: s.loads.math5A, periodId: s.periods.q1, reason: 'Проверка' });
    outbox.stop();
  });

  it('a queued lesson the server refuses (a future date) takes its marks with it: nothing written, nothing audited', async () => {
    const auditBefore = (await s.admin.ok('audit.list', { userId: s.math.id, limit: 1000 })).length;
    const outbox = pcOutbox();
    const { key, created } = queueLesson(outbox, { date: '2026-10-20', lessonNumber: 1, topic: 'Заранее', homework: '' });
    const typed = queueMark(outbox, key, s.students.belova, '5');
    await Promise.all([created.stored, typed.stored]);
    serverUp = true;
    outbox.retryNow();
    await expect(created.settled).rejects.toMatchObject({ kind: 'validation', message: expect.stringContaining('на будущую дату') });
    await typed.settled.catch(() => undefined);
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.lessons.filter((l) => l.date === '2026-10-20')).toEqual([]);
    expect((await s.admin.ok('audit.list', { userId: s.math.id, limit: 1000 })).length).toBe(auditBefore);
    outbox.stop();
  });
});
