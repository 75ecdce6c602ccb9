import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchoolAndSignIn, TestSession } from '../support/client';
import { importRefused } from '../support/jobs';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildSmallSchool, type SmallSchool } from '../support/school-fixture';
import { bookParts, deflatedPart, longSheet, lyingBomb, rowsBomb, zipOf } from '../support/spreadsheet-bombs';

// Crafted files against the import: bombs that unpack to gigabytes, files past the row and
// cell limits, text with invalid bytes. Each is refused in Russian and nothing is written.
// (How fast and in how little memory: `npm run bench -- --only import`.)

const base64 = (bytes: Buffer) => bytes.toString('base64');
const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe.each(engines)('import refuses crafted files on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let school: SmallSchool;
  beforeEach(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    school = await buildSmallSchool(admin);
  });
  afterEach(async () => t.close());

  /** The file is refused by import.apply with `message`, and the school is as it was. */
  async function refused(fileName: string, content: Buffer, message: string | RegExp) {
    const head = await newestAuditId(t);
    const error = await importRefused(admin, { kind: 'students', fileName, content: base64(content) });
    // Over the input's limits it is refused by the call, otherwise by the import's checks.
    expect([error.kind, error.stage]).toEqual(error.stage === 'call' ? ['validation', 'call'] : ['failed', 'job']);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    expect(await admin.ok('students.list', { classId: school.classId })).toHaveLength(5);
    expect(await newestAuditId(t)).toBe(head);
    return error;
  }

  it('XLSX bombs are refused before they are unpacked, a long sheet at the row limit', async () => {
    // 3 million rows in a file of about 2 MB: its table of contents tells the truth.
    const bomb = rowsBomb(3_000_000);
    expect(bomb.length).toBeLessThan(3 * 1024 * 1024);
    const honest = /^Книга Excel не принята: распакованная она заняла бы (\d+) МБ, допустимо не больше 50 МБ\. Оставьте в файле только нужный список или сохраните его как CSV\.$/;
    const error = await refused('ученики.xlsx', bomb, honest);
    expect(Number(honest.exec(error.message)![1])).toBeGreaterThan(400);
    expect((await admin.fails('import.preview', { kind: 'students', fileName: 'ученики.xlsx', content: base64(bomb) })).message).toMatch(honest);

    // The same rows behind a table of contents that claims a kilobyte: stopped where it lies.
    await refused('ученики.xlsx', lyingBomb(3_000_000, 1000), 'Книга Excel не принята: её части распаковываются в больший объём, чем указано в самом файле, — так выглядят подделанные файлы.');

    // 200 000 identical rows: 34 MB would fit, but they are packed 250 times over.
    await refused('ученики.xlsx', rowsBomb(200_000), /^Книга Excel не принята: её часть сжата в \d+ раз \(допустимо до 100\) — так выглядят подделанные файлы\./);

    // A plain sheet, only too long: reading stops at row 20 002.
    await refused('ученики.xlsx', longSheet(25_000), 'В файле больше 20 000 строк с данными: разделите его на части.');
  });

  it('CSV: the size, row, column and cell limits', async () => {
    const header = 'Фамилия;Имя;Класс\r\n';
    await refused('ученики.csv', utf8(header + 'Иванов;Иван;5А\r\n'.repeat(20_001)), 'В файле больше 20 000 строк с данными: разделите его на части.');
    // Over 5 MB of text, yet under the limit of the request itself (5 MB in base64 with room for line breaks).
    const big = utf8(header + `Иванов;${'И'.repeat(1000)};5А\r\n`.repeat(2620));
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
    await refused('ученики.csv', big, 'Файл CSV больше 5 МБ: разделите его на части.');
    await refused('ученики.csv', utf8(header + 'Иванов;Иван;5А' + ';'.repeat(250) + 'x\r\n'), 'Строка 2: заполнен столбец 253, а читаются только первые 200 столбцов.');
    await refused('ученики.csv', utf8(header + `Иванов;${'я'.repeat(40_000)};5А\r\n`), 'Строка 2, столбец 2 «Имя»: текст длиннее 32 767 символов.');
    // Twenty columns filled in every row of 20 000: more cells than a list has.
    await refused('ученики.csv', utf8(header + (Array.from({ length: 20 }, (_, i) => `x${i}`).join(';') + '\r\n').repeat(20_000)), 'В файле больше 400 000 заполненных ячеек: оставьте в нём только нужные столбцы.');
  });

  it('invalid UTF-8 is refused with the row and column named; Windows-1251 is still read', async () => {
    const damaged = (where: string) =>
      `Файл не импортирован, ничего не записано. ${where}: недопустимые байты в тексте — файл повреждён или его кодировка не UTF-8. Сохраните файл заново (UTF-8 или Windows-1251).`;
    // A BOM, then «Ив?нов» with a lone continuation byte where «а» was.
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('Фамилия;Имя;Класс\r\nПетров;Пётр;5А\r\nИв'), Buffer.from([0xb0]), utf8('нов;Иван;5А\r\n')]);
    await refused('ученики.csv', withBom, damaged('Строка 3, столбец 1 «Фамилия»'));
    expect((await admin.fails('import.preview', { kind: 'students', fileName: 'ученики.csv', content: base64(withBom) })).message).toBe(damaged('Строка 3, столбец 1 «Фамилия»'));

    // No BOM, but the rest of the file is UTF-8: one stray byte is damage, not another code page.
    const noBom = Buffer.concat([utf8('Фамилия,Имя,Класс\nПетров,Пётр,5А\nСидоров,"Пав'), Buffer.from([0xd0]), utf8('ел",5А\n')]);
    await refused('ученики.csv', noBom, damaged('Строка 3, столбец 2 «Имя»'));

    // XLSX: the damaged name is a shared string; the cell that shows it is named.
    const sharedStrings = Buffer.concat([
      utf8('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Фамилия</t></si><si><t>Имя</t></si><si><t>Класс</t></si><si><t>Петров</t></si><si><t>Ив'),
      Buffer.from([0xff]),
      utf8('нов</t></si><si><t>5А</t></si></sst>'),
    ]);
    const cell = (ref: string, index: number) => `<c r="${ref}" t="s"><v>${index}</v></c>`;
    const sheet = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">${cell('A1', 0)}${cell('B1', 1)}${cell('C1', 2)}</row><row r="2">${cell('A2', 3)}${cell('B2', 1)}${cell('C2', 5)}</row><row r="3">${cell('A3', 1)}${cell('B3', 4)}${cell('C3', 5)}</row></sheetData></worksheet>`;
    const book = zipOf(bookParts(deflatedPart('xl/worksheets/sheet1.xml', sheet), deflatedPart('xl/sharedStrings.xml', sharedStrings)));
    await refused('ученики.xlsx', book, damaged('Строка 3, столбец B «Имя»'));

    // The same book without the damage imports (so the refusal above is the bytes, not the book).
    const clean = zipOf(bookParts(deflatedPart('xl/worksheets/sheet1.xml', sheet), deflatedPart('xl/sharedStrings.xml', sharedStrings.toString('utf8').replace('Ив\uFFFDнов', 'Иванов'))));
    const preview = await admin.ok('import.preview', { kind: 'students', fileName: 'ученики.xlsx', content: base64(clean) });
    const cp1251 = readFileSync(new URL('../fixtures/import/students-cp1251.csv', import.meta.url));
    expect(await admin.ok('import.preview', { kind: 'students', fileName: 'students-cp1251.csv', content: base64(cp1251) })).toMatchObject({ encoding: 'Windows-1251', validRows: 2 });
    expect(preview.rows.map((r) => [r.row, r.values['Фамилия'], r.values['Имя']])).toEqual([
      [2, 'Петров', 'Имя'],
      [3, 'Имя', 'Иванов'],
    ]);
  });
});
