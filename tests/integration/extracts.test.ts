import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run';
import type { Db } from '../../src-main/store/database';
import { createSchoolAndSignIn, signIn, type TestSession } from '../support/client';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { workTypeId } from '../support/work-types';

// The parents' paper, checked as the class teacher and the parents would: what is printed
// on each page (pdftotext per page), how many pages (pdfinfo), who may tick returned strips.
//
// The hand-built fortnight: 5А, II четверть 05.11.2025–28.12.2025, the report for
// 10.11.2025–21.11.2025. Work types: «Ответ на уроке» weight 1, «Контрольная работа» weight 2.
// The school rounds a final up from a fraction of 0,6 (not the default 0,5); averages show
// 2 decimals.
//
// Иванова Мария (all fortnight):
//   Математика: 06.11 «3» ответ (before the range: counts for the quarter only), 10.11 «5» ответ,
//     12.11 «4» контрольная, 17.11 «5» ответ, 19.11 «Б».
//     range average  = (5·1 + 4·2 + 5·1) / (1+2+1) = 18/4 = 4,50
//     quarter average = (3·1 + 5·1 + 4·2 + 5·1) / (1+1+2+1) = 21/5 = 4,20 → forecast 4 (0,20 < 0,6)
//     final «I четверть: 4».
//   Русский язык: 11.11 «4» контрольная, 18.11 «3» ответ: (4·2 + 3·1) / 3 = 11/3 = 3,666… → 3,67
//     → forecast 4 (0,67 ≥ 0,6).
//   Absences: 1 lesson, by illness 1.
// Петров Иван (arrived 12.11.2025, order 31-у): only 12.11–21.11 counts.
//   Математика: 12.11 «НП», 17.11 «4» ответ, 19.11 «3» ответ: (4 + 3) / 2 = 3,50 → forecast 3
//     (0,50 < 0,6 — the school's rule; the default 0,5 would give 4).
//   Русский язык: 18.11 «ОП» (late).
//   Absences: 1 lesson, without a good reason 1; late 1.
// Сидоров Олег:
//   Математика: 10.11 «2» ответ, 12.11 «3» ответ, 17.11 «2» контрольная: (2 + 3 + 2·2) / 4 = 9/4 = 2,25
//     → forecast 2: at risk.
//   Русский язык: 11.11 «УП»; the I четверть final deferred (sick).
//   Absences: 1 lesson, with a good reason 1.

const work = mkdtempSync(join(tmpdir(), 'zhurnal-extracts-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function savePdf(name: string, base64: string): string {
  const file = join(work, name);
  writeFileSync(file, Buffer.from(base64, 'base64'));
  return file;
}

function pdfPages(file: string): number {
  return Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
}

/** One page's text, whitespace collapsed. */
function pageText(file: string, page: number): string {
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

const PASSWORD = 'Пароль-выписки-1';

async function insertId(db: Db, table: string, row: Record<string, unknown>): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const result = await (db as any).insertInto(table).values(row).returning('id').executeTakeFirstOrThrow();
  return Number(result.id);
}

interface Fortnight {
  admin: TestSession;
  classId: number;
  firstGradeId: number;
  students: { ivanova: number; petrov: number; sidorov: number; first: number };
  users: Record<'classTeacher' | 'math' | 'deputy' | 'secretary', string>;
}

async function buildFortnight(t: TestCore): Promise<Fortnight> {
  const admin = await createSchoolAndSignIn(t.core);
  const db = t.core.store.db;
  const now = '2025-08-25T05:00:00.000Z';
  const people: Array<[string, string, Array<'teacher' | 'deputy' | 'secretary'>]> = [
    ['kuznetsova', 'Кузнецова Анна Викторовна', ['teacher']],
    ['petrov', 'Петров Иван Ильич', ['teacher']],
    ['belova', 'Белова Светлана Игоревна', ['deputy']],
    ['secretary', 'Ершова Нина Павловна', ['secretary']],
  ];
  const ids: Record<string, number> = {};
  for (const [login, fullName, roles] of people) {
    const account = await admin.ok('accounts.create', { login, fullName, roles, temporaryPassword: PASSWORD });
    await db.updateTable('app_user').set({ must_change_password: 0 }).where('id', '=', account.id).execute();
    ids[login] = account.id;
  }
  await db
    .updateTable('school_setting')
    .set({ value: JSON.stringify({ finalRoundingThreshold: 0.6 }) })
    .where('key', '=', 'school')
    .execute();
  if (!(await db.selectFrom('school_setting').select('key').where('key', '=', 'school').executeTakeFirst())) {
    await db.insertInto('school_setting').values({ key: 'school', value: JSON.stringify({ finalRoundingThreshold: 0.6 }) }).execute();
  }
  const yearId = await insertId(db, 'academic_year', { name: '2025/2026', starts_on: '2025-09-01', ends_on: '2026-05-31', closed_at: null });
  const q1 = await insertId(db, 'study_period', { year_id: yearId, kind: 'quarter', number: 1, name: 'I четверть', starts_on: '2025-09-01', ends_on: '2025-10-24', grade_from: 1, grade_to: 11 });
  await insertId(db, 'study_period', { year_id: yearId, kind: 'quarter', number: 2, name: 'II четверть', starts_on: '2025-11-05', ends_on: '2025-12-28', grade_from: 1, grade_to: 11 });
  const math = await insertId(db, 'subject', { name: 'Математика', short_name: 'Матем.', grade_from: 1, grade_to: 11, sort_order: 2 });
  const russian = await insertId(db, 'subject', { name: 'Русский язык', short_name: 'Рус.', grade_from: 1, grade_to: 11, sort_order: 1 });
  const answer = await workTypeId(db, 'Ответ на уроке', 1, 1, 1);
  const test = await workTypeId(db, 'Контрольная работа', 2, 3, 2);
  // The weights the arithmetic above counts with, whatever the seeded defaults are.
  await db.updateTable('work_type').set({ weight: 1 }).where('id', '=', answer).execute();
  await db.updateTable('work_type').set({ weight: 2 }).where('id', '=', test).execute();

  const classId = await insertId(db, 'school_class', { year_id: yearId, grade: 5, letter: 'А', name: '5А', class_teacher_id: ids.kuznetsova, room: '21', no_marks: 0 });
  const firstGradeId = await insertId(db, 'school_class', { year_id: yearId, grade: 1, letter: 'Б', name: '1Б', class_teacher_id: ids.kuznetsova, room: '3', no_marks: 0 });
  const student = async (surname: string, name: string, patronymic: string, gender: string, cls: number, arrived: string, order = '') => {
    const id = await insertId(db, 'student', { surname, name, patronymic, birth_date: '2014-05-12', gender, created_at: now });
    await insertId(db, 'enrollment', { student_id: id, class_id: cls, arrived_on: arrived, arrival_order: order, departed_on: null, departure_order: '' });
    return id;
  };
  const students = {
    ivanova: await student('Иванова', 'Мария', 'Сергеевна', 'ж', classId, '2025-09-01'),
    petrov: await student('Петров', 'Иван', 'Андреевич', 'м', classId, '2025-11-12', '31-у'),
    sidorov: await student('Сидоров', 'Олег', 'Петрович', 'м', classId, '2025-09-01'),
    first: await student('Зайцева', 'Ева', 'Олеговна', 'ж', firstGradeId, '2025-09-01'),
  };
  const mathLoad = await insertId(db, 'teaching_load', { year_id: yearId, class_id: classId, subject_id: math, subgroup_id: null, teacher_id: ids.petrov, hours_per_week: 5 });
  const russianLoad = await insertId(db, 'teaching_load', { year_id: yearId, class_id: classId, subject_id: russian, subgroup_id: null, teacher_id: ids.kuznetsova, hours_per_week: 5 });
  const firstLoad = await insertId(db, 'teaching_load', { year_id: yearId, class_id: firstGradeId, subject_id: russian, subgroup_id: null, teacher_id: ids.kuznetsova, hours_per_week: 5 });

  const lesson = (loadId: number, date: string, teacher: number) =>
    insertId(db, 'lesson', {
      load_id: loadId, date, lesson_number: 2, topic: 'Тема урока', material: '', homework: '', homework_for: null, work_types: '[]', comment: '',
      given_by: teacher, substitution: 0, created_at: `${date}T06:00:00.000Z`, created_by: teacher, topic_entered_at: `${date}T06:00:00.000Z`, homework_entered_at: null, version: 1,
    });
  const mark = (lessonId: number, studentId: number, value: string, workType: number) =>
    insertId(db, 'mark', { lesson_id: lessonId, student_id: studentId, value, work_type_id: workType, comment: '', make_up: 0, created_at: now, created_by: ids.petrov!, updated_at: now, updated_by: ids.petrov!, version: 1 });
  const absent = (lessonId: number, studentId: number, code: string) =>
    db.insertInto('attendance').values({ lesson_id: lessonId, student_id: studentId, code, updated_at: now, updated_by: ids.petrov!, version: 1 }).execute();

  const m = {
    n06: await lesson(mathLoad, '2025-11-06', ids.petrov!),
    n10: await lesson(mathLoad, '2025-11-10', ids.petrov!),
    n12: await lesson(mathLoad, '2025-11-12', ids.petrov!),
    n17: await lesson(mathLoad, '2025-11-17', ids.petrov!),
    n19: await lesson(mathLoad, '2025-11-19', ids.petrov!),
  };
  const r = { n11: await lesson(russianLoad, '2025-11-11', ids.kuznetsova!), n18: await lesson(russianLoad, '2025-11-18', ids.kuznetsova!) };
  await mark(m.n06, students.ivanova, '3', answer);
  await mark(m.n10, students.ivanova, '5', answer);
  await mark(m.n12, students.ivanova, '4', test);
  await mark(m.n17, students.ivanova, '5', answer);
  await absent(m.n19, students.ivanova, 'Б');
  await mark(r.n11, students.ivanova, '4', test);
  await mark(r.n18, students.ivanova, '3', answer);
  await absent(m.n12, students.petrov, 'НП');
  await mark(m.n17, students.petrov, '4', answer);
  await mark(m.n19, students.petrov, '3', answer);
  await absent(r.n18, students.petrov, 'ОП');
  await mark(m.n10, students.sidorov, '2', answer);
  await mark(m.n12, students.sidorov, '3', answer);
  await mark(m.n17, students.sidorov, '2', test);
  await absent(r.n11, students.sidorov, 'УП');
  const final = (loadId: number, studentId: number, value: string, deferred: number) =>
    insertId(db, 'final_mark', { load_id: loadId, student_id: studentId, kind: 'period', period_id: q1, value, suggested: '', deferred, updated_at: now, updated_by: ids.petrov!, version: 1 });
  await final(mathLoad, students.ivanova, '4', 0);
  await final(russianLoad, students.sidorov, '', 1);
  const firstLesson = await lesson(firstLoad, '2025-11-11', ids.kuznetsova!);
  await absent(firstLesson, students.first, 'Б');

  return { admin, classId, firstGradeId, students, users: { classTeacher: 'kuznetsova', math: 'petrov', deputy: 'belova', secretary: 'secretary' } };
}

describe.each(engines)('paper for parents on %s', (engine) => {
  let t: TestCore;
  let fx: Fortnight;
  let classTeacher: TestSession;
  let mathTeacher: TestSession;
  let deputy: TestSession;
  let secretary: TestSession;

  /** Moves the clock and signs everyone in again (a session ends after inactivity). */
  async function moveTo(iso: string) {
    t.clock.set(iso);
    classTeacher = await signIn(t.core, fx.users.classTeacher, PASSWORD);
    mathTeacher = await signIn(t.core, fx.users.math, PASSWORD);
    deputy = await signIn(t.core, fx.users.deputy, PASSWORD);
    secretary = await signIn(t.core, fx.users.secretary, PASSWORD);
  }
  const FRIDAY = '2025-11-21T10:00:00.000Z'; // the fortnight's last day, 17:00 in Tomsk

  beforeAll(async () => {
    t = await startTestCore(engine);
    t.clock.set(FRIDAY);
    fx = await buildFortnight(t);
    await moveTo(FRIDAY);
  }, 120_000);
  afterAll(() => t.close());

  it('reminds the class teacher until the class has an extract, then prints one student per sheet with the hand-worked figures', async () => {
    const before = await classTeacher.ok('extracts.home', {});
    const fifth = before.find((c) => c.className === '5А')!;
    expect(fifth).toMatchObject({ lastPrintedOn: null, overdue: true, suggestedFrom: '2025-11-08', suggestedTo: '2025-11-21' });

    const printed = await classTeacher.ok('extracts.print', { classId: fx.classId, from: '2025-11-10', to: '2025-11-21', duplex: false });
    expect(printed.students).toBe(3);
    const file = savePdf(`class-${engine}.pdf`, printed.pdfBase64);
    expect(pdfPages(file)).toBe(3);
    const [ivanova, petrov, sidorov] = [1, 2, 3].map((page) => pageText(file, page)) as [string, string, string];

    expect(ivanova).toContain('Отчёт об успеваемости и посещаемости ученика');
    expect(ivanova).toContain('за период с 10.11.2025 по 21.11.2025');
    expect(ivanova).toContain('Ученица: Иванова Мария С., 5А класс');
    expect(ivanova).not.toContain('Петров Иван');
    for (const figure of ['4,50', '4,20', '3,67', '10.11 — 5 (Ответ на уроке)', '12.11 — 4 (Контрольная работа)', 'I четверть: 4']) expect(ivanova).toContain(figure);
    // The September… no: the 06.11 mark is before the range — averaged for the quarter, not listed.
    expect(ivanova).not.toContain('06.11 — 3');
    expect(ivanova).toContain('Пропущено 1 урок: по болезни — 1.');
    expect(ivanova).toContain('Классный руководитель');
    expect(ivanova).toContain('Кузнецова А. В.');
    expect(ivanova).toContain('С отчётом ознакомлен(а): ____________________ (подпись) «__» ______________ 20__ г.');
    expect(ivanova).not.toContain('риск');

    expect(petrov).toContain('Петров Иван А. (прибыл 12.11.2025, приказ № 31-у)');
    expect(petrov).toContain('Учтены дни обучения в классе: с 12.11.2025 по 21.11.2025.');
    expect(petrov).toContain('3,50');
    expect(petrov).toContain('без уважительной причины — 1');
    expect(petrov).toContain('Опозданий: 1.');
    expect(petrov).not.toContain('(!)');

    expect(sidorov).toContain('2,25');
    expect(sidorov).toContain('2 (!)');
    expect(sidorov).toContain('риск неудовлетворительной отметки за II четверть — Математика');
    expect(sidorov).toContain('отсрочена');
    expect(sidorov).toContain('по уважительной причине — 1');

    // The forecasts by the school's rule, read from the «Прогноз» cells: 4, 4 for Иванова, 3 for Петров.
    const forecasts = (text: string) => [...text.matchAll(/(\d,\d\d) (\d,\d\d) (\d)/g)].map((match) => match[3]);
    expect(forecasts(ivanova)).toEqual(['4', '4']);
    expect(forecasts(petrov)).toEqual(['3']);

    const after = await classTeacher.ok('extracts.home', {});
    expect(after.find((c) => c.className === '5А')).toMatchObject({ lastPrintedOn: '2025-11-21', overdue: false, unacknowledged: 3 });
    // Fifteen days later the reminder is back.
    await moveTo('2025-12-06T10:00:00.000Z');
    expect((await classTeacher.ok('extracts.home', {})).find((c) => c.className === '5А')!.overdue).toBe(true);
    await moveTo(FRIDAY);

    // The print log has the class print, the register one row per student with the range.
    const rows = await t.core.store.db.selectFrom('extract_print').selectAll().where('print_log_id', '=', printed.logId).execute();
    expect(rows.map((row) => [row.student_id, row.from_date, row.to_date]).sort()).toEqual(
      [fx.students.ivanova, fx.students.petrov, fx.students.sidorov].map((id) => [id, '2025-11-10', '2025-11-21']).sort(),
    );
  });

  it('pads each student to an even page count when printing on both sides', async () => {
    const printed = await classTeacher.ok('extracts.print', { classId: fx.classId, from: '2025-11-10', to: '2025-11-21', duplex: true });
    const file = savePdf(`duplex-${engine}.pdf`, printed.pdfBase64);
    expect(pdfPages(file)).toBe(6);
    expect(printed.sheets).toBe(3);
    expect(pageText(file, 1)).toContain('Иванова Мария');
    expect(pageText(file, 2)).toContain('Эта страница оставлена пустой.');
    expect(pageText(file, 3)).toContain('Петров Иван');
    expect(pageText(file, 5)).toContain('Сидоров Олег');
  });

  it('prints one student’s report, and «безотметочное обучение» with attendance in the first grade', async () => {
    const one = await classTeacher.ok('extracts.print', { classId: fx.classId, from: '2025-11-10', to: '2025-11-21', studentIds: [fx.students.sidorov], duplex: false });
    expect(one.students).toBe(1);
    expect(pageText(savePdf(`one-${engine}.pdf`, one.pdfBase64), 1)).toContain('Сидоров Олег');
    const first = await classTeacher.ok('extracts.print', { classId: fx.firstGradeId, from: '2025-11-10', to: '2025-11-21', duplex: false });
    const text = pageText(savePdf(`first-${engine}.pdf`, first.pdfBase64), 1);
    expect(text).toContain('Безотметочное обучение');
    expect(text).toContain('Пропущено 1 урок: по болезни — 1.');
    expect(text).not.toContain('Прогноз');
  });

  it('refuses a range in the future or reversed, printing nothing', async () => {
    const logs = await t.core.store.db.selectFrom('print_log').select('id').execute();
    expect((await classTeacher.fails('extracts.print', { classId: fx.classId, from: '2025-11-10', to: '2025-11-28' })).message).toContain('не может быть позже сегодняшнего дня');
    expect((await classTeacher.fails('extracts.print', { classId: fx.classId, from: '2025-11-21', to: '2025-11-10' })).kind).toBe('validation');
    expect(await t.core.store.db.selectFrom('print_log').select('id').execute()).toHaveLength(logs.length);
  });

  it('keeps the register: ticks, the list of those who have not returned the strip, the deputy’s share', async () => {
    const register = await classTeacher.ok('extracts.register', { classId: fx.classId });
    // Newest first: the single report, the duplex print, the first print.
    expect(register.extracts).toHaveLength(3);
    const latestFull = register.extracts[1]!;
    expect(latestFull.students.map((s) => s.label)).toEqual(['Иванова Мария С.', 'Петров Иван А. (прибыл 12.11.2025, приказ № 31-у)', 'Сидоров Олег П.']);
    const [ivanova, petrov] = latestFull.students;
    await classTeacher.ok('extracts.acknowledge', { extractPrintId: ivanova!.extractPrintId, acknowledgedOn: '2025-11-21' });
    await classTeacher.ok('extracts.acknowledge', { extractPrintId: petrov!.extractPrintId, acknowledgedOn: '2025-11-21' });
    const after = await classTeacher.ok('extracts.register', { classId: fx.classId });
    expect(after.extracts[1]!.students.map((s) => s.acknowledgedOn)).toEqual(['2025-11-21', '2025-11-21', null]);
    // Сидоров's latest extract is the single report: its strip has not come back.
    expect(after.unacknowledged.map((u) => u.label)).toEqual(['Сидоров Олег П.']);
    // No parent is recorded for him: the list says the class teacher hands the report over.
    expect(after.unacknowledged[0]!.noParent).toBe(true);
    await classTeacher.ok('students.parents.add', { studentId: fx.students.sidorov, fullName: 'Сидорова Анна Петровна', relation: 'мать', phone: '+79131234567', receivesPaper: true });
    expect((await classTeacher.ok('extracts.register', { classId: fx.classId })).unacknowledged[0]!.noParent).toBe(false);

    // A date before the print or after today is refused.
    expect((await classTeacher.fails('extracts.acknowledge', { extractPrintId: petrov!.extractPrintId, acknowledgedOn: '2025-11-22' })).kind).toBe('validation');

    // Printed for 5А: 3 + 3 + 1 strips, 2 back → 2/7. 1Б: 1 printed, none back.
    const overview = await deputy.ok('extracts.overview', {});
    const fifth = overview.find((c) => c.className === '5А')!;
    expect(fifth).toMatchObject({ printed: 7, acknowledged: 2, lastPrintedOn: '2025-11-21' });
    expect(fifth.share).toBeCloseTo(2 / 7, 6);
    expect(overview.find((c) => c.className === '1Б')).toMatchObject({ printed: 1, acknowledged: 0 });
    expect((await classTeacher.fails('extracts.overview', {})).kind).toBe('forbidden');
  });

  it('refuses a tick by anyone but the class teacher or the administration, changing and auditing nothing', async () => {
    const register = await classTeacher.ok('extracts.register', { classId: fx.classId });
    const target = register.extracts[1]!.students[2]!;
    const auditBefore = await newestAuditId(t);
    const attempt = await mathTeacher.fails('extracts.acknowledge', { extractPrintId: target.extractPrintId, acknowledgedOn: '2025-11-21' });
    expect(attempt.kind).toBe('forbidden');
    expect((await secretary.fails('extracts.acknowledge', { extractPrintId: target.extractPrintId, acknowledgedOn: '2025-11-21' })).kind).toBe('forbidden');
    expect((await mathTeacher.fails('extracts.print', { classId: fx.classId, from: '2025-11-10', to: '2025-11-21' })).kind).toBe('forbidden');
    expect((await mathTeacher.fails('extracts.register', { classId: fx.classId })).kind).toBe('forbidden');
    const row = await t.core.store.db.selectFrom('extract_print').selectAll().where('id', '=', target.extractPrintId).executeTakeFirstOrThrow();
    expect(row.acknowledged_on).toBeNull();
    expect(await newestAuditId(t)).toBe(auditBefore);
    // The deputy (administration) may.
    await deputy.ok('extracts.acknowledge', { extractPrintId: target.extractPrintId, acknowledgedOn: '2025-11-21' });
    expect(await newestAuditId(t)).toBeGreaterThan(auditBefore);
  });

  it('stores the council’s decisions and prints them in the results letter and on the summary sheet', async () => {
    await moveTo('2026-05-29T08:00:00.000Z');
    const decisions = [
      { studentId: fx.students.ivanova, decision: 'promoted' as const },
      { studentId: fx.students.petrov, decision: 'promoted' as const },
      { studentId: fx.students.sidorov, decision: 'promotedConditionally' as const },
    ];
    const auditBefore = await newestAuditId(t);
    expect((await classTeacher.fails('extracts.council.save', { classId: fx.classId, protocolDate: '2026-05-28', protocolNumber: '7', decisions })).kind).toBe('forbidden');
    expect((await deputy.fails('extracts.council.save', { classId: fx.classId, protocolDate: '2026-05-28', protocolNumber: '7', decisions: [{ studentId: fx.students.first, decision: 'promoted' }] })).kind).toBe('validation');
    expect(await newestAuditId(t)).toBe(auditBefore);
    expect(await deputy.ok('extracts.council.save', { classId: fx.classId, protocolDate: '2026-05-28', protocolNumber: '7', decisions })).toEqual({ saved: 3, removed: 0 });
    const listed = await classTeacher.ok('extracts.council.list', { classId: fx.classId });
    expect(listed.map((l) => l.decision)).toEqual(['promoted', 'promoted', 'promotedConditionally']);

    const letters = await classTeacher.ok('extracts.resultsLetters', { classId: fx.classId, period: 'year', duplex: false });
    const file = savePdf(`letters-${engine}.pdf`, letters.pdfBase64);
    expect(pdfPages(file)).toBe(3);
    const first = pageText(file, 1);
    expect(first).toContain('Иванова Мария');
    expect(first).toContain('Решением педагогического совета от 28.05.2026 (протокол № 7) ученица переведена в 6 класс.');
    expect(first).toContain('Пропущено 1 урок: по болезни — 1.');
    expect(pageText(file, 3)).toContain('переведён в 6 класс условно');
    expect(pageText(file, 3)).toContain('отсрочена');

    const summary = await classTeacher.ok('print.summary', { scope: 'class', classId: fx.classId });
    const sheet = execFileSync('pdftotext', [savePdf(`summary-${engine}.pdf`, summary.pdfBase64), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(sheet).toContain('Решение педагогического совета от 28.05.2026, протокол № 7: переведены в 6 класс — 2, переведены условно — 1 (Сидоров Олег П.)');
    expect(sheet).not.toContain('от «____»');
    await moveTo(FRIDAY);
  });

  it('prints the whole school as a job of the jobs runner: a PDF per class in the folder, progress per class, logged per student', async () => {
    const folder = mkdtempSync(join(work, `school-${engine}-`));
    const yearId = (await t.core.store.db.selectFrom('academic_year').select('id').executeTakeFirstOrThrow()).id;
    expect((await classTeacher.fails('extracts.schoolJob.start', { yearId, from: '2025-11-10', to: '2025-11-21', folder })).kind).toBe('forbidden');
    const before = (await t.core.store.db.selectFrom('extract_print').select('id').execute()).length;
    const started = await deputy.ok('extracts.schoolJob.start', { yearId, from: '2025-11-10', to: '2025-11-21', folder, duplex: false });
    let status = started;
    while (status.state === 'queued' || status.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await deputy.ok('jobs.status', { jobId: started.jobId });
    }
    expect(status).toMatchObject({ state: 'done', done: 2, total: 2 });
    expect(status.items.map((item) => [item.label, item.status])).toEqual([
      ['1Б', 'ok'],
      ['5А', 'ok'],
    ]);
    expect(readdirSync(folder).sort()).toEqual(['Отчёты 1Б 10.11.2025-21.11.2025.pdf', 'Отчёты 5А 10.11.2025-21.11.2025.pdf']);
    expect(pdfPages(join(folder, 'Отчёты 5А 10.11.2025-21.11.2025.pdf'))).toBe(3);
    // 3 students of 5А and 1 of 1Б in the register.
    expect((await t.core.store.db.selectFrom('extract_print').select('id').execute()).length).toBe(before + 4);
    // Another user does not see the deputy's job.
    expect((await classTeacher.fails('jobs.status', { jobId: started.jobId })).kind).toBe('not_found');
  });

  it('writes the class extract from the command line', async () => {
    const out = join(work, `cli-${engine}.pdf`);
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`! ${line}`), env: {}, askSecret: async () => null };
    const code = await runCli(['extract', '--db', t.url, '--class', '5А', '--from', '10.11.2025', '--to', '21.11.2025', '--out', out], io);
    expect(lines.join('\n')).toContain('Учеников: 3');
    expect(code).toBe(0);
    expect(pdfPages(out)).toBe(3);
    expect(pageText(out, 2)).toContain('Петров Иван');
    expect(await runCli(['extract', '--db', t.url, '--class', '5А', '--from', '31.02.2025', '--to', '21.11.2025', '--out', out], io)).toBe(2);
  });
});
