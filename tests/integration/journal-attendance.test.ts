import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// Attendance (D-27, D-28).

describe.each(engines)('attendance on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 14:30')));

  it('D-27, D-28: teachers mark ОТ/ОП; the class teacher sees today\'s unresolved ОТ and resolves a whole day at once', async () => {
    const mathLesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Дроби' });
    const russianLesson = await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.russian5A, date: '2026-10-14', lessonNumber: 5, topic: 'Суффиксы' });
    await s.math.session.ok('journal.setAttendance', { lessonId: mathLesson.id, studentId: s.students.volkov, code: 'ОТ', version: 0 });
    await s.math.session.ok('journal.setAttendance', { lessonId: mathLesson.id, studentId: s.students.belova, code: 'ОП', version: 0 });
    await s.russian.session.ok('journal.setAttendance', { lessonId: russianLesson.id, studentId: s.students.volkov, code: 'ОТ', version: 0 });
    await s.russian.session.ok('journal.setAttendance', { lessonId: russianLesson.id, studentId: s.students.egorova, code: 'ОТ', version: 0 });
    // The subject teacher cannot give reasons.
    const notAllowed = await s.math.session.raw('attendance.resolve', { lessonId: mathLesson.id, studentId: s.students.volkov, code: 'Б', version: 1 });
    expect(notAllowed.ok ? 'ok' : notAllowed.error.kind).toBe('forbidden');

    const day = await s.russian.session.ok('attendance.classDay', { classId: s.class5A, date: '2026-10-14' });
    expect(day).toMatchObject({ className: '5А', canResolve: true, unresolvedTotal: 3 });
    expect(day.lessons.map((l) => l.subjectName)).toEqual(['Математика', 'Русский язык']);
    expect(day.students.find((st) => st.studentId === s.students.volkov)).toMatchObject({ unresolved: 2 });
    expect(day.students.find((st) => st.studentId === s.students.belova)).toMatchObject({ unresolved: 0, cells: [{ code: 'ОП' }] });
    expect(day.students.map((st) => st.studentId)).not.toContain(s.departed);

    const { changed } = await s.russian.session.ok('attendance.resolveDay', { classId: s.class5A, studentId: s.students.volkov, date: '2026-10-14', code: 'Б' });
    expect(changed).toBe(2);
    const egorova = day.students.find((st) => st.studentId === s.students.egorova)!.cells[0]!;
    await s.russian.session.ok('attendance.resolve', { lessonId: egorova.lessonId, studentId: s.students.egorova, code: 'УП', version: egorova.version });
    const resolved = await s.russian.session.ok('attendance.classDay', { classId: s.class5A, date: '2026-10-14' });
    expect(resolved.unresolvedTotal).toBe(0);
    expect(resolved.students.find((st) => st.studentId === s.students.volkov)!.cells.map((c) => c.code)).toEqual(['Б', 'Б']);

    // The subject page shows the reasons; the teacher may no longer overwrite them.
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    const cell = page.attendance.find((a) => a.lessonId === mathLesson.id && a.studentId === s.students.volkov)!;
    expect(cell.code).toBe('Б');
    expect((await s.math.session.fails('journal.setAttendance', { lessonId: mathLesson.id, studentId: s.students.volkov, code: null, version: cell.version })).kind).toBe('forbidden');
    const history = await s.math.session.ok('journal.cellHistory', { lessonId: mathLesson.id, studentId: s.students.volkov });
    expect(history.map((h) => [h.action, h.userName, h.before, h.after])).toEqual([
      ['attendance.resolve', s.russian.fullName, { code: 'ОТ' }, { code: 'Б' }],
      ['attendance.set', s.math.fullName, null, { code: 'ОТ' }],
    ]);
  });

  it('a present student is cleared; only the class teacher and the administration see the class day', async () => {
    const lesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-13', topic: 'Проценты' });
    const absent = await s.math.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId: s.students.alekseev, code: 'ОТ', version: 0 });
    const cleared = await s.math.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId: s.students.alekseev, code: null, version: absent.version });
    expect(cleared.code).toBeNull();
    expect((await s.math.session.fails('attendance.classDay', { classId: s.class5A, date: '2026-10-13' })).kind).toBe('forbidden');
    expect((await s.deputy.session.ok('attendance.classDay', { classId: s.class5A, date: '2026-10-13' })).canResolve).toBe(false);
    expect((await s.primary.session.fails('attendance.resolveDay', { classId: s.class5A, studentId: s.students.alekseev, date: '2026-10-13', code: 'Б' })).kind).toBe('forbidden');
  });

  it('D-25: the class teacher\'s reasons are locked after the window too; a request to the administration applies them', async () => {
    await s.travel(tomsk('2026-09-23 10:00'));
    const lesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-09-23', topic: 'Уравнения' });
    const absent = await s.math.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId: s.students.grigorieva, code: 'ОТ', version: 0 });
    await s.travel(tomsk('2026-10-14 14:30'));
    const lockedError = await s.russian.session.fails('attendance.resolve', { lessonId: lesson.id, studentId: s.students.grigorieva, code: 'Б', version: absent.version });
    expect(lockedError.kind).toBe('locked');
    const { id } = await s.russian.session.ok('changes.request', { target: { kind: 'attendance', lessonId: lesson.id, studentId: s.students.grigorieva, code: 'Б' }, reason: 'Справка из поликлиники принесена поздно' });
    await s.admin.ok('changes.approve', { id });
    const page = await s.deputy.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.attendance.find((a) => a.lessonId === lesson.id && a.studentId === s.students.grigorieva)?.code).toBe('Б');
  });
});
