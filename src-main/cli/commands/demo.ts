import { conflict } from '../../core/errors';
import { localDate } from '../../../src-shared/rules/dates';
import type { CliCommand } from '../command';
import { DB_HELP, parseOptions, requireDate, requireDb, UsageError, withCore } from '../options';

/** Row counts in the summary, in the words of the school. */
const TABLE_TITLES: ReadonlyArray<readonly [table: string, title: string]> = [
  ['app_user', 'сотрудников'],
  ['academic_year', 'учебных лет'],
  ['school_class', 'классов (за все годы)'],
  ['student', 'учащихся (за все годы)'],
  ['enrollment', 'записей о зачислении'],
  ['consent', 'согласий на обработку данных'],
  ['subgroup', 'подгрупп'],
  ['teaching_load', 'строк учебной нагрузки'],
  ['timetable_entry', 'уроков в недельном расписании'],
  ['lesson', 'проведённых уроков'],
  ['mark', 'отметок'],
  ['attendance', 'отметок о пропусках и опозданиях'],
  ['final_mark', 'итоговых отметок'],
];

function wholeNumber(value: string | undefined, option: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UsageError(`Параметр --${option}: нужно целое число от ${min} до ${max}`);
  }
  return number;
}

const format = (n: number) => new Intl.NumberFormat('ru-RU').format(n).replace(/\u00a0/g, ' ');

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Создать демонстрационную школу с уроками, отметками и пропусками (в новой базе)',
  usage: [
    'Использование: zhurnal demo --db D [--students N] [--years Y] [--seed S] [--today ГГГГ-ММ-ДД]',
    '',
    'Параметры:',
    DB_HELP,
    '  --students N  учащихся в текущем году, около 25 в классе (по умолчанию 700; «большая школа» — 1200)',
    '  --years Y     учебных лет: текущий и предыдущие, прошлые закрыты (по умолчанию 1, не больше 11)',
    '  --seed S      число для генератора: одинаковые S и дата дают одинаковую школу (по умолчанию 1)',
    '  --today Д     считать сегодняшней эту дату (по умолчанию — сегодня по часовому поясу школы)',
    '',
    'База должна быть новой: если школа в ней уже создана, команда ничего не меняет.',
    `Пароль всех демонстрационных учётных записей — demo1234.`,
  ].join('\n'),
  async run(args, io) {
    const { DEMO_TIME_ZONE, generateDemoSchool } = await import('../../demo/generate');
    const options = parseOptions(args, {
      db: { type: 'string' },
      students: { type: 'string' },
      years: { type: 'string' },
      seed: { type: 'string' },
      today: { type: 'string' },
    });
    const databaseUrl = requireDb(options.db);
    const students = wholeNumber(options.students, 'students', 11, 20_000, 700);
    const years = wholeNumber(options.years, 'years', 1, 11, 1);
    const seed = wholeNumber(options.seed, 'seed', 0, 1_000_000, 1);
    const givenToday = options.today === undefined ? undefined : requireDate(options.today, 'today');

    return withCore(databaseUrl, async (core) => {
      const now = core.now();
      const today = givenToday ?? localDate(now, DEMO_TIME_ZONE);
      const existing = await core.store.db.selectFrom('school').select('name').executeTakeFirst();
      if (existing) throw conflict(`Школа в этой базе уже создана («${existing.name}»): демонстрационная школа создаётся только в новой, пустой базе.`);
      io.out(`Создаётся демонстрационная школа: ${format(students)} учащихся, учебных лет: ${years}, seed ${seed}, сегодня ${today}.`);
      const started = performance.now();
      const result = await generateDemoSchool(core.store, { students, years, seed, today, auditAt: now.toISOString() }, (line) => {
        io.out(`  [${((performance.now() - started) / 1000).toFixed(1)} с] ${line}`);
      });
      const seconds = (performance.now() - started) / 1000;
      io.out('');
      io.out(`Готово: «${result.schoolName}», ${result.years.join(', ')}.`);
      for (const [table, title] of TABLE_TITLES) io.out(`  ${format(result.counts[table] ?? 0).padStart(10)}  ${title}`);
      io.out(`Всего строк: ${format(result.rows)} за ${seconds.toFixed(1)} с (${format(Math.round(result.rows / seconds))} строк/с).`);
      if (result.unplacedHours > 0) io.out(`Не уместились в расписание без накладок: ${result.unplacedHours} ч в неделю.`);
      io.out('');
      io.out(`Учётные записи для входа (пароль у всех: ${result.password}):`);
      for (const account of result.accounts) io.out(`  ${account.login.padEnd(20)} ${account.fullName} — ${account.note}`);
      return 0;
    });
  },
};
