import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchoolAndSignIn, signIn, TestSession } from '../support/client';
import { importDone, importRefused } from '../support/jobs';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildSmallSchool, type SmallSchool } from '../support/school-fixture';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url)).toString('base64');
const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe.each(engines)('school setup: import and export of lists on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let school: SmallSchool;
  beforeEach(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    school = await buildSmallSchool(admin);
  });
  afterEach(async () => t.close());

  it('students from XLSX: preview shows the rows, apply writes them all in one audited step', async () => {
    const input = { kind: 'students' as const, fileName: 'students.xlsx', content: fixture('students.xlsx') };
    const preview = await admin.ok('import.preview', input);
    expect(preview).toMatchObject({ format: 'xlsx', validRows: 3, errorRows: 0, fileErrors: [] });
    expect(preview.rows[0]).toEqual({
      row: 2,
      errors: [],
      values: { Фамилия: 'Егорова', Имя: 'Полина', Отчество: 'Дмитриевна', 'Дата рождения': '14.02.2015', Пол: 'ж', Класс: '5А', 'Дата зачисления': '01.09.2026', 'Приказ о зачислении': 'Приказ № 101' },
    });
    const head = await newestAuditId(t);
    expect(await importDone(admin, input)).toEqual({ created: 3, updated: 0, temporaryPasswords: [] });
    expect(await newestAuditId(t)).toBe(head + 1);
    const [record] = await admin.ok('audit.list', { limit: 1 });
    expect(record).toMatchObject({ action: 'import.apply', after: { kind: 'students', fileName: 'students.xlsx', format: 'xlsx', created: 3 } });

    const list = await admin.ok('students.list', { classId: school.classId, date: '2026-10-15' });
    expect(list.map((s) => s.fullName)).toEqual([
      'Алексеев Артём Игоревич',
      'Белова Дарья Андреевна',
      'Волков Никита Сергеевич',
      'Григорьева Софья Павловна',
      'Давыдов Максим Олегович',
      'Егорова Полина Дмитриевна',
      'Жуков Лев Александрович',
      'Зотова Алиса',
    ]);
    expect(list.find((s) => s.surname === 'Жуков')).toMatchObject({ birthDate: '2014-12-03', gender: 'м' });
    expect(list.find((s) => s.surname === 'Зотова')!.enrollment).toMatchObject({ arrivedOn: '2026-10-15', arrivalOrder: 'Приказ № 142' });

    // The same file again: every row is a duplicate now, and nothing is written.
    const again = await importRefused(admin, input);
    expect(again.message).toBe('Файл не импортирован, ничего не записано. Строка 2: Егорова Полина Дмитриевна уже числится в 5А. Ещё строк с ошибками: 2.');
  });

  it('students from a Windows-1251 CSV with «;», as Russian Excel saves it', async () => {
    const input = { kind: 'students' as const, fileName: 'students-cp1251.csv', content: fixture('students-cp1251.csv') };
    const preview = await admin.ok('import.preview', input);
    expect(preview).toMatchObject({ format: 'csv', encoding: 'Windows-1251', delimiter: ';', validRows: 2, errorRows: 0 });
    expect(preview.rows.map((r) => r.values['Фамилия'])).toEqual(['Ильин', 'Ёлкина']);
    await importDone(admin, input);
    const list = await admin.ok('students.list', { classId: school.classId });
    expect(list.map((s) => s.surname)).toEqual(expect.arrayContaining(['Ильин', 'Ёлкина']));
    expect(list.find((s) => s.surname === 'Ёлкина')).toMatchObject({ name: 'Варвара', patronymic: 'Романовна', birthDate: '2015-08-02' });
  });

  it('a file with one bad row writes nothing and names the row', async () => {
    const input = { kind: 'students' as const, fileName: 'students-bad-row.csv', content: fixture('students-bad-row.csv') };
    const preview = await admin.ok('import.preview', input);
    expect(preview).toMatchObject({ encoding: 'UTF-8', delimiter: ',', validRows: 2, errorRows: 1 });
    expect(preview.rows.map((r) => [r.row, r.errors])).toEqual([
      [2, []],
      [3, ['дата рождения «31.02.2015» не в формате ДД.ММ.ГГГГ']],
      [4, []],
    ]);
    const head = await newestAuditId(t);
    const error = await importRefused(admin, input);
    expect(error).toEqual({ stage: 'job', kind: 'failed', message: 'Файл не импортирован, ничего не записано. Строка 3: дата рождения «31.02.2015» не в формате ДД.ММ.ГГГГ.' });
    expect(await admin.ok('students.list', { classId: school.classId })).toHaveLength(5);
    expect(await newestAuditId(t)).toBe(head);
  });

  it('per-row errors name the column problems in Russian; a missing column is a file error', async () => {
    const csv = ['Фамилия;Имя;Дата рождения;Класс;Пол', 'Носов;;01.01.2015;5А;м', 'Орлов;Иван;2015-13-01;7В;x', 'Белова;Дарья;01.07.2015;5 а;ж', ';;;;'].join('\n');
    const preview = await admin.ok('import.preview', { kind: 'students', fileName: 'список.csv', content: utf8(csv) });
    expect(preview.rows.map((r) => [r.row, r.errors])).toEqual([
      [2, ['не указано имя']],
      [3, ['дата рождения «2015-13-01» не в формате ДД.ММ.ГГГГ', 'пол «x»: укажите «м» или «ж»', 'класса 7В нет в учебном году 2026/2027: сначала создайте класс']],
      [4, []],
    ]);
    const missing = await admin.ok('import.preview', { kind: 'students', fileName: 'список.csv', content: utf8('Фамилия;Имя\nНосов;Олег\n') });
    expect(missing.fileErrors).toEqual(['Нет столбца «Класс» в первой строке файла.']);
    expect((await importRefused(admin, { kind: 'students', fileName: 'список.csv', content: utf8('Фамилия;Имя\nНосов;Олег\n') })).message).toBe(
      'Файл не импортирован: Нет столбца «Класс» в первой строке файла.',
    );
    expect((await admin.fails('import.preview', { kind: 'students', fileName: 'список.xlsx', content: utf8('не книга') })).message).toContain('это не книга Excel');
  });

  it('staff from CSV: accounts with positions and roles; missing logins and passwords are made up and handed back', async () => {
    const result = await importDone(admin, { kind: 'staff', fileName: 'staff.csv', content: fixture('staff.csv') });
    expect(result.created).toBe(3);
    expect(result.temporaryPasswords.map((p) => [p.login, p.fullName])).toEqual([
      ['orlova', 'Орлова Наталья Борисовна'],
      ['kuznetsova.ei', 'Кузнецова Елена Ивановна'],
      ['zaytseva.io', 'Зайцева Ирина Олеговна'],
    ]);
    const accounts = await admin.ok('accounts.list', {});
    expect(accounts.find((a) => a.login === 'orlova')).toMatchObject({ position: 'Заместитель директора по УВР', roles: ['deputy', 'teacher'], mustChangePassword: true });
    expect(accounts.find((a) => a.login === 'zaytseva.io')?.roles).toEqual(['secretary']);
    const given = result.temporaryPasswords.find((p) => p.login === 'kuznetsova.ei')!;
    const session = await signIn(t.core, given.login, given.password);
    expect((await session.ok('auth.whoami', {})).mustChangePassword).toBe(true);
    // The passwords never reach the audit.
    const records = await admin.ok('audit.list', { limit: 5 });
    expect(JSON.stringify(records)).not.toContain(given.password);

    const bad = await admin.ok('import.preview', { kind: 'staff', fileName: 'staff.csv', content: utf8('ФИО;Логин;Роли\nИванов Иван;ivanova;учитель\nПетров Пётр;;волшебник\n') });
    expect(bad.rows.map((r) => r.errors)).toEqual([['логин «ivanova» уже занят'], [expect.stringContaining('неизвестные роли: «волшебник»')]]);
  });

  it('classes, then the teaching load with subgroups, from the files; the secretary may import classes but not staff or load', async () => {
    const classes = await importDone(admin, { kind: 'classes', fileName: 'classes.csv', content: fixture('classes.csv') });
    expect(classes.created).toBe(3);
    const list = await admin.ok('school.classes.list', {});
    expect(list.map((c) => [c.name, c.classTeacherName, c.room, c.noMarks])).toEqual([
      ['1А', null, '3', true],
      ['5А', 'Иванова Мария Сергеевна', '21', false],
      ['5Б', 'Сидоров Павел Андреевич', '22', false],
      ['10А', 'Иванова Мария Сергеевна', '35', false],
    ]);
    const load = await importDone(admin, { kind: 'load', fileName: 'load.xlsx', content: fixture('load.xlsx') });
    expect(load.created).toBe(4);
    const fiveB = list.find((c) => c.name === '5Б')!;
    expect((await admin.ok('load.list', { classId: fiveB.id })).map((l) => [l.subjectName, l.subgroupName, l.teacherName, l.hoursPerWeek])).toEqual([
      ['Математика', null, 'Иванова Мария Сергеевна', 5],
      ['Иностранный язык (английский)', '1 группа', 'Сидоров Павел Андреевич', 3],
      ['Иностранный язык (английский)', '2 группа', 'Сидоров Павел Андреевич', 3],
    ]);
    expect((await admin.ok('school.subgroups.list', { classId: fiveB.id })).map((g) => g.name)).toEqual(['1 группа', '2 группа']);
    expect((await admin.ok('load.list', { teacherId: school.teachers.math.id })).find((l) => l.className === '10А')?.hoursPerWeek).toBe(4.5);

    await admin.ok('accounts.create', { login: 'secretary', fullName: 'Зайцева Ирина Олеговна', roles: ['secretary'], temporaryPassword: 'Временный-1' });
    const first = await signIn(t.core, 'secretary', 'Временный-1');
    await first.ok('auth.changePassword', { currentPassword: 'Временный-1', newPassword: 'Свой-пароль-1' });
    expect((await first.ok('import.preview', { kind: 'classes', fileName: 'c.csv', content: utf8('Класс\n6А\n') })).validRows).toBe(1);
    expect((await first.fails('import.preview', { kind: 'staff', fileName: 'staff.csv', content: fixture('staff.csv') })).kind).toBe('forbidden');
    expect((await first.fails('import.apply', { kind: 'load', fileName: 'load.xlsx', content: fixture('load.xlsx') })).kind).toBe('forbidden');
  });

  it('export writes the same columns to XLSX and CSV, and an exported list imports back', async () => {
    const xlsx = await admin.ok('export.list', { kind: 'students', format: 'xlsx' });
    expect(xlsx).toMatchObject({ fileName: 'Ученики 2026-10-14.xlsx', rows: 5 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx.content, 'base64') as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Пол', 'Класс', 'Дата зачисления', 'Приказ о зачислении']);
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(['Алексеев', 'Артём', 'Игоревич', '12.03.2015', '', '5А', '01.09.2026', 'Приказ № 101']);

    const csv = await admin.ok('export.list', { kind: 'load', format: 'csv' });
    const text = Buffer.from(csv.content, 'base64').toString('utf8');
    expect(text.split('\r\n').slice(0, 2)).toEqual(['\uFEFFКласс;Предмет;Подгруппа;Учитель;Часов в неделю', '5А;Математика;;Иванова Мария Сергеевна;5']);

    // Classes exported from this year import into the next one unchanged.
    const next = await admin.ok('school.years.create', { name: '2027/2028', startsOn: '2027-09-01', endsOn: '2028-08-31' });
    const classes = await admin.ok('export.list', { kind: 'classes', format: 'xlsx' });
    const imported = await importDone(admin, { kind: 'classes', fileName: classes.fileName, content: classes.content, yearId: next.id });
    expect(imported.created).toBe(1);
    expect((await admin.ok('school.classes.list', { yearId: next.id })).map((c) => [c.name, c.classTeacherName, c.room])).toEqual([['5А', 'Иванова Мария Сергеевна', '21']]);
  });
});
