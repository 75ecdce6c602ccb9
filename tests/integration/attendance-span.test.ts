import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// The class teacher's attendance beyond one day: the week around a date, day by day, and the
// study period's totals per student. 5А; today is Wednesday 14 October 2026 (I четверть,
// 01.09–25.10.2026).

describe.each(engines)('attendance over a week and a period on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
    await s.travel(tomsk('2026-10-14 14:30'));
    // Monday 12.10: Volkov misses mathematics and Russian; Wednesday 14.10: Volkov misses
    // mathematics again, Belova is late; Friday 02.10 (an earlier week): Egorova misses mathematics.
    const absent = async (teacher: JournalSchool['math'], loadId: number, date: string, lessonNumber: number, marks: [number, 'ОТ' | 'ОП'][]) => {
      const lesson = await teacher.session.ok('journal.saveLesson', { loadId, date, lessonNumber, topic: 'Тема' });
      for (const [studentId, code] of marks) await teacher.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId, code, version: 0 });
    };
    await absent(s.math, s.loads.math5A, '2026-10-12', 1, [[s.students.volkov, 'ОТ']]);
    await absent(s.russian, s.loads.russian5A, '2026-10-12', 2, [[s.students.volkov, 'ОТ']]);
    await absent(s.math, s.loads.math5A, '2026-10-14', 1, [[s.students.volkov, 'ОТ'], [s.students.belova, 'ОП']]);
    await absent(s.math, s.loads.math5A, '2026-10-02', 1, [[s.students.egorova, 'ОТ']]);
    await s.russian.session.ok('attendance.resolveDay', { classId: s.class5A, studentId: s.students.volkov, date: '2026-10-12', code: 'Б' });
  });
  afterAll(async () => t?.close());

  it('the week shows each school day with lessons and each student\'s codes by day', async () => {
    const week = await s.russian.session.ok('attendance.classSpan', { classId: s.class5A, date: '2026-10-14', span: 'week' });
    expect(week).toMatchObject({ className: '5А', title: 'Неделя 12.10.2026–18.10.2026', from: '2026-10-12', to: '2026-10-18' });
    expect(week.days).toEqual([
      { date: '2026-10-12', lessons: 2 },
      { date: '2026-10-14', lessons: 1 },
    ]);
    const volkov = week.students.find((student) => student.studentId === s.students.volkov)!;
    expect(volkov.cells).toEqual([
      { date: '2026-10-12', code: 'Б', count: 2 },
      { date: '2026-10-14', code: 'ОТ', count: 1 },
    ]);
    expect(volkov.totals).toEqual([
      { code: 'ОТ', count: 1 },
      { code: 'Б', count: 2 },
    ]);
    // Egorova's absence was in an earlier week.
    expect(week.students.find((student) => student.studentId === s.students.egorova)!.cells).toEqual([]);
    expect(week.students.map((student) => student.studentId)).not.toContain(s.departed);
  });

  it('the period adds up every week of the quarter', async () => {
    const period = await s.russian.session.ok('attendance.classSpan', { classId: s.class5A, date: '2026-10-14', span: 'period' });
    expect(period).toMatchObject({ title: 'I четверть', from: '2026-09-01', to: '2026-10-25' });
    expect(period.days.map((day) => day.date)).toEqual(['2026-10-02', '2026-10-12', '2026-10-14']);
    const totals = Object.fromEntries(period.students.map((student) => [student.studentId, student.totals]));
    expect(totals[s.students.volkov]).toEqual([
      { code: 'ОТ', count: 1 },
      { code: 'Б', count: 2 },
    ]);
    expect(totals[s.students.egorova]).toEqual([{ code: 'ОТ', count: 1 }]);
    expect(totals[s.students.belova]).toEqual([{ code: 'ОП', count: 1 }]);
  });

  it('a subject teacher who does not lead the class is refused; a date outside every period is named', async () => {
    expect((await s.math.session.fails('attendance.classSpan', { classId: s.class5A, date: '2026-10-14', span: 'week' })).kind).toBe('forbidden');
    const holidays = await s.russian.session.fails('attendance.classSpan', { classId: s.class5A, date: '2026-10-28', span: 'period' });
    expect(holidays).toMatchObject({ kind: 'validation', message: '28.10.2026 не входит ни в один учебный период 5А.' });
    expect((await s.deputy.session.ok('attendance.classSpan', { classId: s.class5A, date: '2026-10-14', span: 'week' })).days).toHaveLength(2);
  });
});
