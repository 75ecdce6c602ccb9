import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextPlanRow } from '../../src-main/plans/next-row';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';
import { runJob, runJobDone } from '../support/jobs';

// The calendar-thematic plan (КТП, D-15): per teaching load, the journal takes its topics
// from it, and the deputy sees planned against given (D-32).
//
// The fixture's year 2026/2027 has four quarters (01.09–25.10, 05.11–28.12, 12.01–21.03,
// 31.03–31.05) and no holidays: 170 weekdays, so 34 teaching weeks. Loads used here:
// Русский язык 5А (Петрова) for the next topic, Английский 5А 1 группа (Сидоров, 3 h a week,
// no curriculum row: 3 × 34 = 102 h) for approval, Математика 1А (Кузнецова) for import,
// Математика 5А (Иванова, Wednesdays) for fulfilment.

/** Windows-1251 bytes of a text of ASCII and Russian letters (as Russian Excel saves CSV). */
function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.charCodeAt(0);
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      if (ch === 'Ё') return 0xa8;
      if (ch === 'ё') return 0xb8;
      if (ch === '№') return 0xb9;
      throw new Error(`not in the test encoder: ${ch}`);
    }),
  );
}

interface PlanFileRow {
  n: number | string | null;
  section?: string;
  topic: string;
  hours?: number | string | { formula: string; result: number };
  date?: string | Date;
  actual?: string;
  homework?: string;
}

/** A КТП as teachers keep it: a title, an empty row, headers on row 3, merged section headings. */
async function planWorkbook(rows: Array<PlanFileRow | 'empty' | { heading: string }>): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('КТП');
  sheet.addRow(['Календарно-тематическое планирование по математике, 1А класс']);
  sheet.mergeCells('A1:G1');
  sheet.addRow([]);
  sheet.addRow(['№ п/п', 'Раздел', 'Тема урока', 'Кол-во часов', 'Дата (план)', 'Дата (факт)', 'Домашнее задание']);
  for (const row of rows) {
    if (row === 'empty') {
      sheet.addRow([]);
    } else if ('heading' in row) {
      const added = sheet.addRow([row.heading]);
      sheet.mergeCells(`A${added.number}:G${added.number}`);
    } else {
      sheet.addRow([row.n, row.section ?? '', row.topic, row.hours ?? 1, row.date ?? '', row.actual ?? '', row.homework ?? '']);
    }
  }
  sheet.addRow(['', '', 'Итого', { formula: 'SUM(D4:D20)', result: 0 }]);
  return Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
}

describe.each(engines)('КТП on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 14:30')));

  it('the next topic is the first plan row not yet covered by lessons; a deleted lesson frees its row', async () => {
    const db = t.core.store.db;
    const at = '2026-08-30T00:00:00.000Z';
    const plan = await db
      .insertInto('plan')
      .values({ load_id: s.loads.russian5A, year_id: s.yearId, status: 'approved', hours_note: '', review_comment: '', submitted_at: null, submitted_by: null, decided_at: null, decided_by: null, created_at: at, created_by: s.russian.id, updated_at: at, updated_by: s.russian.id, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = (number: number, topic: string, hours: number, homework: string) =>
      db.insertInto('plan_row').values({ plan_id: plan.id, number, section: 'Язык и речь', topic, hours, planned_date: null, planned_week: null, control_work: 0, work_type_id: null, homework }).returning('id').executeTakeFirstOrThrow();
    const first = await row(1, 'Язык и человек', 1, '§ 1, упр. 3');
    const second = await row(2, 'Общение устное и письменное', 2, '§ 2');
    await row(3, 'Стили речи', 1, '§ 3');

    expect(await nextPlanRow(db, s.loads.russian5A)).toMatchObject({ id: first.id, number: 1, topic: 'Язык и человек', homework: '§ 1, упр. 3', hours: 1 });
    expect(await nextPlanRow(db, s.loads.math5A)).toBeNull(); // no plan

    const give = async (date: string, planRowId: number) => {
      const lesson = await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.russian5A, date, topic: 'Тема' });
      await db.updateTable('lesson').set({ plan_row_id: planRowId }).where('id', '=', lesson.id).execute();
      return lesson;
    };
    await give('2026-09-02', first.id);
    expect((await nextPlanRow(db, s.loads.russian5A))?.number).toBe(2);
    // Row 2 has two hours: one lesson does not cover it.
    const secondLesson = await give('2026-09-09', second.id);
    expect((await nextPlanRow(db, s.loads.russian5A))?.number).toBe(2);
    await give('2026-09-16', second.id);
    expect((await nextPlanRow(db, s.loads.russian5A))?.number).toBe(3);

    await s.russian.session.ok('journal.deleteLesson', { lessonId: secondLesson.id, version: secondLesson.version, idempotencyKey: crypto.randomUUID() });
    expect((await nextPlanRow(db, s.loads.russian5A))?.number).toBe(2);
  });

  it('imports an XLSX the way teachers keep it: title rows, merged section headings, formulas, empty rows, «Итого», a fact-date column ignored', async () => {
    const teacher = s.primary.session;
    const content = await planWorkbook([
      { heading: 'Раздел 1. Числа от 1 до 10' },
      { n: 1, topic: 'Счёт предметов', hours: 1, date: '01.09.2026', homework: 'с. 4' },
      { n: 2, topic: 'Сравнение групп предметов', hours: { formula: '1+1', result: 2 }, date: new Date(Date.UTC(2026, 8, 3)), actual: '03.09.2026' },
      'empty',
      { n: 3, topic: 'Numbers «one», «two»', date: '07.09' },
      { heading: 'Раздел 2. Сложение и вычитание' },
      { n: 4, topic: 'Сложение' },
    ]);
    const preview = await teacher.ok('plans.import', { loadId: s.loads.math1A, version: null, fileName: 'ктп.xlsx', content });
    expect(preview).toMatchObject({ format: 'xlsx', errorRows: 0, fileErrors: [], plannedHours: 5 });
    expect(preview.rows.map((r) => [r.row, r.number, r.section, r.topic, r.hours, r.plannedDate])).toEqual([
      [5, 1, 'Раздел 1. Числа от 1 до 10', 'Счёт предметов', 1, '2026-09-01'],
      [6, 2, 'Раздел 1. Числа от 1 до 10', 'Сравнение групп предметов', 2, '2026-09-03'],
      [8, 3, 'Раздел 1. Числа от 1 до 10', 'Numbers «one», «two»', 1, '2026-09-07'],
      [10, 4, 'Раздел 2. Сложение и вычитание', 'Сложение', 1, null],
    ]);
    // D-46: a topic without Russian words is a warning, not a refusal.
    expect(preview.rows[2]!.warnings.join(' ')).toContain('запишите тему по-русски');
    expect((await teacher.ok('plans.get', { loadId: s.loads.math1A })).status).toBe('none'); // a preview writes nothing

    // Written as a job: read, check, write.
    const job = await runJobDone(teacher, 'plans.importApply', { loadId: s.loads.math1A, version: null, fileName: 'ктп.xlsx', content });
    expect(job).toMatchObject({ kind: 'plans.import', done: 3, total: 3, result: 'КТП загружен из «ктп.xlsx»: 4 урока, 5 часов.' });
    const applied = { plan: await teacher.ok('plans.get', { loadId: s.loads.math1A }) };
    expect(applied.plan).toMatchObject({ status: 'draft', plannedHours: 5 });
    expect(applied.plan.rows.map((r) => [r.number, r.topic, r.hours, r.homework])).toEqual([
      [1, 'Счёт предметов', 1, 'с. 4'],
      [2, 'Сравнение групп предметов', 2, ''],
      [3, 'Numbers «one», «two»', 1, ''],
      [4, 'Сложение', 1, ''],
    ]);
    expect(applied.plan.warnings.join(' ')).toContain('Урок 3: тема записана не по-русски');

    // The exported file imports back to the same plan.
    const exported = await teacher.ok('plans.export', { loadId: s.loads.math1A });
    expect(exported.fileName).toBe('КТП 1А Математика.xlsx');
    const again = await teacher.ok('plans.import', { loadId: s.loads.math1A, version: applied.plan.version, fileName: exported.fileName, content: exported.content });
    expect(again.rows.map((r) => [r.number, r.section, r.topic, r.hours, r.plannedDate, r.homework])).toEqual(
      applied.plan.rows.map((r) => [r.number, r.section, r.topic, r.hours, r.plannedDate, r.homework]),
    );
  });

  it('a file with bad rows names each row in Russian and writes nothing', async () => {
    const teacher = s.primary.session;
    const before = await teacher.ok('plans.get', { loadId: s.loads.math1A });
    const content = await planWorkbook([
      { n: 1, topic: 'Счёт предметов' },
      { n: 2, topic: '' },
      { n: 3, topic: 'Сравнение', hours: 'два' },
      { n: 4, topic: 'Числа', date: '31.02.2027' },
      { n: 5, topic: 'Длинная тема '.repeat(50) },
      { n: 6, topic: 'Повторение', date: '15.06.2026' },
    ]);
    const preview = await teacher.ok('plans.import', { loadId: s.loads.math1A, version: before.version, fileName: 'ктп.xlsx', content });
    expect(preview.errorRows).toBe(5);
    expect(preview.rows.filter((r) => r.errors.length > 0).map((r) => [r.row, r.errors.join('; ')])).toEqual([
      [5, 'не указана тема урока'],
      [6, 'часы «два»: нужно целое число от 1 до 10'],
      [7, 'дата «31.02.2027» не распознана: нужна дата вида 01.09.2026'],
      [8, 'тема длиннее 500 символов (649): сократите её'],
      [9, 'дата 15.06.2026 вне учебного года 2026/2027'],
    ]);
    const auditBefore = await newestAuditId(t);
    const refused = await runJob(teacher, 'plans.importApply', { loadId: s.loads.math1A, version: before.version, fileName: 'ктп.xlsx', content });
    expect(refused.state).toBe('failed');
    expect(refused.error).toContain('Файл не загружен, ничего не записано. Строка 5: не указана тема урока. Ещё строк с ошибками: 4.');
    expect(await teacher.ok('plans.get', { loadId: s.loads.math1A })).toEqual(before);
    expect(await newestAuditId(t)).toBe(auditBefore);
  });

  it('reads a Windows-1251 CSV with «;» and headers in its own words', async () => {
    const csv = cp1251('Номер;Тема;Часы;Дата по плану\r\n1;Счёт предметов;1;01.09.2026\r\n2;Сравнение чисел;2;\r\n');
    const preview = await s.primary.session.ok('plans.import', { loadId: s.loads.math1A, version: null, fileName: 'ктп.csv', content: csv.toString('base64') });
    expect(preview).toMatchObject({ format: 'csv', encoding: 'Windows-1251', errorRows: 0, plannedHours: 3 });
    expect(preview.rows.map((r) => [r.topic, r.hours, r.plannedDate])).toEqual([
      ['Счёт предметов', 1, '2026-09-01'],
      ['Сравнение чисел', 2, null],
    ]);
  });

  it('a workbook of several sheets: the first sheet with a plan’s headers is read, and the teacher may choose another', async () => {
    const teacher = s.primary.session;
    const workbook = new ExcelJS.Workbook();
    const title = workbook.addWorksheet('Титульный лист');
    title.addRow(['Рабочая программа по математике']);
    title.addRow(['Учитель: Кузнецова Е. И.']);
    const hidden = workbook.addWorksheet('Служебный');
    hidden.state = 'hidden';
    hidden.addRow(['№', 'Тема урока', 'Часы']);
    hidden.addRow([1, 'Скрытая тема', 1]);
    const first = workbook.addWorksheet('1А');
    first.addRow(['№', 'Тема урока', 'Часы', 'Дата']);
    first.addRow([1, 'Счёт предметов', 1, '01.09.2026']);
    first.addRow([2, 'Сравнение групп предметов', 2, '02.09.2026']);
    const second = workbook.addWorksheet('1Б');
    second.addRow(['№', 'Тема', 'Кол-во часов']);
    second.addRow([1, 'Числа от 1 до 5', 1]);
    const content = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    const before = await teacher.ok('plans.get', { loadId: s.loads.math1A });

    // The title page has no headers: the first sheet with them (hidden ones skipped) is read.
    const found = await teacher.ok('plans.import', { loadId: s.loads.math1A, version: before.version, fileName: 'программа.xlsx', content });
    expect(found).toMatchObject({ sheet: '1А', sheets: ['Титульный лист', '1А', '1Б'], errorRows: 0, fileErrors: [], plannedHours: 3 });
    expect(found.rows.map((r) => r.topic)).toEqual(['Счёт предметов', 'Сравнение групп предметов']);

    // The teacher chooses the other class's sheet in the preview, and the same sheet is written.
    const chosen = await teacher.ok('plans.import', { loadId: s.loads.math1A, version: before.version, fileName: 'программа.xlsx', content, sheet: '1Б' });
    expect(chosen).toMatchObject({ sheet: '1Б', plannedHours: 1 });
    expect(chosen.rows.map((r) => r.topic)).toEqual(['Числа от 1 до 5']);
    const titleOnly = await teacher.ok('plans.import', { loadId: s.loads.math1A, version: before.version, fileName: 'программа.xlsx', content, sheet: 'Титульный лист' });
    expect(titleOnly.fileErrors.join(' ')).toContain('Не найден столбец с темами уроков');
    const missing = await teacher.fails('plans.import', { loadId: s.loads.math1A, version: before.version, fileName: 'программа.xlsx', content, sheet: 'Служебный' });
    expect(missing).toMatchObject({ kind: 'validation', message: 'В книге Excel нет листа «Служебный».' });
    expect(await teacher.ok('plans.get', { loadId: s.loads.math1A })).toEqual(before);

    await runJobDone(teacher, 'plans.importApply', { loadId: s.loads.math1A, version: before.version, fileName: 'программа.xlsx', content, sheet: '1Б' });
    const applied = { plan: await teacher.ok('plans.get', { loadId: s.loads.math1A }) };
    expect(applied.plan.rows.map((r) => [r.number, r.topic, r.hours])).toEqual([[1, 'Числа от 1 до 5', 1]]);
  });

  it('hours against the curriculum block approval until explained; the deputy returns with a comment, then approves; only the load’s teacher edits', async () => {
    const teacher = s.english.session;
    const loadId = s.loads.english5A1;
    const rows = [
      { section: 'Знакомство', topic: 'Приветствие «Hello!»', hours: 2, homework: 'с. 5, упр. 1' },
      { section: 'Знакомство', topic: 'Моя семья', hours: 1 },
    ];
    // An attack: another teacher writes this plan — refused, nothing written or audited.
    const auditBefore = await newestAuditId(t);
    const attack = await s.math.session.fails('plans.save', { loadId, version: null, rows });
    expect(attack.kind).toBe('forbidden');
    expect((await s.deputy.session.ok('plans.get', { loadId })).status).toBe('none');
    expect(await newestAuditId(t)).toBe(auditBefore);

    let plan = await teacher.ok('plans.save', { loadId, version: null, rows });
    // 3 h a week × 34 weeks = 102 h by the curriculum; the plan has 3.
    expect(plan).toMatchObject({ status: 'draft', plannedHours: 3, curriculum: { hoursPerWeek: 3, weeks: 34, hours: 102 }, difference: -99, canEdit: true });
    expect(plan.warnings[0]).toBe('Часов в плане 3, по учебному плану 102 (3 ч в неделю × 34 учебных недель): на 99 часов меньше, чем по учебному плану. Объясните расхождение — без объяснения план не утвердить.');

    plan = await teacher.ok('plans.submit', { loadId, version: plan.version! });
    expect(plan.status).toBe('review');
    expect((await teacher.fails('plans.save', { loadId, version: plan.version, rows })).message).toContain('на проверке');
    expect((await teacher.fails('plans.approve', { loadId, version: plan.version!, comment: '' })).kind).toBe('forbidden');
    const unexplained = await s.deputy.session.fails('plans.approve', { loadId, version: plan.version!, comment: '' });
    expect(unexplained.message).toBe('Часов в плане 3, по учебному плану 102: пока учитель не объяснил расхождение, КТП не утвердить. Верните его с замечанием.');

    plan = await s.deputy.session.ok('plans.return', { loadId, version: plan.version!, comment: 'Объясните, почему 3 часа вместо 102.' });
    expect(plan).toMatchObject({ status: 'draft', reviewComment: 'Объясните, почему 3 часа вместо 102.' });
    plan = await teacher.ok('plans.save', { loadId, version: plan.version, rows, hoursNote: 'Остальные уроки — в плане второй группы по договорённости МО.' });
    plan = await teacher.ok('plans.submit', { loadId, version: plan.version! });
    plan = await s.deputy.session.ok('plans.approve', { loadId, version: plan.version!, comment: 'Утверждаю.' });
    expect(plan).toMatchObject({ status: 'approved', canApprove: false });

    // After approval a change is a correction with a reason, kept and audited.
    const changed = [rows[0]!, { ...rows[1]!, topic: 'Моя семья и друзья' }];
    const noReason = await teacher.fails('plans.save', { loadId, version: plan.version, rows: changed.map((r, i) => ({ ...r, id: plan.rows[i]!.id })) });
    expect(noReason.message).toBe('КТП утверждён: изменение — это корректировка, укажите её причину.');
    plan = await teacher.ok('plans.save', { loadId, version: plan.version, rows: changed.map((r, i) => ({ ...r, id: plan.rows[i]!.id })), reason: 'Корректировка за первое полугодие' });
    expect(plan.status).toBe('approved');
    expect(plan.rows[1]!.topic).toBe('Моя семья и друзья');
    expect(plan.corrections).toEqual([{ at: '14.10.2026', byName: s.english.fullName, reason: 'Корректировка за первое полугодие', summary: 'изменено уроков: 1' }]);
    const audit = await t.core.store.db.selectFrom('audit_log').select(['action', 'reason']).where('entity', '=', 'plan').where('id', '>', auditBefore).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['plan.save', 'plan.submit', 'plan.return', 'plan.save', 'plan.submit', 'plan.approve', 'plan.correct']);
    expect(audit.at(-1)!.reason).toBe('Корректировка за первое полугодие');
  });

  it('two editors of one plan: the second save gets a conflict and changes nothing', async () => {
    const loadId = s.loads.english5A1;
    const open = await s.english.session.ok('plans.get', { loadId });
    const rows = open.rows.map((r) => ({ id: r.id, section: r.section, topic: r.topic, hours: r.hours, homework: r.homework }));
    const first = await s.english.session.ok('plans.save', { loadId, version: open.version, rows: [...rows, { topic: 'Мой дом', hours: 1 }], reason: 'Добавлен урок' });
    const second = await s.english.session.fails('plans.save', { loadId, version: open.version, rows: [...rows, { topic: 'Мой город', hours: 1 }], reason: 'Добавлен урок' });
    expect(second.kind).toBe('conflict');
    expect((await s.english.session.ok('plans.get', { loadId })).rows.map((r) => r.topic)).toEqual(first.rows.map((r) => r.topic));
  });

  it('planned against given on a hand-built calendar: lag, skipped and twice-given topics; a teacher sees only her loads', async () => {
    const teacher = s.math.session;
    const loadId = s.loads.math5A;
    // The year starts on Tuesday 01.09.2026: week 1 begins on Monday 31.08, week 5 on 28.09.
    const plan = await teacher.ok('plans.save', {
      loadId,
      version: null,
      rows: [
        { topic: 'Натуральные числа', hours: 1, plannedDate: '2026-09-02' },
        { topic: 'Сложение натуральных чисел', hours: 2, plannedDate: '2026-09-09' },
        { topic: 'Вычитание', hours: 1, plannedDate: '2026-09-16' },
        { topic: 'Умножение', hours: 1, plannedDate: '2026-09-23' },
        { topic: 'Деление', hours: 1, plannedWeek: 5 },
        { topic: 'Повторение', hours: 1 },
      ],
    });
    const rowId = (n: number) => plan.rows[n - 1]!.id;
    const give = async (date: string, planRowId: number | null) => {
      const lesson = await teacher.ok('journal.saveLesson', { loadId, date, topic: 'Тема' });
      await t.core.store.db.updateTable('lesson').set({ plan_row_id: planRowId }).where('id', '=', lesson.id).execute();
    };
    await give('2026-09-02', rowId(1));
    await give('2026-09-09', rowId(3)); // row 2 skipped
    await give('2026-09-16', rowId(3)); // row 3 (1 h) given twice
    await give('2026-09-23', null); // typed by hand

    // By 30.09: rows 1–5 are due (1 + 2 + 1 + 1 + 1 = 6 h), 4 lessons given: 2 h behind.
    const late = await teacher.ok('plans.fulfilment', { loadId, date: '2026-09-30' });
    expect(late.items).toEqual([
      {
        loadId,
        className: '5А',
        subjectName: 'Математика',
        subgroupName: null,
        teacherName: s.math.fullName,
        status: 'draft',
        plannedToDate: 6,
        given: 4,
        behind: 2,
        plannedTotal: 7,
        skipped: [{ number: 2, topic: 'Сложение натуральных чисел' }],
        givenTwice: [{ number: 3, topic: 'Вычитание', lessons: 2 }],
        unplanned: 1,
        correctionMissing: false,
      },
    ]);
    // By 10.09: rows 1–2 due (3 h), 2 lessons given: 1 h behind; row 3 taken once so far.
    const early = await teacher.ok('plans.fulfilment', { loadId, date: '2026-09-10' });
    expect(early.items[0]).toMatchObject({ plannedToDate: 3, given: 2, behind: 1, skipped: [{ number: 2 }], givenTwice: [], unplanned: 0 });

    // A teacher’s list holds her own loads (math 5А, English 5А group 2); the deputy’s all five.
    expect((await teacher.ok('plans.fulfilment', { date: '2026-09-30' })).items.map((i) => i.loadId).sort()).toEqual([s.loads.math5A, s.loads.english5A2].sort());
    expect((await teacher.fails('plans.fulfilment', { loadId: s.loads.russian5A })).kind).toBe('forbidden');
    const school = await s.deputy.session.ok('plans.fulfilment', { date: '2026-09-30' });
    expect(school.items).toHaveLength(5);
    // The deputy's control summary carries the same list in figures, up to its last day.
    const summary = await s.deputy.session.ok('reports.controlSummary', { from: '2026-09-01', to: '2026-09-30' });
    const behindBySchool = school.items.filter((i) => i.behind > 0);
    expect(summary.fulfilment).toMatchObject({
      date: '2026-09-30',
      loads: 5,
      withoutPlan: school.items.filter((i) => i.status === 'none').length,
      loadsBehind: behindBySchool.length,
      hoursBehind: behindBySchool.reduce((sum, i) => sum + i.behind, 0),
      correctionsMissing: 0,
    });
    expect(summary.fulfilment!.skippedTopics).toBeGreaterThanOrEqual(1);
    expect(summary.fulfilment!.worst).toContainEqual({ loadId, label: '5А · Математика · Иванова М. С.', behind: 2 });
    expect((await teacher.fails('reports.controlSummary', {})).kind).toBe('forbidden');
    // After 20 December a plan without the half-year correction is flagged.
    const december = await s.deputy.session.ok('plans.fulfilment', { date: '2026-12-21' });
    expect(december.items.find((i) => i.loadId === loadId)!.correctionMissing).toBe(true);
    expect(december.items.find((i) => i.loadId === s.loads.russian5A)!.correctionMissing).toBe(true);

    // The printed journal ends the subject with the paper journal's line: in the first quarter
    // rows 1–5 are planned (6 h) and 4 lessons were given.
    const printed = await s.deputy.session.ok('print.classJournal', { classId: s.class5A, period: s.periods.q1, duplex: false });
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-plans-'));
    const file = join(dir, '5A.pdf');
    writeFileSync(file, Buffer.from(printed.pdfBase64, 'base64'));
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).replace(/\s+/g, ' ');
    rmSync(dir, { recursive: true, force: true });
    expect(text).toContain('По программе: 6 ч. Дано: 4 ч.');
  });
});

// Programme fulfilment for the whole school on a calendar worked out by hand, on a school of its
// own (every load's plan known). Year 2026/2027 starts on Tuesday 01.09.2026: week 1 begins on
// Monday 31.08, week 2 on 07.09, week 3 on 14.09, week 4 on 21.09. The half-year correction is
// due by 20.12.2026 and counts when registered from 01.11 to 20.12.
//
// Математика 5А (approved): 1 «Натуральные числа» 1 h 02.09; 2 «Сложение» 1 h 09.09; 3 «Вычитание»
//   1 h week 3; 4 «Умножение» 2 h week 4; 5 «Деление» 1 h, no date or week; 6 «Повторение» 1 h
//   23.12. Lessons: 02.09 row 1, 09.09 row 1 again, 16.09 row 4, 23.09 typed by hand, then after
//   21.12: 13.01 row 6 and 20.01 typed by hand. Corrections on 31.10 and 21.12 (outside the window).
//   By 21.12: due rows 1–4 = 5 h; 4 lessons; 1 h behind; last row taken 4, so rows 2 and 3 are
//   skipped; row 1 given twice; 1 typed by hand; correction missing.
// Русский язык 5А (approved): 1 «Язык и человек» 1 h 02.09; 2 «Общение» 1 h week 2. Lessons 02.09
//   row 1, 09.09 row 2. Correction on 20.12 at 20:00 UTC (inside). By 21.12: 2 h, 2 given, 0 behind.
// Английский 5А 2 группа (draft): 1 «Знакомство» 2 h week 1, no lessons: 2 h behind, correction
//   missing (a draft is a plan too).
// Английский 5А 1 группа and Математика 1А: no plan.
describe.each(engines)('programme fulfilment for the school on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
    const db = t.core.store.db;
    const at = '2026-08-30T00:00:00.000Z';
    const plan = async (loadId: number, by: number, status: 'draft' | 'approved', rows: Array<{ topic: string; hours: number; date?: string; week?: number }>, corrections: string[]) => {
      const { id } = await db
        .insertInto('plan')
        .values({ load_id: loadId, year_id: s.yearId, status, hours_note: '', review_comment: '', submitted_at: null, submitted_by: null, decided_at: null, decided_by: null, created_at: at, created_by: by, updated_at: at, updated_by: by, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const ids: number[] = [];
      for (const [i, row] of rows.entries()) {
        const inserted = await db
          .insertInto('plan_row')
          .values({ plan_id: id, number: i + 1, section: '', topic: row.topic, hours: row.hours, planned_date: row.date ?? null, planned_week: row.week ?? null, control_work: 0, work_type_id: null, homework: '' })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(inserted.id);
      }
      for (const correctedAt of corrections) await db.insertInto('plan_correction').values({ plan_id: id, corrected_at: correctedAt, corrected_by: by, reason: 'Перенос тем', summary: '' }).execute();
      return ids;
    };
    const math = await plan(
      s.loads.math5A,
      s.math.id,
      'approved',
      [
        { topic: 'Натуральные числа', hours: 1, date: '2026-09-02' },
        { topic: 'Сложение', hours: 1, date: '2026-09-09' },
        { topic: 'Вычитание', hours: 1, week: 3 },
        { topic: 'Умножение', hours: 2, week: 4 },
        { topic: 'Деление', hours: 1 },
        { topic: 'Повторение', hours: 1, date: '2026-12-23' },
      ],
      ['2026-10-31T10:00:00.000Z', '2026-12-21T09:00:00.000Z'],
    );
    const russian = await plan(s.loads.russian5A, s.russian.id, 'approved', [{ topic: 'Язык и человек', hours: 1, date: '2026-09-02' }, { topic: 'Общение', hours: 1, week: 2 }], ['2026-12-20T20:00:00.000Z']);
    await plan(s.loads.english5A2, s.math.id, 'draft', [{ topic: 'Знакомство', hours: 2, week: 1 }], []);
    const give = async (who: JournalSchool['math'], loadId: number, date: string, planRowId: number | null) => {
      await s.travel(tomsk(`${date} 14:30`));
      const lesson = await who.session.ok('journal.saveLesson', { loadId, date, topic: 'Тема' });
      await db.updateTable('lesson').set({ plan_row_id: planRowId }).where('id', '=', lesson.id).execute();
    };
    await give(s.math, s.loads.math5A, '2026-09-02', math[0]!);
    await give(s.russian, s.loads.russian5A, '2026-09-02', russian[0]!);
    await give(s.math, s.loads.math5A, '2026-09-09', math[0]!);
    await give(s.russian, s.loads.russian5A, '2026-09-09', russian[1]!);
    await give(s.math, s.loads.math5A, '2026-09-16', math[3]!);
    await give(s.math, s.loads.math5A, '2026-09-23', null);
    await give(s.math, s.loads.math5A, '2027-01-13', math[5]!);
    await give(s.math, s.loads.math5A, '2027-01-20', null);
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2027-01-21 14:30')));

  it('counts planned, given, skipped and twice-given by the date; lessons after it, undated rows and corrections outside the window do not count', async () => {
    const deputy = s.deputy.session;
    const byDecember = await deputy.ok('plans.fulfilment', { date: '2026-12-21' });
    const item = (loadId: number) => byDecember.items.find((i) => i.loadId === loadId)!;
    expect(item(s.loads.math5A)).toEqual({
      loadId: s.loads.math5A,
      className: '5А',
      subjectName: 'Математика',
      subgroupName: null,
      teacherName: s.math.fullName,
      status: 'approved',
      plannedToDate: 5,
      given: 4,
      behind: 1,
      plannedTotal: 7,
      skipped: [
        { number: 2, topic: 'Сложение' },
        { number: 3, topic: 'Вычитание' },
      ],
      givenTwice: [{ number: 1, topic: 'Натуральные числа', lessons: 2 }],
      unplanned: 1,
      correctionMissing: true,
    });
    expect(item(s.loads.russian5A)).toMatchObject({ status: 'approved', plannedToDate: 2, given: 2, behind: 0, plannedTotal: 2, skipped: [], givenTwice: [], unplanned: 0, correctionMissing: false });
    expect(item(s.loads.english5A2)).toMatchObject({ status: 'draft', plannedToDate: 2, given: 0, behind: 2, plannedTotal: 2, skipped: [], givenTwice: [], correctionMissing: true });
    for (const none of [s.loads.english5A1, s.loads.math1A]) expect(item(none)).toMatchObject({ status: 'none', plannedToDate: 0, given: 0, behind: 0, plannedTotal: 0, skipped: [], givenTwice: [], unplanned: 0, correctionMissing: false });

    // A row planned by week is due from that week's Monday: row 3 (week 3) on 14.09, not on 13.09.
    expect((await deputy.ok('plans.fulfilment', { loadId: s.loads.math5A, date: '2026-09-13' })).items[0]).toMatchObject({ plannedToDate: 2, given: 2, behind: 0, skipped: [], givenTwice: [{ number: 1, lessons: 2 }] });
    expect((await deputy.ok('plans.fulfilment', { loadId: s.loads.math5A, date: '2026-09-14' })).items[0]).toMatchObject({ plannedToDate: 3, given: 2, behind: 1 });
    // After 20.01 every lesson counts: row 6 taken, so row 5 is skipped too.
    expect((await deputy.ok('plans.fulfilment', { loadId: s.loads.math5A, date: '2027-01-20' })).items[0]).toMatchObject({ plannedToDate: 6, given: 6, behind: 0, unplanned: 2, skipped: [{ number: 2 }, { number: 3 }, { number: 5 }] });
  });

  it('the deputy’s control summary carries the same figures for the school', async () => {
    const summary = await s.deputy.session.ok('reports.controlSummary', { from: '2026-12-01', to: '2026-12-21' });
    expect(summary.fulfilment).toEqual({
      date: '2026-12-21',
      loads: 5,
      withoutPlan: 2,
      loadsBehind: 2,
      hoursBehind: 3,
      skippedTopics: 2,
      correctionsMissing: 2,
      worst: [
        { loadId: s.loads.english5A2, label: '5А (2 группа) · Иностранный язык (английский) · Иванова М. С.', behind: 2 },
        { loadId: s.loads.math5A, label: '5А · Математика · Иванова М. С.', behind: 1 },
      ],
    });
    // Before 20 December no correction is due yet.
    expect((await s.deputy.session.ok('reports.controlSummary', { from: '2026-12-01', to: '2026-12-19' })).fulfilment).toMatchObject({ date: '2026-12-19', correctionsMissing: 0, skippedTopics: 2, hoursBehind: 3 });
  });
});
