import { rename, rm, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ReportFileFormat, ReportFilter, ReportForm, ResultsGrouping } from '../../../src-shared/contract/reports';
import { AppError } from '../../core/errors';
import type { YearInfo } from '../../printing/repository';
import type { Store } from '../../store/database';
import type { CliCommand } from '../command';
import { DB_HELP, parseOptions, requireDate, requireDb, requireOutputFile, UsageError, withCore } from '../options';

// `zhurnal report`: a report form written to a file, for the administrators' scheduled
// tasks. The command line is the administration: it sees the whole school.

/** Names typed on the command line for each form. */
const CLI_FORMS: Record<string, ReportForm> = {
  control: 'control',
  lessons: 'controlLessons',
  results: 'results',
  'subject-teacher': 'subjectTeacher',
  attendance: 'attendanceByMonth',
  'school-attendance': 'schoolAttendance',
  'class-teacher': 'classTeacher',
  dynamics: 'averageDynamics',
  access: 'access',
  movement: 'movement',
};

const USAGE = [
  'Использование:',
  '  zhurnal report --list',
  '  zhurnal report --db D --form ФОРМА [--period N | --from ДАТА --to ДАТА] [--class 5А] [--teacher ЛОГИН] --out ФАЙЛ.pdf|.xlsx|.csv',
  '',
  'Параметры:',
  DB_HELP,
  '  --list        перечислить формы отчётов',
  '  --form ФОРМА  форма: ' + Object.keys(CLI_FORMS).join(', '),
  '  --year Г      учебный год, например 2026/2027 (по умолчанию — текущий)',
  '  --period N    номер периода в учебном году (1 — первая четверть или первое полугодие);',
  '                для subject-teacher без --period — за учебный год',
  '  --from ДАТА --to ДАТА  даты отчёта (ГГГГ-ММ-ДД) вместо периода',
  '  --class 5А    класс',
  '  --teacher ЛОГИН  учитель (для subject-teacher обязателен)',
  '  --by ИТОГИ    для results: class, subject, teacher (по классам, предметам, учителям)',
  '  --out ФАЙЛ    куда записать отчёт; формат по расширению: .pdf, .xlsx или .csv',
].join('\n');

const options = {
  db: { type: 'string' },
  list: { type: 'boolean' },
  form: { type: 'string' },
  year: { type: 'string' },
  period: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  class: { type: 'string' },
  teacher: { type: 'string' },
  by: { type: 'string' },
  out: { type: 'string' },
} as const;

async function chooseYear(store: Store, name: string | undefined): Promise<YearInfo> {
  const { currentYear, findYear } = await import('../../printing/repository');
  const { schoolToday } = await import('../../school/years');
  if (name) {
    const year = await findYear(store.db, name.trim());
    if (!year) throw new AppError('not_found', `Учебный год ${name} не найден.`);
    return year;
  }
  const year = await currentYear(store.db, await schoolToday(store.db, new Date()));
  if (!year) throw new AppError('not_found', 'В базе данных нет ни одного учебного года.');
  return year;
}

export const reportCommand: CliCommand = {
  name: 'report',
  summary: 'Записать отчёт (контроль ведения журнала, итоги успеваемости, посещаемость) в PDF, XLSX или CSV',
  usage: USAGE,
  async run(args, io) {
    const { reportFileFormats, reportFormTitles, resultsGroupings } = await import('../../../src-shared/contract/reports');
    const { findClassByName } = await import('../../printing/repository');
    const { makeReport } = await import('../../reports/forms');
    const { reportFile } = await import('../../reports/render');
    const values = parseOptions(args, options);
    if (values.list) {
      for (const [name, form] of Object.entries(CLI_FORMS)) io.out(`${name.padEnd(12)} ${reportFormTitles[form]}`);
      return 0;
    }
    const databaseUrl = requireDb(values.db, { mustExist: true });
    if (!values.form) throw new UsageError(`Не указана форма: добавьте --form (${Object.keys(CLI_FORMS).join(', ')}); список — zhurnal report --list`);
    const form = CLI_FORMS[values.form.trim().toLowerCase()];
    if (!form) throw new UsageError(`Нет формы «${values.form}». Формы: ${Object.keys(CLI_FORMS).join(', ')}`);
    if (!values.out) throw new UsageError('Не указано, куда записать отчёт: добавьте --out ФАЙЛ.pdf, .xlsx или .csv');
    const format = extname(values.out).slice(1).toLowerCase() as ReportFileFormat;
    if (!reportFileFormats.includes(format)) throw new UsageError('--out: имя файла должно оканчиваться на .pdf, .xlsx или .csv');
    const out = requireOutputFile(values.out, 'out', `отчёт.${format}`);
    if (values.period && (values.from || values.to)) throw new UsageError('Укажите либо --period, либо --from и --to');
    const from = values.from === undefined ? undefined : requireDate(values.from, 'from');
    const to = values.to === undefined ? undefined : requireDate(values.to, 'to');
    let groupBy: ResultsGrouping | undefined;
    if (values.by !== undefined) {
      if (!resultsGroupings.includes(values.by as ResultsGrouping)) throw new UsageError(`--by: ${resultsGroupings.join(', ')}`);
      groupBy = values.by as ResultsGrouping;
    }

    return withCore(databaseUrl, async (core) => {
      const db = core.store.db;
      const year = await chooseYear(core.store, values.year);
      const filter: ReportFilter = { form, yearId: year.id };
      let grade: number | undefined;
      if (values.class) {
        const found = await findClassByName(db, year.id, values.class);
        if (!found) throw new AppError('not_found', `Класс ${values.class} не найден в ${year.name} учебном году.`);
        filter.classId = found.id;
        grade = (await db.selectFrom('school_class').select('grade').where('id', '=', found.id).executeTakeFirstOrThrow()).grade;
      }
      if (values.teacher) {
        const teacher = await db.selectFrom('app_user').select('id').where('login', '=', values.teacher.trim().toLowerCase()).executeTakeFirst();
        if (!teacher) throw new AppError('not_found', `Сотрудника с логином ${values.teacher} нет.`);
        filter.teacherId = teacher.id;
      }
      if (values.period) {
        const number = Number(values.period);
        if (!Number.isInteger(number) || number < 1 || number > 12) throw new UsageError(`Неверный период: ${values.period}. Укажите номер: 1, 2, …`);
        // Periods differ by grade (quarters, half-years): the class's, or the first that has this number.
        let query = db.selectFrom('study_period').select('id').where('year_id', '=', year.id).where('number', '=', number).orderBy('grade_from');
        if (grade !== undefined) query = query.where('grade_from', '<=', grade).where('grade_to', '>=', grade);
        const period = await query.executeTakeFirst();
        if (!period) throw new AppError('not_found', `В ${year.name} учебном году нет периода № ${number}.`);
        filter.periodId = period.id;
      }
      if (from !== undefined) filter.from = from;
      if (to !== undefined) filter.to = to;
      if (groupBy) filter.groupBy = groupBy;
      const report = await makeReport(db, new Date(), filter, { all: true });
      const bytes = await reportFile(report, format);
      const partial = `${out}.part`;
      try {
        await writeFile(partial, bytes);
        await rename(partial, out);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      io.out(`${report.title}. ${report.subtitle}: ${out}`);
      io.out(`Строк: ${report.rows.length}.`);
      return 0;
    });
  },
};
