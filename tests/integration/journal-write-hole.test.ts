import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// D-4: a teacher writes only their own load, or a lesson they are registered to substitute.
// A teacher with no assignment who tries another teacher's class is refused, and nothing is
// written or audited.

describe.each(engines)('a teacher outside their load on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 14:30')));

  async function counts() {
    const db = t.core.store.db;
    const [lessons, marks, absences] = await Promise.all([
      db.selectFrom('lesson').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('mark').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      db.selectFrom('attendance').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { lessons: Number(lessons.n), marks: Number(marks.n), absences: Number(absences.n), audit: await newestAuditId(t) };
  }

  it('is forbidden to create a lesson, to mark, or to note an absence; nothing is written or audited', async () => {
    const own = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Дроби' });
    const before = await counts();

    // The English teacher (no assignment) into the mathematics page of 5А.
    const lesson = await s.english.session.fails('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 3, topic: 'Чужой урок' });
    expect(lesson.kind).toBe('forbidden');
    expect(lesson.message).toContain('Математика');
    // … with an idempotency key too (the refusal is not remembered as an answer).
    expect((await s.english.session.fails('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-13', topic: 'Чужой урок', idempotencyKey: 'hole-attempt-0001' })).kind).toBe('forbidden');
    // A class teacher is not a substitute either.
    expect((await s.russian.session.fails('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 4, topic: 'Чужой урок' })).kind).toBe('forbidden');
    // Marks and absences on the owner's lesson.
    expect((await s.english.session.fails('journal.saveMark', { lessonId: own.id, studentId: s.students.belova, value: '2', workTypeId: s.workTypes.oral })).kind).toBe('forbidden');
    expect((await s.english.session.fails('journal.setAttendance', { lessonId: own.id, studentId: s.students.belova, code: 'ОТ', version: 0 })).kind).toBe('forbidden');
    // The same through a pasted block.
    const batch = await s.english.session.raw('journal.saveCells', {
      cells: [
        { kind: 'mark', lessonId: own.id, studentId: s.students.volkov, value: '2', workTypeId: s.workTypes.oral },
        { kind: 'attendance', lessonId: own.id, studentId: s.students.egorova, code: 'ОТ', version: 0 },
      ],
    });
    expect(batch.ok ? 'ok' : batch.error.kind).not.toBe('ok');

    expect(await counts()).toEqual(before);
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.lessons.map((l) => l.topic)).toEqual(['Дроби']);
    expect(page.marks).toEqual([]);
    expect(page.attendance).toEqual([]);
    // Nor does the attempt open the page to them.
    expect((await s.english.session.fails('journal.page', { loadId: s.loads.math5A })).kind).toBe('forbidden');
  });
});
