import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportView } from '../../src-shared/contract/reports';
import { createSchoolAndSignIn, signIn } from '../support/client';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, PASSWORD, tomsk, type JournalSchool } from '../support/journal-fixture';
import { runZhurnal as zhurnal } from '../support/cli';

// The reports on a hand-built school (tests/support/journal-fixture.ts: 5А with six
// students, Давыдов leaves on 05.10.2026, English in two subgroups; 1А without marks). The
// journal below is written straight into the database; every expected figure is counted
// by hand in the comments, not by the code under test.

/** Cells of the rows, by column key, in order: what the person sees in the table. */
function table(report: ReportView, keys: string[]) {
  return report.rows.map((r) => Object.fromEntries(keys.map((k) => [k, r.cells[k] ?? null])));
}

describe.each(engines)('reports on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  const lessons: Record<string, number> = {};

  beforeAll(async () => {
    t = await startTestCore(engine, { logError: () => {} });
    s = await buildJournalSchool(t);
    const db = t.core.store.db;
    const at = '2026-10-01T00:00:00.000Z';
    const lesson = async (name: string, loadId: number, teacherId: number, date: string, topic: string, homework: string, late: { topic?: 1; homework?: 1 } = {}) => {
      const row = await db
        .insertInto('lesson')
        .values({
          load_id: loadId,
          date,
          lesson_number: 2,
          topic,
          material: '',
          homework,
          homework_for: null,
          work_types: '[]',
          comment: '',
          given_by: teacherId,
          substitution: 0,
          created_at: at,
          created_by: teacherId,
          topic_entered_at: topic ? at : null,
          homework_entered_at: homework ? at : null,
          topic_late: late.topic ?? 0,
          homework_late: late.homework ?? 0,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      lessons[name] = row.id;
    };
    // Mathematics 5А (Иванова): 4 lessons; L2 without topic and homework, L3 without homework
    // and its topic late, L4's homework late.
    await lesson('L1', s.loads.math5A, s.math.id, '2026-09-02', 'Натуральные числа', 'стр. 5');
    await lesson('L2', s.loads.math5A, s.math.id, '2026-09-09', '', '');
    await lesson('L3', s.loads.math5A, s.math.id, '2026-09-16', 'Дроби', '', { topic: 1 });
    await lesson('L4', s.loads.math5A, s.math.id, '2026-10-07', 'Уравнения', '№ 12', { homework: 1 });
    // Russian 5А (Петрова, class teacher): R2 without topic.
    await lesson('R1', s.loads.russian5A, s.russian.id, '2026-09-02', 'Фонетика', 'упр. 3');
    await lesson('R2', s.loads.russian5A, s.russian.id, '2026-09-09', '', 'упр. 7');
    // English 5А group 1 (Сидоров): without homework. Group 2 (Иванова): no lessons.
    await lesson('E1', s.loads.english5A1, s.english.id, '2026-09-03', 'Greetings', '');
    // Mathematics 1А (Кузнецова): without homework; the class has no marks (D-19).
    await lesson('P1', s.loads.math1A, s.primary.id, '2026-09-02', 'Счёт', '');

    const mark = (lessonName: string, studentId: number, value: string, late = 0) =>
      db
        .insertInto('mark')
        .values({ lesson_id: lessons[lessonName]!, student_id: studentId, value, work_type_id: s.workTypes.oral, comment: '', make_up: 0, created_at: at, created_by: s.math.id, updated_at: at, updated_by: s.math.id, version: 1, late })
        .execute();
    const st = s.students;
    await mark('L1', st.alekseev, '5');
    await mark('L3', st.alekseev, '4');
    await mark('L1', st.belova, '3');
    await mark('L2', st.grigorieva, 'н/а'); // not a mark: Григорьева has none
    await mark('L1', st.davydov, '4');
    await mark('L2', st.davydov, '5');
    await mark('L4', st.egorova, '5', 1); // marked after its due days
    await mark('R1', st.alekseev, '5');
    await mark('E1', st.alekseev, '4');
    await mark('E1', st.belova, '4');

    const absent = (lessonName: string, studentId: number, code: string) =>
      db.insertInto('attendance').values({ lesson_id: lessons[lessonName]!, student_id: studentId, code, updated_at: at, updated_by: s.math.id, version: 1 }).execute();
    await absent('L2', st.volkov, 'ОТ');
    await absent('L2', st.belova, 'Б');
    await absent('L4', st.volkov, 'НП');
    await absent('L4', st.egorova, 'ОП'); // late, not missed
    await absent('R1', st.grigorieva, 'УП');
    await absent('E1', st.volkov, 'Б');

    const final = (loadId: number, studentId: number, periodId: number, value: string, updatedAt = '2026-10-24T05:00:00.000Z', deferred = 0) =>
      db
        .insertInto('final_mark')
        .values({ load_id: loadId, student_id: studentId, kind: 'period', period_id: periodId, value, suggested: '', deferred, updated_at: updatedAt, updated_by: s.math.id, version: 1 })
        .execute();
    const q1 = s.periods.q1;
    for (const [studentId, value] of [
      [st.alekseev, '5'],
      [st.belova, '4'],
      [st.volkov, '2'],
      [st.grigorieva, 'н/а'],
      [st.egorova, '5'],
      [st.davydov, '4'], // left on 05.10: not on the list at the period's end
    ] as const)
      await final(s.loads.math5A, studentId, q1, value);
    for (const [studentId, value] of [
      [st.alekseev, '5'],
      [st.belova, '3'],
      [st.volkov, '3'],
      [st.grigorieva, '4'],
      [st.egorova, '4'],
    ] as const)
      await final(s.loads.russian5A, studentId, q1, value);
    await final(s.loads.english5A1, st.alekseev, q1, '5');
    await final(s.loads.english5A1, st.belova, q1, '4');
    await final(s.loads.english5A1, st.volkov, q1, '3');
    await final(s.loads.english5A2, st.grigorieva, q1, '', undefined, 1); // deferred: not counted
    // Егорова moved between the groups: two finals in English, the later one counts, once.
    await final(s.loads.english5A2, st.egorova, q1, '4', '2026-10-20T05:00:00.000Z');
    await final(s.loads.english5A1, st.egorova, q1, '5', '2026-10-22T05:00:00.000Z');
    // II четверть: mathematics only.
    for (const [studentId, value] of [
      [st.alekseev, '5'],
      [st.belova, '4'],
      [st.volkov, '3'],
      [st.grigorieva, '4'],
      [st.egorova, '4'],
    ] as const)
      await final(s.loads.math5A, studentId, s.periods.q2, value, '2026-12-27T05:00:00.000Z');
  }, 240_000);
  afterAll(async () => t?.close());

  const range = { from: '2026-09-01', to: '2026-10-14' };
  const controlKeys = ['teacher', 'class', 'subject', 'lessons', 'noTopic', 'noTopicShare', 'noHomework', 'noHomeworkShare', 'topicLate', 'homeworkLate', 'marksLate', 'noMarks', 'oneMark', 'unresolved'];

  it('«Контроль ведения журнала» counts each load for the deputy, with a total', async () => {
    const report = await s.deputy.session.ok('reports.run', { form: 'control', ...range });
    expect(report.title).toBe('Контроль ведения журнала');
    expect(report.subtitle).toBe('01.09.2026 – 14.10.2026');
    expect(report.columns.map((c) => c.title)).toContain('Невыясненные «ОТ»');
    const line = (teacher: string, cls: string, subject: string, n: number[], shares: [number | null, number | null], marks: [number | null, number | null]) => ({
      teacher,
      class: cls,
      subject,
      lessons: n[0],
      noTopic: n[1],
      noTopicShare: shares[0],
      noHomework: n[2],
      noHomeworkShare: shares[1],
      topicLate: n[3],
      homeworkLate: n[4],
      marksLate: n[5],
      noMarks: marks[0],
      oneMark: marks[1],
      unresolved: n[6],
    });
    expect(table(report, controlKeys)).toEqual([
      // Mathematics: 4 lessons, L2 without topic (1/4), L2 and L3 without homework (2/4);
      // on the list all six (Давыдов until 05.10): Волков and Григорьева («н/а» is no mark)
      // without marks, Белова and Егорова with one; Волков's «ОТ» unresolved.
      line('Иванова М. С.', '5А', 'Математика', [4, 1, 2, 1, 1, 1, 1], [0.25, 0.5], [2, 2]),
      // English group 2: no lessons, its three students without marks.
      line('Иванова М. С.', '5А', 'Иностранный язык (английский) (2 группа)', [0, 0, 0, 0, 0, 0, 0], [null, null], [3, 0]),
      // 1А has no marks: those columns empty.
      line('Кузнецова Е. И.', '1А', 'Математика', [1, 0, 1, 0, 0, 0, 0], [0, 1], [null, null]),
      // Russian: Алексеев alone has a mark; the other five none.
      line('Петрова А. В.', '5А', 'Русский язык', [2, 1, 0, 0, 0, 0, 0], [0.5, 0], [5, 1]),
      // English group 1: Алексеев and Белова one mark each, Волков none.
      line('Сидоров П. А.', '5А', 'Иностранный язык (английский) (1 группа)', [1, 0, 1, 0, 0, 0, 0], [0, 1], [1, 2]),
      line('Итого', '', '', [8, 2, 4, 1, 1, 1, 1], [0.25, 0.5], [11, 5]),
    ]);
    expect(report.rows.at(-1)!.total).toBe(true);
    expect(report.signatures[0]).toMatch(/^Заместитель директора по УВР/);
  });

  it('drills down from a load to its lessons without a topic', async () => {
    const report = await s.deputy.session.ok('reports.run', { form: 'control', ...range });
    const drill = report.rows[0]!.drill!;
    expect(drill).toMatchObject({ form: 'controlLessons', loadId: s.loads.math5A });
    const lessonsWithoutTopic = await s.deputy.session.ok('reports.run', { ...drill, form: 'controlLessons', issue: 'noTopic' });
    expect(table(lessonsWithoutTopic, ['date', 'class', 'subject', 'topic', 'homework'])).toEqual([
      { date: '2026-09-09', class: '5А', subject: 'Математика', topic: '— нет —', homework: '— нет —' },
    ]);
    const late = await s.deputy.session.ok('reports.run', { form: 'controlLessons', ...range, teacherId: s.math.id, issue: 'late' });
    expect(table(late, ['date', 'late'])).toEqual([
      { date: '2026-09-16', late: 'тема' },
      { date: '2026-10-07', late: 'д/з' },
    ]);
  });

  it('a teacher sees only their own loads; a class teacher the whole class; nobody else', async () => {
    const own = await s.english.session.ok('reports.run', { form: 'control', ...range });
    expect(own.rows.map((r) => r.cells.subject)).toEqual(['Иностранный язык (английский) (1 группа)']);
    // Петрова leads 5А: every subject of 5А, not 1А.
    const classTeacher = await s.russian.session.ok('reports.run', { form: 'control', ...range });
    expect(classTeacher.rows.filter((r) => !r.total).map((r) => r.cells.class)).toEqual(['5А', '5А', '5А', '5А']);
    const before = await newestAuditId(t);
    expect((await s.english.session.fails('reports.run', { form: 'control', ...range, classId: s.class1A })).kind).toBe('forbidden');
    expect((await s.english.session.fails('reports.run', { form: 'control', ...range, teacherId: s.math.id })).kind).toBe('forbidden');
    expect((await s.english.session.fails('reports.run', { form: 'controlLessons', ...range, loadId: s.loads.math5A })).kind).toBe('forbidden');
    expect((await s.english.session.fails('reports.file', { form: 'results', periodId: s.periods.q1, classId: s.class1A, format: 'xlsx' })).kind).toBe('forbidden');
    expect((await s.english.session.fails('reports.run', { form: 'attendanceByMonth', classId: s.class5A, ...range })).kind).toBe('forbidden');
    expect((await s.english.session.fails('reports.controlSummary', {})).kind).toBe('forbidden');
    expect((await s.medical.session.fails('reports.forms', {})).kind).toBe('forbidden');
    expect(await newestAuditId(t)).toBe(before);
  });

  it('refuses reversed or half-given dates in Russian', async () => {
    const reversed = await s.deputy.session.fails('reports.run', { form: 'control', from: '2026-10-14', to: '2026-09-01' });
    expect(reversed).toMatchObject({ kind: 'validation', message: 'Дата окончания раньше даты начала.' });
    expect((await s.deputy.session.fails('reports.run', { form: 'control', from: '2026-10-14' })).kind).toBe('validation');
    expect((await s.deputy.session.fails('reports.run', { form: 'results', ...range })).message).toMatch(/выберите четверть/);
  });

  it('«Итоги успеваемости» by class: students while enrolled, once per subject, no deferred finals', async () => {
    const report = await s.deputy.session.ok('reports.run', { form: 'results', periodId: s.periods.q1 });
    expect(report.subtitle).toBe('I четверть 2026/2027 учебного года · по классам');
    // At 25.10: Алексеев 5 5 5 (отличник), Белова 4 3 4 (одна «3»), Волков 2 3 3 (неуспевающий),
    // Григорьева н/а 4 (English deferred), Егорова 5 4 5 (хорошистка; English 5 from group 1, the later).
    // Успеваемость 3/5, качество 2/5; средний балл 52/13 = 4; СОУ (5·1 + 4·0.64 + 3·0.36 + 1·0.16)/14.
    expect(report.rows).toHaveLength(1);
    const cells = report.rows[0]!.cells;
    expect(cells).toMatchObject({ name: '5А', students: 5, excellent: 1, good: 1, oneThree: 1, failing: 1, notAttested: 1, noFinals: 0, success: 0.6, quality: 0.4, average: 4 });
    expect(cells.degree).toBeCloseTo(8.8 / 14, 10);
    expect(report.columns.some((c) => c.key === 'successBefore')).toBe(false); // the first quarter has none before it
    expect(report.notes.join(' ')).toContain('Без отметок (безотметочное обучение): 1А.');
    expect(report.chart).toEqual({ kind: 'bar', title: 'Успеваемость и качество по классам', categories: ['5А'], series: [{ name: 'Успеваемость, %', values: [60] }, { name: 'Качество, %', values: [40] }], unit: '%', max: 100 });
    expect(report.signatures).toEqual(['Заместитель директора по УВР ____________________', 'Директор ____________________ Морозов В. П.']);
  });

  it('compares with the previous period', async () => {
    // II четверть, mathematics only: 5 / 4 / 3 / 4 / 4 — one отличник, three хорошисты, Волков with one «3».
    const report = await s.director.session.ok('reports.run', { form: 'results', periodId: s.periods.q2, classId: s.class5A });
    expect(report.rows[0]!.cells).toMatchObject({ students: 5, excellent: 1, good: 3, oneThree: 1, failing: 0, success: 1, quality: 0.8, average: 4, successBefore: 0.6, qualityBefore: 0.4 });
    expect(report.columns.find((c) => c.key === 'successBefore')!.title).toBe('Успеваемость, % (I четверть)');
  });

  it('«Итоги успеваемости» by subject and, for a teacher, only their own finals', async () => {
    const report = await s.deputy.session.ok('reports.run', { form: 'results', periodId: s.periods.q1, groupBy: 'subject' });
    expect(table(report, ['name', 'students', 'excellent', 'good', 'oneThree', 'failing', 'notAttested', 'success', 'quality', 'average'])).toEqual([
      // Математика: 5 4 2 н/а 5 (Давыдов left).
      { name: 'Математика', students: 5, excellent: 2, good: 1, oneThree: 0, failing: 1, notAttested: 1, success: 0.6, quality: 0.6, average: 4 },
      { name: 'Русский язык', students: 5, excellent: 1, good: 2, oneThree: 2, failing: 0, notAttested: 0, success: 1, quality: 0.6, average: 3.8 },
      // English: 5 4 3 and Егорова's later 5; Григорьева deferred.
      { name: 'Иностранный язык (английский)', students: 4, excellent: 2, good: 1, oneThree: 1, failing: 0, notAttested: 0, success: 1, quality: 0.75, average: 4.25 },
      { name: 'Итого по школе', students: 14, excellent: 5, good: 4, oneThree: 3, failing: 1, notAttested: 1, success: 12 / 14, quality: 9 / 14, average: 52 / 13 },
    ]);
    const own = await s.english.session.ok('reports.run', { form: 'results', periodId: s.periods.q1, groupBy: 'teacher' });
    expect(table(own, ['name', 'students', 'excellent'])).toEqual([{ name: 'Сидоров Павел Андреевич', students: 4, excellent: 2 }]);
  });

  it('«Посещаемость класса по месяцам»: illness apart, lateness not counted', async () => {
    const report = await s.russian.session.ok('reports.run', { form: 'attendanceByMonth', classId: s.class5A, ...range });
    expect(report.subtitle).toBe('5А класс · 01.09.2026 – 14.10.2026');
    expect(table(report, ['student', '2026-09:all', '2026-09:ill', '2026-10:all', '2026-10:ill', 'total', 'totalIll', 'unexcused'])).toEqual([
      { student: 'Алексеев Артём', '2026-09:all': 0, '2026-09:ill': 0, '2026-10:all': 0, '2026-10:ill': 0, total: 0, totalIll: 0, unexcused: 0 },
      { student: 'Белова Дарья', '2026-09:all': 1, '2026-09:ill': 1, '2026-10:all': 0, '2026-10:ill': 0, total: 1, totalIll: 1, unexcused: 0 },
      { student: 'Волков Никита', '2026-09:all': 2, '2026-09:ill': 1, '2026-10:all': 1, '2026-10:ill': 0, total: 3, totalIll: 1, unexcused: 1 },
      { student: 'Григорьева Софья', '2026-09:all': 1, '2026-09:ill': 0, '2026-10:all': 0, '2026-10:ill': 0, total: 1, totalIll: 0, unexcused: 0 },
      { student: 'Давыдов Максим (выб. 05.10.2026)', '2026-09:all': 0, '2026-09:ill': 0, '2026-10:all': 0, '2026-10:ill': 0, total: 0, totalIll: 0, unexcused: 0 },
      { student: 'Егорова Полина', '2026-09:all': 0, '2026-09:ill': 0, '2026-10:all': 0, '2026-10:ill': 0, total: 0, totalIll: 0, unexcused: 0 },
      { student: 'Итого по классу', '2026-09:all': 4, '2026-09:ill': 2, '2026-10:all': 1, '2026-10:ill': 0, total: 5, totalIll: 2, unexcused: 1 },
    ]);
    expect(report.columns.find((c) => c.key === '2026-09:ill')!.title).toBe('сентябрь: по болезни');
    expect(report.notes.join(' ')).toContain('Невыясненных «ОТ» за эти даты: 1');
  });

  it('«Отчёт классного руководителя»: weighted averages by subject, absences, students at risk; preliminary while the period runs', async () => {
    const report = await s.russian.session.ok('reports.run', { form: 'classTeacher', classId: s.class5A, ...range });
    expect(report.subtitle).toBe('5А класс · 01.09.2026 – 14.10.2026 · предварительный');
    expect(report.columns.map((c) => c.title)).toEqual(['Ученик', 'Математика', 'Русский язык', 'Иностранный язык (английский)', 'Пропущено уроков', 'Из них по болезни', 'Группа риска']);
    const keys = report.columns.map((c) => c.key);
    // All marks are oral (weight 1): Алексеев 5 and 4 → 4,5 in mathematics; Григорьева's «н/а» puts her at risk.
    expect(report.rows.map((r) => keys.map((k) => r.cells[k] ?? null))).toEqual([
      ['Алексеев Артём', 4.5, 5, 4, 0, 0, ''],
      ['Белова Дарья', 3, null, 4, 1, 1, ''],
      ['Волков Никита', null, null, null, 3, 1, ''],
      ['Григорьева Софья', null, null, null, 1, 0, '«н/а»: Математика'],
      ['Давыдов Максим', 4.5, null, null, 0, 0, ''],
      ['Егорова Полина', 5, null, null, 0, 0, ''],
    ]);
    expect(report.signatures).toEqual(['Классный руководитель ____________________ Петрова А. В.']);
    expect((await s.english.session.fails('reports.run', { form: 'classTeacher', classId: s.class5A, ...range })).kind).toBe('forbidden');
  });

  it('the deputy’s control summary: the worst teachers and classes, every figure with its list', async () => {
    const summary = await s.deputy.session.ok('reports.controlSummary', range);
    const measure = (key: string) => summary.measures.find((m) => m.key === key)!;
    expect(measure('noTopic')).toMatchObject({
      total: 2,
      worstTeachers: [
        { label: 'Иванова М. С.', value: 1 },
        { label: 'Петрова А. В.', value: 1 },
      ],
      worstClasses: [{ label: '5А', value: 2 }],
    });
    expect(measure('noTopic').worstTeachers[0]!.drill).toMatchObject({ form: 'controlLessons', issue: 'noTopic', teacherId: s.math.id, from: range.from, to: range.to });
    expect(measure('late')).toMatchObject({ total: 2, worstTeachers: [{ label: 'Иванова М. С.', value: 2 }] });
    // 11 without marks + 5 with one: Иванова 4 + 3, Петрова 6, Сидоров 3; 1А not counted.
    expect(measure('accumulation').worstTeachers.map((e) => [e.label, e.value])).toEqual([
      ['Иванова М. С.', 7],
      ['Петрова А. В.', 6],
      ['Сидоров П. А.', 3],
    ]);
    expect(measure('unresolved').total).toBe(1);
    expect(summary.awaitingPrint).toEqual([]); // no period has ended on 14.10
    expect(summary.lastBackup).toBeNull();

    await s.travel(tomsk('2026-10-30 10:00'));
    const later = await s.deputy.session.ok('reports.controlSummary', {});
    expect(later.awaitingPrint).toEqual([{ periodName: 'I четверть', endsOn: '2026-10-25', classesNotPrinted: ['1А', '5А'] }]);
    await s.travel(tomsk('2026-10-14 14:30'));
  });

  it('writes the same report as XLSX with numbers as numbers, as PDF, and as CSV', async () => {
    const file = await s.deputy.session.ok('reports.file', { form: 'results', periodId: s.periods.q1, groupBy: 'subject', format: 'xlsx' });
    expect(file.fileName).toBe('Итоги успеваемости за период I четверть 2026-2027 учебного года · по предметам.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getCell('A2').value).toBe('Итоги успеваемости за период');
    const header = sheet.getRow(6).values as unknown[];
    expect(header.slice(1, 4)).toEqual(['Предмет', 'Итоговых отметок', '«5»']);
    const math = sheet.getRow(7);
    expect(math.getCell(1).value).toBe('Математика');
    expect(math.getCell(2).value).toBe(5);
    const successColumn = header.indexOf('Успеваемость, %');
    expect(math.getCell(successColumn).value).toBe(0.6);
    expect(math.getCell(successColumn).numFmt).toBe('0.0%');

    const pdf = await s.deputy.session.ok('reports.file', { form: 'results', periodId: s.periods.q1, format: 'pdf' });
    const bytes = Buffer.from(pdf.base64, 'base64');
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-report-'));
    try {
      writeFileSync(join(dir, 'r.pdf'), bytes);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain('Итоги успеваемости за период');
      expect(text).toContain('МАОУ «Средняя общеобразовательная школа № 7»');
      expect(text).toContain('60,0 %');
      expect(text).toContain('Директор ____________________ Морозов В. П.');
      expect(text).toContain('Отчёт составлен 14.10.2026');
      // The chart is drawn from SVG: its title is text on the page.
      expect(text).toContain('Успеваемость и качество по классам');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const csv = await s.russian.session.ok('reports.file', { form: 'attendanceByMonth', classId: s.class5A, ...range, format: 'csv' });
    const lines = Buffer.from(csv.base64, 'base64').toString('utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]!.startsWith('Ученик;сентябрь: всего;сентябрь: по болезни;')).toBe(true);
    expect(lines[3]).toBe('Волков Никита;2;1;1;0;3;1;1');
  }, 120_000);

  it('zhurnal report writes a form from the command line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-report-cli-'));
    try {
      const out = join(dir, 'итоги.xlsx');
      const run = await zhurnal(['report', '--db', t.url, '--form', 'results', '--period', '1', '--class', '5А', '--out', out]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Итоги успеваемости за период. I четверть 2026/2027 учебного года · по классам');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(out);
      const row = workbook.worksheets[0]!.getRow(7);
      expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value]).toEqual(['5А', 5, 1]);
      const reversed = await zhurnal(['report', '--db', t.url, '--form', 'control', '--from', '2026-10-14', '--to', '2026-09-01', '--out', join(dir, 'x.csv')]);
      expect(reversed.code).toBe(1);
      expect(reversed.stderr).toContain('Дата окончания раньше даты начала.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
  it('«Динамика среднего балла»: the class by subject over weeks and periods, with a line chart', async () => {
    const report = await s.russian.session.ok('reports.run', { form: 'averageDynamics', classId: s.class5A, ...range });
    expect(report.subtitle).toBe('5А класс · 01.09.2026 – 14.10.2026');
    // Weeks from Monday: 31.08 (shown from 01.09), 07.09, 14.09, 21.09, 28.09, 05.10, 12.10; then the periods begun by 14.10.
    expect(report.columns.map((c) => c.title)).toEqual(['Предмет', 'с 01.09', 'с 07.09', 'с 14.09', 'с 21.09', 'с 28.09', 'с 05.10', 'с 12.10', 'I четверть']);
    const keys = report.columns.map((c) => c.key);
    // All marks oral (weight 1). Mathematics: L1 02.09 5+3+4 = 12/3 = 4; L2 09.09 Давыдов 5 («н/а» is no mark);
    // L3 16.09 4; L4 07.10 5; the quarter so far 26/6. Russian: R1 5. English: E1 4+4 = 8/2 = 4.
    expect(report.rows.map((r) => keys.map((k) => r.cells[k] ?? null))).toEqual([
      ['Математика', 4, 5, 4, null, null, 5, null, 26 / 6],
      ['Русский язык', 5, null, null, null, null, null, null, 5],
      ['Иностранный язык (английский)', 4, null, null, null, null, null, null, 4],
    ]);
    expect(report.chart).toMatchObject({ kind: 'line', categories: ['с 01.09', 'с 07.09', 'с 14.09', 'с 21.09', 'с 28.09', 'с 05.10', 'с 12.10'] });
    expect(report.chart!.series[0]).toEqual({ name: 'Математика', values: [4, 5, 4, null, null, 5, null] });

    // One subject: each student, and the class as a whole.
    const mathSubject = (await t.core.store.db.selectFrom('teaching_load').select('subject_id').where('id', '=', s.loads.math5A).executeTakeFirstOrThrow()).subject_id;
    const perStudent = await s.math.session.ok('reports.run', { form: 'averageDynamics', classId: s.class5A, subjectId: mathSubject, ...range });
    expect(perStudent.subtitle).toBe('5А класс · Математика · 01.09.2026 – 14.10.2026');
    // Алексеев 5 (02.09) and 4 (16.09): 4,5 for the quarter; Давыдов 4 and 5: 4,5.
    expect(perStudent.rows.map((r) => keys.map((k) => r.cells[k] ?? null))).toEqual([
      ['Алексеев Артём', 5, null, 4, null, null, null, null, 4.5],
      ['Белова Дарья', 3, null, null, null, null, null, null, 3],
      ['Волков Никита', null, null, null, null, null, null, null, null],
      ['Григорьева Софья', null, null, null, null, null, null, null, null],
      ['Давыдов Максим', 4, 5, null, null, null, null, null, 4.5],
      ['Егорова Полина', null, null, null, null, null, 5, null, 5],
      ['Класс в целом', 4, 5, 4, null, null, 5, null, 26 / 6],
    ]);
    expect(perStudent.chart!.series).toEqual([{ name: '5А, Математика', values: [4, 5, 4, null, null, 5, null] }]);

    // Сидоров teaches only English in 5А: only his subject's line.
    const own = await s.english.session.ok('reports.run', { form: 'averageDynamics', classId: s.class5A, ...range });
    expect(own.rows.map((r) => r.cells.name)).toEqual(['Иностранный язык (английский)']);
    expect((await s.english.session.fails('reports.run', { form: 'averageDynamics', classId: s.class1A, ...range })).kind).toBe('forbidden');
    // 1А has no marks: the form says so and draws nothing.
    const noMarks = await s.deputy.session.ok('reports.run', { form: 'averageDynamics', classId: s.class1A, ...range });
    expect(noMarks.notes).toContain('В классе безотметочное обучение: средних баллов нет.');
    expect(noMarks.chart).toBeNull();

    // The PDF carries the chart drawn as SVG.
    const pdf = await s.russian.session.ok('reports.file', { form: 'averageDynamics', classId: s.class5A, ...range, format: 'pdf' });
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-dynamics-'));
    try {
      writeFileSync(join(dir, 'd.pdf'), Buffer.from(pdf.base64, 'base64'));
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'd.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain('Динамика среднего балла');
      expect(text).toContain('Средний балл по неделям');
      expect(text).toContain('4,33');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('«Отчёт классного руководителя» after the period: the period finals, deferred ones marked', async () => {
    await s.travel(tomsk('2026-10-30 10:00'));
    try {
      const report = await s.russian.session.ok('reports.run', { form: 'classTeacher', classId: s.class5A, periodId: s.periods.q1 });
      expect(report.subtitle).toBe('5А класс · I четверть (01.09.2026 – 25.10.2026)');
      const keys = report.columns.map((c) => c.key);
      // Finals set in beforeAll; English: Григорьева deferred, Егорова's later final (5, group 1).
      // Absences of the quarter are those of 01.09–14.10 (no lessons after).
      expect(report.rows.map((r) => keys.map((k) => r.cells[k] ?? null))).toEqual([
        ['Алексеев Артём', 5, 5, 5, 0, 0, ''],
        ['Белова Дарья', 4, 3, 4, 1, 1, ''],
        ['Волков Никита', 2, 3, 3, 3, 1, '«2» за период: Математика'],
        ['Григорьева Софья', 'н/а', 4, 'отср.', 1, 0, '«н/а»: Математика'],
        ['Давыдов Максим', 4, null, null, 0, 0, ''],
        ['Егорова Полина', 5, 4, 5, 0, 0, ''],
      ]);
      expect(report.notes[0]).toMatch(/^Отметки за период/);
    } finally {
      await s.travel(tomsk('2026-10-14 14:30'));
    }
  });

  it('«Итоги успеваемости» compare with the same period of last year', async () => {
    // Last year: 4А with Алексеев, Белова, Волков; mathematics in I четверть 5, 5, 3.
    const db = t.core.store.db;
    const year = await db.insertInto('academic_year').values({ name: '2025/2026', starts_on: '2025-09-01', ends_on: '2026-05-31', closed_at: null }).returning('id').executeTakeFirstOrThrow();
    const q1 = await db.insertInto('study_period').values({ year_id: year.id, kind: 'quarter', number: 1, name: 'I четверть', starts_on: '2025-09-01', ends_on: '2025-10-26', grade_from: 1, grade_to: 11 }).returning('id').executeTakeFirstOrThrow();
    const cls = await db.insertInto('school_class').values({ year_id: year.id, grade: 4, letter: 'А', name: '4А', class_teacher_id: s.russian.id, room: '', no_marks: 0 }).returning('id').executeTakeFirstOrThrow();
    const mathSubject = (await db.selectFrom('teaching_load').select('subject_id').where('id', '=', s.loads.math5A).executeTakeFirstOrThrow()).subject_id;
    const load = await db.insertInto('teaching_load').values({ year_id: year.id, class_id: cls.id, subject_id: mathSubject, subgroup_id: null, teacher_id: s.math.id, hours_per_week: 4 }).returning('id').executeTakeFirstOrThrow();
    for (const [studentId, value] of [
      [s.students.alekseev, '5'],
      [s.students.belova, '5'],
      [s.students.volkov, '3'],
    ] as const) {
      await db.insertInto('enrollment').values({ student_id: studentId, class_id: cls.id, arrived_on: '2025-09-01', arrival_order: '', departed_on: '2026-05-31', departure_order: '' }).execute();
      await db.insertInto('final_mark').values({ load_id: load.id, student_id: studentId, kind: 'period', period_id: q1.id, value, suggested: '', deferred: 0, updated_at: '2025-10-25T05:00:00.000Z', updated_by: s.math.id, version: 1 }).execute();
    }
    const report = await s.deputy.session.ok('reports.run', { form: 'results', periodId: s.periods.q1, groupBy: 'subject' });
    expect(report.columns.find((c) => c.key === 'successYearAgo')!.title).toBe('Успеваемость, % (I четверть прошлого года)');
    // Mathematics a year ago: 3 finals, none below «3» → 100 %; «5» and «5» of 3 → 2/3. Only mathematics had finals.
    expect(table(report, ['name', 'success', 'successYearAgo', 'qualityYearAgo'])).toEqual([
      { name: 'Математика', success: 0.6, successYearAgo: 1, qualityYearAgo: 2 / 3 },
      { name: 'Русский язык', success: 1, successYearAgo: null, qualityYearAgo: null },
      { name: 'Иностранный язык (английский)', success: 1, successYearAgo: null, qualityYearAgo: null },
      { name: 'Итого по школе', success: 12 / 14, successYearAgo: 1, qualityYearAgo: 2 / 3 },
    ]);
  });
  it('«Движение и численность»: numbers by class at both ends, who left by which order; administration only', async () => {
    const report = await s.deputy.session.ok('reports.run', { form: 'movement', from: '2026-09-02', to: '2026-10-14' });
    // 1А: three students all along. 5А: six on 02.09, Давыдов left on 05.10, five on 14.10.
    expect(table(report, ['class', 'atStart', 'arrived', 'departed', 'atEnd'])).toEqual([
      { class: '1А', atStart: 3, arrived: 0, departed: 0, atEnd: 3 },
      { class: '5А', atStart: 6, arrived: 0, departed: 1, atEnd: 5 },
      { class: 'Итого по школе', atStart: 9, arrived: 0, departed: 1, atEnd: 8 },
    ]);
    expect(report.columns.map((c) => c.title)).toEqual(['Класс', 'На 02.09.2026', 'Прибыло', 'Выбыло', 'На 14.10.2026']);
    expect(report.notes[0]).toBe('Прибывших нет.');
    expect(report.notes[1]).toMatch(/^Выбыли: Давыдов Максим.* \(5А\) — 05\.10\.2026, приказ № 57\.$/);
    expect((await s.russian.session.ok('reports.forms', {})).map((f) => f.form)).not.toContain('movement');
    expect((await s.russian.session.fails('reports.run', { form: 'movement', from: '2026-09-02', to: '2026-10-14' })).kind).toBe('forbidden');
  });

  it('«Отчёт о доступе к классному журналу»: days signed in and days of journal entries, by the school’s day', async () => {
    try {
      // 06:30 in Tomsk on 15.10 is 23:30 UTC on 14.10: the school's day counts.
      await s.travel(tomsk('2026-10-15 06:30'));
      const early = await signIn(t.core, s.english.login, PASSWORD);
      await early.ok('journal.saveLesson', { loadId: s.loads.english5A1, date: '2026-10-15', topic: 'Numbers' });
      await s.travel(tomsk('2026-10-16 10:00'));
      await signIn(t.core, s.english.login, PASSWORD);
      await s.travel(tomsk('2026-10-16 12:00'));
      const report = await s.deputy.session.ok('reports.run', { form: 'access', from: '2026-10-15', to: '2026-10-20', teacherId: s.english.id });
      // Signed in on 15.10 and 16.10; one lesson written on 15.10; the report stops at today, 16.10.
      expect(table(report, ['teacher', 'signInDays', 'journalDays', 'journalEntries', 'lastSignIn'])).toEqual([
        { teacher: 'Сидоров П. А.', signInDays: 2, journalDays: 1, journalEntries: 1, lastSignIn: '2026-10-16' },
      ]);
      expect(report.subtitle).toBe('15.10.2026 – 16.10.2026');
      // A teacher sees only their own line.
      const own = await s.english.session.ok('reports.run', { form: 'access', from: '2026-10-15', to: '2026-10-16' });
      expect(own.rows.map((r) => r.cells.teacher)).toEqual(['Сидоров П. А.']);
    } finally {
      await s.travel(tomsk('2026-10-14 14:30'));
    }
  });
});

describe('zhurnal report --list', () => {
  it('names the forms', async () => {
    const run = await zhurnal(['report', '--list']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toEqual([
      'control      Контроль ведения журнала',
      'lessons      Уроки без темы, без домашнего задания, с поздними записями',
      'results      Итоги успеваемости за период',
      'subject-teacher Отчёт учителя-предметника',
      'attendance   Посещаемость класса по месяцам',
      'school-attendance Сводка посещаемости по школе',
      'class-teacher Отчёт классного руководителя',
      'dynamics     Динамика среднего балла',
      'access       Отчёт о доступе к классному журналу',
      'movement     Движение и численность учащихся',
    ]);
  });
});

describe.each(engines)('reports of an empty school on %s', (engine) => {
  let t: TestCore;
  beforeAll(async () => {
    t = await startTestCore(engine, { logError: () => {} });
  });
  afterAll(async () => t?.close());

  it('answers with empty reports, not errors', async () => {
    const admin = await createSchoolAndSignIn(t.core);
    const report = await admin.ok('reports.run', { form: 'control' });
    expect(report.rows).toEqual([]);
    expect(report.notes).toEqual(['В школе ещё нет учебного года: отчёт пуст.']);
    expect((await admin.ok('reports.forms', {})).map((f) => f.title)).toContain('Итоги успеваемости за период');
    const file = await admin.ok('reports.file', { form: 'control', format: 'pdf' });
    expect(Buffer.from(file.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
  });
});
