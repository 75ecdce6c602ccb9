import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportView } from '../../src-shared/contract/reports';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, type JournalSchool } from '../support/journal-fixture';
import { writeTeacherReportsJournal } from '../support/teacher-reports-fixture';
import { runZhurnal as zhurnal } from '../support/cli';

// The subject teacher's report, the school's attendance summary and the class teacher's
// «группа риска», on the hand-built school of tests/support/journal-fixture.ts (5А with six
// students, Давыдов leaves on 05.10.2026, English in two subgroups; 1А without marks; the
// clock on Wednesday 14.10.2026). The journal below is written straight into the database;
// every expected figure is counted by hand in the comments.

function table(report: ReportView, keys: string[]) {
  return report.rows.map((r) => Object.fromEntries(keys.map((k) => [k, r.cells[k] ?? null])));
}

function pdfText(base64: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-teacher-report-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), Buffer.from(base64, 'base64'));
    return execFileSync('pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each(engines)('the subject teacher’s report, the school attendance summary and the risk group on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  let mathSubject: number;

  beforeAll(async () => {
    t = await startTestCore(engine, { logError: () => {} });
    s = await buildJournalSchool(t);
    mathSubject = await writeTeacherReportsJournal(t.core.store.db, s);
  }, 240_000);
  afterAll(async () => t?.close());

  const teacherKeys = ['class', 'subject', 'students', 'n5', 'n4', 'n3', 'n2', 'notAttested', 'success', 'quality', 'average', 'degree', 'curriculum', 'programme', 'given', 'controlWorks', 'worksSuccess', 'worksQuality'];

  it('«Отчёт учителя-предметника» for a period: the finals per load, hours against the curriculum and the КТП, control works', async () => {
    const report = await s.math.session.ok('reports.run', { form: 'subjectTeacher', periodId: s.periods.q1 });
    expect(report.title).toBe('Отчёт учителя-предметника');
    expect(report.subtitle).toBe('Иванова М. С. · I четверть 2026/2027 учебного года');
    // Mathematics: finals 5 4 2 н/а 5 (Давыдов left): 3 of 5 without «2»/«н/а», 3 of 5 «5»/«4»;
    // average (5+4+2+5)/4 = 4; СОУ (1+1+0.64+0.16)/5 = 0.56. School days 01.09–14.10: 32 weekdays
    // less the holiday = 31, × 5 h / 5 = 31 h; the КТП by 14.10: 1 + 1 + 2 = 4 h; lessons L1–L6.
    // Control works: 09.09 (КТП and schedule, once) and 07.10; 16.09 removed. Their numeric marks:
    // 5 (Давыдов) on 09.09, 5 3 2 on 07.10 — 3 of 4 «3» and above, 2 of 4 «4» and above.
    // English group 2: Егорова's 4 (Григорьева deferred); 3 h × 31 / 5 = 18.6 → 19 h; no КТП; G1.
    expect(table(report, teacherKeys)).toEqual([
      { class: '5А', subject: 'Математика', students: 5, n5: 2, n4: 1, n3: 0, n2: 1, notAttested: 1, success: 0.6, quality: 0.6, average: 4, degree: expect.closeTo(0.56, 10), curriculum: 31, programme: 4, given: 6, controlWorks: 2, worksSuccess: 0.75, worksQuality: 0.5 },
      { class: '5А', subject: 'Иностранный язык (английский) (2 группа)', students: 1, n5: 0, n4: 1, n3: 0, n2: 0, notAttested: 0, success: 1, quality: 1, average: 4, degree: expect.closeTo(0.64, 10), curriculum: 19, programme: null, given: 1, controlWorks: 0, worksSuccess: null, worksQuality: null },
      // 6 finals: 4 without «2»/«н/а», 4 «5»/«4»; average 20/5; СОУ (2 + 2·0.64 + 0.16)/6.
      { class: 'Итого', subject: '', students: 6, n5: 2, n4: 2, n3: 0, n2: 1, notAttested: 1, success: 4 / 6, quality: 4 / 6, average: 4, degree: expect.closeTo(3.44 / 6, 10), curriculum: 50, programme: 4, given: 7, controlWorks: 2, worksSuccess: 0.75, worksQuality: 0.5 },
    ]);
    expect(report.rows.at(-1)!.total).toBe(true);
    expect(report.signatures).toEqual(['Учитель ____________________ Иванова М. С.', 'Заместитель директора по УВР ____________________']);
    expect(report.notes).toContain('Уроки, часы и контрольные работы учтены по 14.10.2026 (сегодня).');
    expect(report.filter).toMatchObject({ form: 'subjectTeacher', periodId: s.periods.q1, teacherId: s.math.id });

    // The deputy gets the same report by naming the teacher.
    const deputys = await s.deputy.session.ok('reports.run', { form: 'subjectTeacher', periodId: s.periods.q1, teacherId: s.math.id });
    expect(table(deputys, teacherKeys)).toEqual(table(report, teacherKeys));
    // Without a teacher the administration is asked for one.
    expect(await s.deputy.session.fails('reports.run', { form: 'subjectTeacher', periodId: s.periods.q1 })).toMatchObject({ kind: 'validation', message: 'Выберите учителя.' });
    // Dates instead of a period or the year: refused in Russian.
    expect((await s.math.session.fails('reports.run', { form: 'subjectTeacher', from: '2026-09-01', to: '2026-10-14' })).message).toMatch(/за учебный период или за год/);
  });

  it('«Отчёт учителя-предметника» for the year: the year finals', async () => {
    const report = await s.math.session.ok('reports.run', { form: 'subjectTeacher' });
    expect(report.subtitle).toBe('Иванова М. С. · 2026/2027 учебный год');
    // Year finals of mathematics: Алексеев 5, Белова 3 (Давыдов left): both pass, one «5»;
    // average 4, СОУ (1 + 0.36)/2. English has no year finals yet. Lessons and hours up to today.
    expect(table(report, ['subject', 'students', 'n5', 'n3', 'success', 'quality', 'average', 'degree', 'curriculum', 'given'])).toEqual([
      { subject: 'Математика', students: 2, n5: 1, n3: 1, success: 1, quality: 0.5, average: 4, degree: expect.closeTo(0.68, 10), curriculum: 31, given: 6 },
      { subject: 'Иностранный язык (английский) (2 группа)', students: 0, n5: 0, n3: 0, success: null, quality: null, average: null, degree: null, curriculum: 19, given: 1 },
      { subject: '', students: 2, n5: 1, n3: 1, success: 1, quality: 0.5, average: 4, degree: expect.closeTo(0.68, 10), curriculum: 50, given: 7 },
    ]);
    expect(report.notes[0]).toMatch(/^Итоговые отметки за год/);
  });

  it('the subject teacher’s report as PDF and XLSX, and from the command line', async () => {
    const pdf = await s.math.session.ok('reports.file', { form: 'subjectTeacher', periodId: s.periods.q1, format: 'pdf' });
    const text = pdfText(pdf.base64);
    expect(text).toContain('Отчёт учителя-предметника');
    expect(text).toContain('Иванова М. С. · I четверть 2026/2027 учебного года');
    expect(text).toContain('60,0 %');
    expect(text).toContain('Учитель ____________________ Иванова М. С.');

    const file = await s.deputy.session.ok('reports.file', { form: 'subjectTeacher', periodId: s.periods.q1, teacherId: s.math.id, format: 'xlsx' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getCell('A2').value).toBe('Отчёт учителя-предметника');
    const header = sheet.getRow(6).values as unknown[];
    expect(header.slice(1, 4)).toEqual(['Класс', 'Предмет', 'Итоговых отметок']);
    const math = sheet.getRow(7);
    expect([math.getCell(1).value, math.getCell(2).value, math.getCell(3).value, math.getCell(4).value]).toEqual(['5А', 'Математика', 5, 2]);
    const success = header.indexOf('Успеваемость, %');
    expect(math.getCell(success).value).toBe(0.6);
    expect(math.getCell(success).numFmt).toBe('0.0%');
    expect(math.getCell(header.indexOf('Дано уроков')).value).toBe(6);

    // The command line runs on today's real clock: only the finals are compared.
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-teacher-cli-'));
    try {
      const out = join(dir, 'учитель.xlsx');
      const run = await zhurnal(['report', '--db', t.url, '--form', 'subject-teacher', '--teacher', 'ivanova', '--period', '1', '--out', out]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Отчёт учителя-предметника. Иванова М. С. · I четверть 2026/2027 учебного года');
      const fromCli = new ExcelJS.Workbook();
      await fromCli.xlsx.readFile(out);
      const row = fromCli.worksheets[0]!.getRow(7);
      expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value, row.getCell(4).value, row.getCell(5).value]).toEqual(['5А', 'Математика', 5, 2, 1]);

      const csv = join(dir, 'посещаемость.csv');
      const attendance = await zhurnal(['report', '--db', t.url, '--form', 'school-attendance', '--from', '2026-09-01', '--to', '2026-10-14', '--out', csv]);
      expect(attendance.stderr).toBe('');
      expect(attendance.code).toBe(0);
      const lines = readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
      expect(lines[0]).toBe('Класс;Учеников;Пропущено уроков;По болезни;По уважительной причине;Без уважительной причины;Невыясненные «ОТ»;На одного ученика;Опозданий');
      expect(lines[2]).toBe('5А;5;6;3;1;1;1;1.2;1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('«Сводка посещаемости по школе»: missed lessons by class and reason, for dates or a period', async () => {
    const report = await s.deputy.session.ok('reports.run', { form: 'schoolAttendance', from: '2026-09-01', to: '2026-10-14' });
    expect(report.title).toBe('Сводка посещаемости по школе');
    expect(report.subtitle).toBe('01.09.2026 – 14.10.2026');
    const keys = ['class', 'students', 'missed', 'ill', 'excused', 'unexcused', 'unresolved', 'perStudent', 'late'];
    // 1А: Жуков «Б»; Зотова «ОП» is late, not missed; three on the list.
    // 5А: Волков «ОТ», «НП», «Б», «Б» (English), Белова «Б», Григорьева «УП» = 6; Егорова «ОП»;
    // five on the list on 14.10 (Давыдов left): 6 / 5.
    expect(table(report, keys)).toEqual([
      { class: '1А', students: 3, missed: 1, ill: 1, excused: 0, unexcused: 0, unresolved: 0, perStudent: 1 / 3, late: 1 },
      { class: '5А', students: 5, missed: 6, ill: 3, excused: 1, unexcused: 1, unresolved: 1, perStudent: 1.2, late: 1 },
      { class: 'Итого по школе', students: 8, missed: 7, ill: 4, excused: 1, unexcused: 1, unresolved: 1, perStudent: 7 / 8, late: 2 },
    ]);
    expect(report.rows[1]!.drill).toMatchObject({ form: 'attendanceByMonth', classId: s.class5A, from: '2026-09-01', to: '2026-10-14' });
    expect(report.chart).toEqual({
      kind: 'bar',
      title: 'Пропущено уроков по классам',
      categories: ['1А', '5А'],
      series: [
        { name: 'По болезни', values: [1, 3] },
        { name: 'По уважительной причине', values: [0, 1] },
        { name: 'Без уважительной причины', values: [0, 1] },
        { name: 'Невыясненные «ОТ»', values: [0, 1] },
      ],
      unit: 'уроков',
      max: null,
    });

    // September only: 5А without L4 and L5 — «ОТ» and «Б» (L2), «УП», «Б» (English) = 4; six on the list on 30.09.
    const september = await s.director.session.ok('reports.run', { form: 'schoolAttendance', from: '2026-09-01', to: '2026-09-30', classId: s.class5A });
    expect(table(september, keys)).toEqual([{ class: '5А', students: 6, missed: 4, ill: 2, excused: 1, unexcused: 0, unresolved: 1, perStudent: 4 / 6, late: 0 }]);
    // The quarter: the same absences as by 14.10, the list on 25.10.
    const quarter = await s.deputy.session.ok('reports.run', { form: 'schoolAttendance', periodId: s.periods.q1 });
    expect(quarter.subtitle).toBe('I четверть (01.09.2026 – 25.10.2026)');
    expect(quarter.rows.at(-1)!.cells).toMatchObject({ students: 8, missed: 7 });

    const pdf = await s.deputy.session.ok('reports.file', { form: 'schoolAttendance', from: '2026-09-01', to: '2026-10-14', format: 'pdf' });
    const text = pdfText(pdf.base64);
    expect(text).toContain('Сводка посещаемости по школе');
    expect(text).toContain('Пропущено уроков по классам');
    expect(text).toMatch(/Итого по школе\s+8\s+7\s+4\s+1\s+1\s+1\s+0,88\s+2/);
  });

  it('«Отчёт классного руководителя» names the risk group: a «2» forecast, «н/а», many absences', async () => {
    const report = await s.russian.session.ok('reports.run', { form: 'classTeacher', classId: s.class5A, from: '2026-09-01', to: '2026-10-14' });
    // Mathematics, weights 1 and 2: Алексеев (5 + 3·2)/3 = 3.67 → «4»; Белова (3 + 2·2)/3 = 2.33 → «2»;
    // Давыдов (4 + 5·2)/3 = 4.67; Егорова 5; Григорьева only «н/а». Волков missed L2, L4, L5 —
    // 3 of 6 mathematics lessons, 50 %; his one English lesson missed is fewer than 3.
    expect(table(report, ['student', 'risk'])).toEqual([
      { student: 'Алексеев Артём', risk: '' },
      { student: 'Белова Дарья', risk: 'прогноз «2»: Математика' },
      { student: 'Волков Никита', risk: 'пропущено 50 % уроков: Математика' },
      { student: 'Григорьева Софья', risk: '«н/а»: Математика' },
      { student: 'Давыдов Максим', risk: '' },
      { student: 'Егорова Полина', risk: '' },
    ]);
    expect(report.rows[1]!.cells[`subject:${mathSubject}`]).toBeCloseTo(7 / 3, 10);
    expect(report.notes.at(-1)).toMatch(/^Группа риска: прогноз «2»/);
  });

  it('refuses another teacher’s report and another class, and logs nothing as printed', async () => {
    const printed = async () => Number((await t.core.store.db.selectFrom('print_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const auditBefore = await newestAuditId(t);
    const printedBefore = await printed();
    // Сидоров asks for Иванова's report: on screen and as a file.
    expect((await s.english.session.fails('reports.run', { form: 'subjectTeacher', periodId: s.periods.q1, teacherId: s.math.id })).kind).toBe('forbidden');
    expect((await s.english.session.fails('reports.file', { form: 'subjectTeacher', periodId: s.periods.q1, teacherId: s.math.id, format: 'pdf' })).kind).toBe('forbidden');
    // Петрова leads 5А, where Иванова teaches: still not Иванова's report.
    expect((await s.russian.session.fails('reports.run', { form: 'subjectTeacher', periodId: s.periods.q1, teacherId: s.math.id, classId: s.class5A })).kind).toBe('forbidden');
    // Кузнецова leads 1А, not 5А.
    expect((await s.primary.session.fails('reports.run', { form: 'classTeacher', classId: s.class5A })).kind).toBe('forbidden');
    expect((await s.primary.session.fails('reports.file', { form: 'classTeacher', classId: s.class5A, format: 'xlsx' })).kind).toBe('forbidden');
    // The school's attendance summary is the administration's.
    expect((await s.russian.session.fails('reports.run', { form: 'schoolAttendance', from: '2026-09-01', to: '2026-10-14' })).kind).toBe('forbidden');
    expect((await s.russian.session.fails('reports.file', { form: 'schoolAttendance', from: '2026-09-01', to: '2026-10-14', format: 'pdf' })).kind).toBe('forbidden');
    expect(await newestAuditId(t)).toBe(auditBefore);
    expect(await printed()).toBe(printedBefore);

    // Сидоров's own report: his one load.
    const own = await s.english.session.ok('reports.run', { form: 'subjectTeacher', periodId: s.periods.q1 });
    expect(table(own, ['class', 'subject', 'students', 'given', 'curriculum'])).toEqual([{ class: '5А', subject: 'Иностранный язык (английский) (1 группа)', students: 0, given: 1, curriculum: 19 }]);
    const forms = (await s.russian.session.ok('reports.forms', {})).map((f) => f.form);
    expect(forms).toContain('subjectTeacher');
    expect(forms).not.toContain('schoolAttendance');
    expect((await s.deputy.session.ok('reports.forms', {})).map((f) => f.form)).toContain('schoolAttendance');
  });
});
