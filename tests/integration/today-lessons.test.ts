import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// Lessons that come from the timetable (D-10, D-16): the teacher's day lists her lessons —
// her own and those the register gave her — and a lesson opened from it, or «Новый урок»,
// starts with the date and the lesson number filled in. Nothing is written until she saves.
//
// Иванова's week, built here on top of the fixture: Wednesday — mathematics 5А 2nd (the
// fixture's), English 5А group 2 4th; Friday — mathematics 5А 1st. Сидоров: English 5А
// group 1, Wednesday 3rd. The clock stands on Wednesday 14 October 2026, 14:30 in Tomsk.
// The first quarter ends on 25 October, the second begins on 5 November.

describe.each(engines)('lessons from the timetable on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
    const db = t.core.store.db;
    const entry = (load_id: number, weekday: number, lesson_number: number) => db.insertInto('timetable_entry').values({ load_id, weekday, lesson_number, room: '21', valid_from: '2026-09-01', valid_to: null }).execute();
    await entry(s.loads.english5A2, 3, 4);
    await entry(s.loads.math5A, 5, 1);
    await entry(s.loads.english5A1, 3, 3);
    // A one-day break in the second quarter, on a Wednesday.
    await db.insertInto('holiday').values({ year_id: s.yearId, name: 'Дополнительные каникулы', starts_on: '2026-11-18', ends_on: '2026-11-18' }).execute();
    // Seven real accounts (argon2) on a machine shared with other test runs: generous.
  }, 600_000);
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 14:30')));

  const lessonCount = async () => (await t.core.store.db.selectFrom('lesson').select('id').execute()).length;

  it("lists the teacher's day with the lesson she covers; a holiday has none; listing and opening write nothing", async () => {
    // Сидоров is on courses: Иванова takes his English group 1 (3rd).
    await s.deputy.session.ok('substitutions.assign', { loadId: s.loads.english5A1, date: '2026-10-14', lessonNumber: 3, substituteId: s.math.id, kind: 'subject', reason: 'courses', orderNumber: '№ 45-к' });
    const auditBefore = await newestAuditId(t);

    const day = await s.math.session.ok('timetable.today', {});
    expect(day).toMatchObject({ date: '2026-10-14', weekday: 3, holiday: null });
    expect(day.lessons.map((l) => [l.lessonNumber, l.startsAt, l.className, l.subjectName, l.subgroupName, l.loadId, l.lessonId, l.substituteFor ?? null])).toEqual([
      [2, '08:50', '5А', 'Математика', null, s.loads.math5A, null, null],
      [3, '09:45', '5А', 'Иностранный язык (английский)', '1 группа', s.loads.english5A1, null, 'Сидоров П. А.'],
      [4, '10:40', '5А', 'Иностранный язык (английский)', '2 группа', s.loads.english5A2, null, null],
    ]);
    // Сидоров's own lesson went to the substitute: not on his list.
    expect((await s.english.session.ok('timetable.today', {})).lessons).toEqual([]);
    // Friday: mathematics 1st only; the holiday Wednesday: nothing.
    expect((await s.math.session.ok('timetable.today', { date: '2026-10-16' })).lessons.map((l) => [l.lessonNumber, l.subjectName])).toEqual([[1, 'Математика']]);
    expect(await s.math.session.ok('timetable.today', { date: '2026-11-18' })).toEqual({ date: '2026-11-18', weekday: 3, holiday: 'Дополнительные каникулы', lessons: [] });

    // Opening each lesson of the day gives its date and number, and writes nothing.
    expect(await s.math.session.ok('journal.lessonDraft', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2 })).toEqual({ date: '2026-10-14', lessonNumber: 2, lessonId: null, plan: null });
    expect(await s.math.session.ok('journal.lessonDraft', { loadId: s.loads.english5A1, date: '2026-10-14', lessonNumber: 3 })).toEqual({ date: '2026-10-14', lessonNumber: 3, lessonId: null, plan: null });
    expect(await s.math.session.ok('journal.lessonDraft', { loadId: s.loads.english5A2 })).toEqual({ date: '2026-10-14', lessonNumber: 4, lessonId: null, plan: null });
    expect(await lessonCount()).toBe(0);
    expect(await newestAuditId(t)).toBe(auditBefore);

    // Accepting it writes the lesson at that date and number; the day shows it written.
    const math = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей' });
    expect(math).toMatchObject({ date: '2026-10-14', lessonNumber: 2, substitution: false });
    const covered = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.english5A1, date: '2026-10-14', lessonNumber: 3, topic: 'Present Simple' });
    expect(covered).toMatchObject({ date: '2026-10-14', lessonNumber: 3, substitution: true, givenByName: s.math.fullName });
    const after = await s.math.session.ok('timetable.today', {});
    expect(after.lessons.map((l) => [l.lessonNumber, l.lessonId])).toEqual([
      [2, math.id],
      [3, covered.id],
      [4, null],
    ]);
    // Opened again, the written lesson is offered instead of a second one.
    expect(await s.math.session.ok('journal.lessonDraft', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2 })).toEqual({ date: '2026-10-14', lessonNumber: 2, lessonId: math.id, plan: null });
    expect(await lessonCount()).toBe(2);
  });

  it('«Новый урок» starts at the next lesson of the timetable not yet written, past holidays', async () => {
    const draft = (loadId: number) => s.math.session.ok('journal.lessonDraft', { loadId });
    // After Wednesday's 2nd lesson (written above) the next is Friday's 1st; not ahead of today.
    expect(await draft(s.loads.math5A)).toEqual({ date: '2026-10-14', lessonNumber: null, lessonId: null, plan: null });
    await s.travel(tomsk('2026-10-21 09:00'));
    expect(await draft(s.loads.math5A)).toEqual({ date: '2026-10-16', lessonNumber: 1, lessonId: null, plan: null });
    await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-16', lessonNumber: 1, topic: 'Вычитание дробей' });
    expect(await draft(s.loads.math5A)).toEqual({ date: '2026-10-21', lessonNumber: 2, lessonId: null, plan: null });
    await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-21', lessonNumber: 2, topic: 'Умножение дробей' });
    // Friday 23 October is still ahead: not offered, and not written. On 11 November it is next…
    expect(await draft(s.loads.math5A)).toEqual({ date: '2026-10-21', lessonNumber: null, lessonId: null, plan: null });
    expect((await s.math.session.fails('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-23', lessonNumber: 1, topic: 'Деление дробей' })).kind).toBe('validation');
    await s.travel(tomsk('2026-11-11 09:00'));
    expect(await draft(s.loads.math5A)).toEqual({ date: '2026-10-23', lessonNumber: 1, lessonId: null, plan: null });
    await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-23', lessonNumber: 1, topic: 'Деление дробей' });
    // …then the autumn break (28 October – 4 November) is skipped: Friday 6 November.
    expect(await draft(s.loads.math5A)).toEqual({ date: '2026-11-06', lessonNumber: 1, lessonId: null, plan: null });
    // A lesson written without a number stands for the first lesson of its day.
    await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-11-06', topic: 'Задачи на дроби' });
    expect(await draft(s.loads.math5A)).toEqual({ date: '2026-11-11', lessonNumber: 2, lessonId: null, plan: null });
    // A page without a timetable starts today, without a number.
    expect(await s.primary.session.ok('journal.lessonDraft', { loadId: s.loads.math1A })).toEqual({ date: '2026-11-11', lessonNumber: null, lessonId: null, plan: null });
  });

  it('another teacher cannot open or create a lesson in a load that is not hers: refused, nothing written, nothing audited', async () => {
    const before = await lessonCount();
    const auditBefore = await newestAuditId(t);
    // Петрова teaches Russian in 5А and leads the class: she reads the mathematics page but does not write it.
    const opened = await s.russian.session.fails('journal.lessonDraft', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2 });
    expect(opened.kind).toBe('forbidden');
    expect(opened.message).toBe('Урок «Математика» в 5А записывает учитель этого предмета или заменяющий его по назначению в журнале замен.');
    expect((await s.russian.session.fails('journal.lessonDraft', { loadId: s.loads.math5A })).kind).toBe('forbidden');
    expect((await s.russian.session.fails('journal.lessonDraft', { loadId: s.loads.english5A2, date: '2026-10-14', lessonNumber: 4 })).kind).toBe('forbidden');
    // Her lessons list does not show Иванова's.
    expect((await s.russian.session.ok('timetable.today', {})).lessons.map((l) => [l.lessonNumber, l.subjectName])).toEqual([[5, 'Русский язык']]);
    // Writing it directly is refused the same way.
    const created = await s.russian.session.fails('journal.saveLesson', { loadId: s.loads.english5A2, date: '2026-10-14', lessonNumber: 4, topic: 'Чужой урок', planRowId: 1 });
    expect(created.kind).toBe('forbidden');
    // The deputy has no right to write lessons at all.
    expect((await s.deputy.session.fails('journal.lessonDraft', { loadId: s.loads.math5A })).kind).toBe('forbidden');
    expect(await lessonCount()).toBe(before);
    expect(await newestAuditId(t)).toBe(auditBefore);
  });

  it('with a КТП: a lesson from the timetable takes the next topic and its homework; deleting the lesson frees the topic', async () => {
    const db = t.core.store.db;
    const at = '2026-08-30T00:00:00.000Z';
    const planOf = async (loadId: number, teacherId: number) =>
      (await db.insertInto('plan').values({ load_id: loadId, year_id: s.yearId, status: 'approved', hours_note: '', review_comment: '', submitted_at: null, submitted_by: null, decided_at: null, decided_by: null, created_at: at, created_by: teacherId, updated_at: at, updated_by: teacherId, version: 1 }).returning('id').executeTakeFirstOrThrow()).id;
    const row = async (planId: number, number: number, topic: string, hours: number, homework: string) =>
      (await db.insertInto('plan_row').values({ plan_id: planId, number, section: 'Unit 2', topic, hours, planned_date: null, planned_week: null, control_work: 0, work_type_id: null, homework }).returningAll().executeTakeFirstOrThrow()).id;
    const english = await planOf(s.loads.english5A2, s.math.id);
    const first = await row(english, 1, 'Настоящее простое время (Present Simple)', 1, 'Упр. 1, с. 10');
    const second = await row(english, 2, 'Вопросительные предложения', 2, 'Упр. 3, с. 12');
    const russianRow = await row(await planOf(s.loads.russian5A, s.russian.id), 1, 'Язык и человек', 1, '§ 1');
    const linkOf = async (lessonId: number) => (await db.selectFrom('lesson').select('plan_row_id').where('id', '=', lessonId).executeTakeFirstOrThrow()).plan_row_id;

    // Today's 4th lesson, opened from the home page: the plan's first topic and its homework.
    const opened = await s.math.session.ok('journal.lessonDraft', { loadId: s.loads.english5A2, date: '2026-10-14', lessonNumber: 4 });
    expect(opened).toEqual({ date: '2026-10-14', lessonNumber: 4, lessonId: null, plan: { rowId: first, number: 1, topic: 'Настоящее простое время (Present Simple)', homework: 'Упр. 1, с. 10' } });
    const lessonsBefore = await lessonCount();
    const given = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.english5A2, date: '2026-10-14', lessonNumber: 4, topic: opened.plan!.topic, homework: opened.plan!.homework, planRowId: first });
    expect(given).toMatchObject({ date: '2026-10-14', lessonNumber: 4, topic: 'Настоящее простое время (Present Simple)', homework: 'Упр. 1, с. 10' });
    expect(await linkOf(given.id)).toBe(first);
    expect((await s.math.session.ok('journal.lessonDraft', { loadId: s.loads.english5A2 })).plan).toMatchObject({ rowId: second, number: 2 });

    // The same row twice, or another page's row: refused, nothing written, nothing audited.
    const auditBefore = await newestAuditId(t);
    const twice = await s.math.session.fails('journal.saveLesson', { loadId: s.loads.english5A2, date: '2026-10-07', lessonNumber: 4, topic: 'Present Simple', planRowId: first });
    expect(twice).toMatchObject({ kind: 'conflict', message: 'Урок № 1 по КТП («Настоящее простое время (Present Simple)») уже дан. Откройте страницу заново: будет предложена следующая тема.' });
    const foreign = await s.math.session.fails('journal.saveLesson', { loadId: s.loads.english5A2, date: '2026-10-07', lessonNumber: 4, topic: 'Язык и человек', planRowId: russianRow });
    expect(foreign).toMatchObject({ kind: 'validation', message: 'Этой темы нет в КТП этого предмета и класса.' });
    expect(await lessonCount()).toBe(lessonsBefore + 1);
    expect(await newestAuditId(t)).toBe(auditBefore);

    // A topic of her own (no plan row): written, linked to nothing, the plan's next topic unchanged.
    const own = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.english5A2, date: '2026-10-07', lessonNumber: 4, topic: 'Повторение: числительные' });
    expect(await linkOf(own.id)).toBeNull();
    expect((await s.math.session.ok('journal.lessonDraft', { loadId: s.loads.english5A2 })).plan).toMatchObject({ number: 2 });

    // The given lesson deleted: its topic is the next one again.
    await s.math.session.ok('journal.deleteLesson', { lessonId: given.id, version: given.version, idempotencyKey: crypto.randomUUID() });
    expect(await s.math.session.ok('journal.lessonDraft', { loadId: s.loads.english5A2, date: '2026-10-14', lessonNumber: 4 })).toEqual(opened);
  });
});
