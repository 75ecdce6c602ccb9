import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// Lessons, marks and who sees what.

describe.each(engines)('the class journal page on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 14:30')));

  it('D-17: a lesson for a future date is refused; homework may be set ahead', async () => {
    const error = await s.math.session.fails('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-15', topic: 'Дроби' });
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('будущую дату');
    const lesson = await s.math.session.ok('journal.saveLesson', {
      loadId: s.loads.math5A,
      date: '2026-10-14',
      lessonNumber: 2,
      topic: 'Сложение дробей',
      homework: '№ 215, 217',
      homeworkFor: '2026-10-16',
      workTypeIds: [s.workTypes.oral],
    });
    expect(lesson).toMatchObject({ date: '2026-10-14', homeworkFor: '2026-10-16', substitution: false, givenByName: s.math.fullName, version: 1 });
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.period.id).toBe(s.periods.q1);
    expect(page.lessons.map((l) => l.topic)).toContain('Сложение дробей');
  });

  it('D-18: lateness is measured, never blocking — topic on the day, homework 1.5 h after the last lesson', async () => {
    // 5А's Wednesday ends at 12:15, so homework is due by 13:45.
    await s.travel(tomsk('2026-10-07 13:30'));
    const onTime = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-07', topic: 'Дроби', homework: '№ 200' });
    expect(onTime).toMatchObject({ topicLate: false, homeworkLate: false });
    await s.travel(tomsk('2026-10-07 15:00'));
    const homeworkLate = await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.russian5A, date: '2026-10-07', topic: 'Корни слов', homework: 'Упр. 45' });
    expect(homeworkLate).toMatchObject({ topicLate: false, homeworkLate: true });
    await s.travel(tomsk('2026-10-09 09:00'));
    const bothLate = await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.russian5A, date: '2026-10-08', topic: 'Приставки', homework: 'Упр. 50' });
    expect(bothLate).toMatchObject({ topicLate: true, homeworkLate: true });
  });

  it('D-20, D-21, D-22: several marks per cell on the school scale, special marks, weighted average', async () => {
    const lesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-13', topic: 'Вычитание дробей' });
    const cell = { lessonId: lesson.id, studentId: s.students.alekseev };
    await s.math.session.ok('journal.saveMark', { ...cell, value: '5', workTypeId: s.workTypes.oral });
    await s.math.session.ok('journal.saveMark', { ...cell, value: '3', workTypeId: s.workTypes.test, comment: 'ошибки в вычислениях' });
    await s.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.belova, value: 'ОСВ', workTypeId: s.workTypes.oral });
    for (const bad of ['6', '1', 'пять', '4+']) {
      const error = await s.math.session.fails('journal.saveMark', { ...cell, value: bad, workTypeId: s.workTypes.oral });
      expect(error.kind, bad).toBe('validation');
      expect(error.message).toContain('не входит в шкалу школы');
    }
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A, periodId: s.periods.q1 });
    const marks = page.marks.filter((m) => m.lessonId === lesson.id);
    expect(marks.filter((m) => m.studentId === s.students.alekseev).map((m) => [m.value, m.weight, m.comment])).toEqual([
      ['5', 1, ''],
      ['3', 2, 'ошибки в вычислениях'],
    ]);
    expect(marks.find((m) => m.studentId === s.students.belova)?.value).toBe('осв');
    const alekseev = page.students.find((st) => st.id === s.students.alekseev)!;
    // (5·1 + 3·2) / 3 = 3.67 → suggested 4.
    expect(alekseev.average).toBe(3.67);
    expect(alekseev.suggestedFinal).toBe('4');
    expect(page.students.find((st) => st.id === s.students.belova)!.average).toBeNull();
  });

  it('D-19: grades 0–1 refuse marks entirely; topics and attendance are kept', async () => {
    const lesson = await s.primary.session.ok('journal.saveLesson', { loadId: s.loads.math1A, date: '2026-10-14', topic: 'Счёт до 10' });
    const error = await s.primary.session.fails('journal.saveMark', { lessonId: lesson.id, studentId: s.students1A[0]!, value: '5', workTypeId: s.workTypes.oral });
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('безотметочное обучение');
    const final = await s.primary.session.fails('journal.setFinal', { loadId: s.loads.math1A, studentId: s.students1A[0]!, kind: 'period', periodId: s.periods.q1, value: '5', version: 0 });
    expect(final.message).toContain('безотметочное обучение');
    await s.primary.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId: s.students1A[1]!, code: 'ОТ', version: 0 });
    const page = await s.primary.session.ok('journal.page', { loadId: s.loads.math1A });
    expect(page.load.noMarks).toBe(true);
    expect(page.marks).toHaveLength(0);
    expect(page.attendance).toHaveLength(1);
  });

  it('D-24: a make-up mark goes into the missed lesson and the absence stays', async () => {
    await s.travel(tomsk('2026-10-12 10:00'));
    const lesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-12', topic: 'Смешанные числа' });
    await s.math.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId: s.students.volkov, code: 'ОТ', version: 0 });
    await s.travel(tomsk('2026-10-14 14:30'));
    const mark = await s.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.volkov, value: '4', workTypeId: s.workTypes.written, comment: 'отработка темы' });
    expect(mark).toMatchObject({ makeUp: true, late: false });
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.attendance.find((a) => a.lessonId === lesson.id && a.studentId === s.students.volkov)?.code).toBe('ОТ');
    expect(page.marks.find((m) => m.id === mark.id)?.makeUp).toBe(true);
  });

  it('a departed student disappears after the date; the earlier marks stay', async () => {
    await s.travel(tomsk('2026-10-02 10:00'));
    const before = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-02', topic: 'Десятичные дроби' });
    await s.math.session.ok('journal.saveMark', { lessonId: before.id, studentId: s.departed, value: '4', workTypeId: s.workTypes.oral });
    await s.travel(tomsk('2026-10-14 14:30'));
    const after = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', topic: 'Округление' });
    const refused = await s.math.session.fails('journal.saveMark', { lessonId: after.id, studentId: s.departed, value: '5', workTypeId: s.workTypes.oral });
    expect(refused.message).toContain('нет в списке');
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A, periodId: s.periods.q1 });
    expect(page.students.find((st) => st.id === s.departed)).toMatchObject({ to: '2026-10-05' });
    expect(page.marks.some((m) => m.studentId === s.departed && m.lessonId === before.id)).toBe(true);
    // Next quarter's list no longer has the student.
    const next = await s.math.session.ok('journal.page', { loadId: s.loads.math5A, periodId: s.periods.q2 });
    expect(next.students.map((st) => st.id)).not.toContain(s.departed);
    expect(next.students).toHaveLength(5);
  });

  it('subgroups: each group page lists only its members', async () => {
    const first = await s.english.session.ok('journal.page', { loadId: s.loads.english5A1 });
    expect(first.students.map((st) => st.fullName)).toEqual(['Алексеев Артём', 'Белова Дарья', 'Волков Никита']);
    const lesson = await s.english.session.ok('journal.saveLesson', { loadId: s.loads.english5A1, date: '2026-10-14', topic: 'Present Simple' });
    const error = await s.english.session.fails('journal.saveMark', { lessonId: lesson.id, studentId: s.students.egorova, value: '5', workTypeId: s.workTypes.oral });
    expect(error.message).toContain('нет в списке');
  });

  it('D-4, D-5: a teacher cannot read another teacher\'s page; the class teacher reads every page of the class', async () => {
    const foreign = await s.english.session.fails('journal.page', { loadId: s.loads.math5A });
    expect(foreign.kind).toBe('forbidden');
    const classTeacher = await s.russian.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(classTeacher).toMatchObject({ canEdit: false, load: { access: 'classTeacher' } });
    expect(classTeacher.lessons.every((l) => !l.editable)).toBe(true);
    const lessonId = classTeacher.lessons[0]!.id;
    const write = await s.russian.session.fails('journal.saveMark', { lessonId, studentId: s.students.alekseev, value: '5', workTypeId: s.workTypes.oral });
    expect(write.kind).toBe('forbidden');
    // The primary teacher leads 1А, not 5А.
    expect((await s.primary.session.fails('journal.page', { loadId: s.loads.math5A })).kind).toBe('forbidden');
    const loads = await s.russian.session.ok('journal.myLoads', {});
    expect(loads.map((l) => [l.subjectName, l.access])).toEqual(
      expect.arrayContaining([
        ['Математика', 'classTeacher'],
        ['Русский язык', 'own'],
      ]),
    );
    expect(loads.every((l) => l.className === '5А')).toBe(true);
  });

  it('D-1, D-2, D-8: the director and the deputy read everything and change no marks; medical sees no journal', async () => {
    const page = await s.deputy.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page).toMatchObject({ canEdit: false, load: { access: 'read' } });
    const lessonId = page.lessons[0]!.id;
    for (const staff of [s.deputy, s.director]) {
      const mark = await staff.session.fails('journal.saveMark', { lessonId, studentId: s.students.alekseev, value: '5', workTypeId: s.workTypes.oral });
      expect(mark.kind).toBe('forbidden');
      const lesson = await staff.session.fails('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', topic: 'x' });
      expect(lesson.kind).toBe('forbidden');
    }
    expect((await s.director.session.ok('journal.myLoads', {})).length).toBe(5);
    expect((await s.medical.session.fails('journal.page', { loadId: s.loads.math5A })).kind).toBe('forbidden');
  });

  it('a stale save gets `conflict` with the current value and who changed it; nothing is overwritten', async () => {
    const lesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 4, topic: 'Проценты' });
    const mark = await s.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.grigorieva, value: '4', workTypeId: s.workTypes.oral });
    // Another PC substitutes for the same lesson? No — the same teacher on a second PC changes it first.
    const secondPc = await s.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.grigorieva, markId: mark.id, version: mark.version, value: '5', workTypeId: s.workTypes.oral });
    const stale = await s.math.session.fails('journal.saveMark', { lessonId: lesson.id, studentId: s.students.grigorieva, markId: mark.id, version: mark.version, value: '3', workTypeId: s.workTypes.oral });
    expect(stale.kind).toBe('conflict');
    expect(stale.message).toContain(s.math.fullName);
    expect(stale.details).toMatchObject({ current: { value: '5', version: secondPc.version }, changedBy: { name: s.math.fullName } });
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.marks.find((m) => m.id === mark.id)?.value).toBe('5');

    await s.math.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId: s.students.egorova, code: 'ОП', version: 0 });
    const staleAbsence = await s.math.session.fails('journal.setAttendance', { lessonId: lesson.id, studentId: s.students.egorova, code: 'ОТ', version: 0 });
    expect(staleAbsence).toMatchObject({ kind: 'conflict', details: { current: { code: 'ОП' }, changedBy: { name: s.math.fullName } } });

    const staleLesson = await s.math.session.fails('journal.saveLesson', { loadId: s.loads.math5A, lessonId: lesson.id, version: 0, date: '2026-10-14', topic: 'Другое' });
    expect(staleLesson.kind).toBe('conflict');
  });

  it('a retried save with the same idempotency key is applied once', async () => {
    const lesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 5, topic: 'Повторение', idempotencyKey: 'lesson-retry-0001' });
    const again = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 5, topic: 'Повторение', idempotencyKey: 'lesson-retry-0001' });
    expect(again.id).toBe(lesson.id);
    const input = { lessonId: lesson.id, studentId: s.students.belova, value: '5', workTypeId: s.workTypes.oral, idempotencyKey: 'mark-retry-0001' };
    const first = await s.math.session.ok('journal.saveMark', input);
    const second = await s.math.session.ok('journal.saveMark', input);
    expect(second.id).toBe(first.id);
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.marks.filter((m) => m.lessonId === lesson.id && m.studentId === s.students.belova)).toHaveLength(1);
    expect(page.lessons.filter((l) => l.topic === 'Повторение')).toHaveLength(1);
  });

  it('a period final typed by mistake is taken back (empty, not put off): gone, audited; a stale take-back changes nothing', async () => {
    const set = { loadId: s.loads.math5A, studentId: s.students.belova, kind: 'period' as const, periodId: s.periods.q1 };
    const typed = await s.math.session.ok('journal.setFinal', { ...set, value: '3', version: 0 });
    const stale = await s.math.session.fails('journal.setFinal', { ...set, value: '', version: 0 });
    expect(stale.kind).toBe('conflict');
    expect((await s.math.session.ok('journal.page', { loadId: s.loads.math5A })).finals.filter((f) => f.studentId === s.students.belova).map((f) => f.value)).toEqual(['3']);

    const cleared = await s.math.session.ok('journal.setFinal', { ...set, value: '', version: typed.version });
    expect(cleared).toMatchObject({ value: '', deferred: false, version: 0 });
    expect((await s.math.session.ok('journal.page', { loadId: s.loads.math5A })).finals.filter((f) => f.studentId === s.students.belova)).toEqual([]);
    const trail = await t.core.store.db.selectFrom('audit_log').select(['action', 'after_json']).where('action', '=', 'final.set').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(trail.after_json).toBe('null');
    // Set again from nothing.
    expect((await s.math.session.ok('journal.setFinal', { ...set, value: '4', version: 0 })).value).toBe('4');
  });
});
