import { rename, rm, writeFile } from 'node:fs/promises';
import { AppError } from '../../core/errors';
import type { CliCommand } from '../command';
import { DB_HELP, parseOptions, requireDate, requireDb, requireOutputFile, UsageError, withCore } from '../options';

// `zhurnal extract`: the class's extract for parents (one student per sheet), for a
// scheduled fortnightly print. Logged in the print log and the strips' register like a
// print from the app, by the command line (no user).

const USAGE = [
  'Использование:',
  '  zhurnal extract --db D --class 5А --from ДАТА --to ДАТА --out ФАЙЛ.pdf [--year 2025/2026] [--duplex]',
  '',
  'Параметры:',
  DB_HELP,
  '  --class 5А    класс',
  '  --from ДАТА   первый день отчёта, дд.мм.гггг (например 10.11.2025)',
  '  --to ДАТА     последний день отчёта, дд.мм.гггг; не позже сегодняшнего дня',
  '  --year Г      учебный год класса (по умолчанию — год, в который попадает --to)',
  '  --out ФАЙЛ    куда записать PDF: каждый ученик с нового листа, с отрывным талоном',
  '  --duplex      двусторонняя печать: у каждого ученика чётное число страниц (по умолчанию — настройка школы)',
].join('\n');

const options = {
  db: { type: 'string' },
  class: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  year: { type: 'string' },
  out: { type: 'string' },
  duplex: { type: 'boolean' },
} as const;

/** «10.11.2025» → '2025-11-10', checked against the calendar. */
function russianDateOption(value: string | undefined, option: string): string {
  if (!value) throw new UsageError(`Не указана дата: добавьте --${option} дд.мм.гггг`);
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value.trim());
  if (!match) throw new UsageError(`Параметр --${option}: ${value} — нужна дата в виде дд.мм.гггг, например 10.11.2025`);
  const iso = `${match[3]}-${match[2]!.padStart(2, '0')}-${match[1]!.padStart(2, '0')}`;
  try {
    return requireDate(iso, option);
  } catch {
    throw new UsageError(`Параметр --${option}: ${value} — такой даты нет в календаре`);
  }
}

export const extractCommand: CliCommand = {
  name: 'extract',
  summary: 'Отчёты об успеваемости и посещаемости для родителей: весь класс в один PDF, каждый ученик с нового листа',
  usage: USAGE,
  async run(args, io) {
    const { printStudentReports } = await import('../../extracts/documents');
    const { logPaper } = await import('../../extracts/register');
    const { readPrintSettings } = await import('../../printing/handlers');
    const { findClassByName, findYear } = await import('../../printing/repository');
    const { sheetsPhrase } = await import('../../printing/russian-numbers');
    const { schoolToday } = await import('../../school/years');
    const values = parseOptions(args, options);
    const databaseUrl = requireDb(values.db, { mustExist: true });
    if (!values.class) throw new UsageError('Укажите класс: --class 5А');
    const from = russianDateOption(values.from, 'from');
    const to = russianDateOption(values.to, 'to');
    if (from > to) throw new UsageError('Дата --from позже даты --to');
    if (!values.out) throw new UsageError('Не указано, куда записать PDF: добавьте --out');
    const out = requireOutputFile(values.out, 'out', 'выписка.pdf');

    return withCore(databaseUrl, async (core) => {
      const store = core.store;
      const db = store.db;
      const now = new Date();
      const today = await schoolToday(db, now);
      if (to > today) throw new AppError('validation', 'Отчёт составляется по уже прошедшим дням: --to не может быть позже сегодняшнего дня.');
      let yearId: number;
      if (values.year) {
        const year = await findYear(db, values.year.trim());
        if (!year) throw new AppError('not_found', `Учебный год ${values.year} не найден.`);
        yearId = year.id;
      } else {
        const year = await db.selectFrom('academic_year').select('id').where('starts_on', '<=', to).where('ends_on', '>=', to).executeTakeFirst();
        if (!year) throw new AppError('not_found', `Дата ${values.to} не входит ни в один учебный год.`);
        yearId = year.id;
      }
      const found = await findClassByName(db, yearId, values.class!);
      if (!found) throw new AppError('not_found', `Класс ${values.class} не найден в этом учебном году.`);
      const duplex = values.duplex ?? (await readPrintSettings(db)).duplex;
      const printed = await printStudentReports(db, { classId: found.id, from, to, duplex, now });
      const partial = `${out}.part`;
      try {
        await writeFile(partial, printed.bytes!);
        await logPaper(store, printed, { at: now.toISOString(), userId: null, source: 'cli', document: 'student_extract', options: { duplex, from, to, students: printed.students.length }, range: { from, to }, periodId: null, fileName: out });
        await rename(partial, out);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      io.out(`${printed.title}: ${out}`);
      io.out(`Учеников: ${printed.students.length}. Страниц: ${printed.pages}, ${duplex ? 'двусторонняя печать' : 'односторонняя печать'}: ${sheetsPhrase(printed.sheets)}. SHA-256: ${printed.sha256}`);
      return 0;
    });
  },
};
