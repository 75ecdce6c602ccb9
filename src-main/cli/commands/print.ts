import { open, rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { localDate } from '../../../src-shared/rules/dates';
import { AppError } from '../../core/errors';
import type { PeriodChoice, PrintedDocument } from '../../printing/class-journal';
import type { PrintRecord } from '../../printing/print-log';
import type { YearInfo } from '../../printing/repository';
import type { Store } from '../../store/database';
import type { CliCommand } from '../command';
import { DB_HELP, parseOptions, requireDb, requireOutputFile, requireOutputFolder, UsageError, withCore } from '../options';

const USAGE = [
  'Использование:',
  '  zhurnal print --db D --class 5А --period N --out ФАЙЛ.pdf [--duplex] [--final]',
  '  zhurnal print --db D --all --period N --out ПАПКА [--duplex] [--final]',
  '  zhurnal print --db D --summary --class 5А --out ФАЙЛ.pdf [--final]',
  '  zhurnal print --db D --summary --all --out ФАЙЛ.pdf [--final]',
  '',
  'Параметры:',
  DB_HELP,
  '  --class 5А    класс',
  '  --all         все классы: по файлу на класс в папку --out (со сводной ведомостью — одна ведомость школы)',
  '  --period N    номер периода в учебном году (1 — первая четверть или первое полугодие) или year — весь год',
  '  --summary     сводная ведомость учета успеваемости за год (хранится 25 лет)',
  '  --year Г      учебный год, например 2025/2026 (по умолчанию — текущий)',
  '  --out ПУТЬ    куда записать PDF (файл или папка для --all)',
  '  --duplex      двусторонняя печать: листов вдвое меньше, чем страниц (по умолчанию — настройка школы)',
  '  --binding ММ  поле для подшивки, мм (по умолчанию — настройка школы, обычно 20)',
  '  --final       только окончательная версия для архива; если период не завершён или не выставлены',
  '                итоговые отметки — ничего не записывается, выход с кодом 1 и причиной',
  '',
  'Без --final печатается окончательная версия, когда это возможно, иначе предварительная',
  '(«ПРЕДВАРИТЕЛЬНАЯ ВЕРСИЯ — не для архива» на каждой странице); команда сообщает, какая.',
].join('\n');

const options = {
  db: { type: 'string' },
  class: { type: 'string' },
  all: { type: 'boolean' },
  period: { type: 'string' },
  summary: { type: 'boolean' },
  year: { type: 'string' },
  out: { type: 'string' },
  duplex: { type: 'boolean' },
  binding: { type: 'string' },
  final: { type: 'boolean' },
} as const;

function parsePeriod(value: string | undefined): PeriodChoice {
  if (!value) throw new UsageError('Не указан период: добавьте --period N (номер четверти или полугодия) или --period year');
  if (value.trim().toLowerCase() === 'year' || value.trim().toLowerCase() === 'год') return 'year';
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 12) throw new UsageError(`Неверный период: ${value}. Укажите номер (1, 2, …) или year`);
  return { number };
}

async function chooseYear(store: Store, name: string | undefined): Promise<YearInfo> {
  const { currentYear, findYear } = await import('../../printing/repository');
  if (name) {
    const year = await findYear(store.db, name.trim());
    if (!year) throw new AppError('not_found', `Учебный год ${name} не найден.`);
    return year;
  }
  const school = await store.db.selectFrom('school').select('time_zone').where('id', '=', 1).executeTakeFirst();
  if (!school) throw new AppError('not_found', 'В базе данных ещё нет школы.');
  const year = await currentYear(store.db, localDate(new Date(), school.time_zone));
  if (!year) throw new AppError('not_found', 'В базе данных нет ни одного учебного года.');
  return year;
}

async function chooseClass(store: Store, year: YearInfo, name: string): Promise<number> {
  const { findClassByName } = await import('../../printing/repository');
  const found = await findClassByName(store.db, year.id, name);
  if (!found) throw new AppError('not_found', `Класс ${name} не найден в ${year.name} учебном году.`);
  return found.id;
}

/** Tells which version was written: the final one, or the preliminary one and why. */
function versionLine(printed: { preliminary: boolean; missing: string[] }): string {
  return printed.preliminary
    ? `Предварительная версия — не для архива: ${printed.missing.join('; ')}.`
    : 'Окончательная версия для архива.';
}

/** Writes to `file` through a temporary name: a failed print leaves no half-written file. */
async function toFile<T>(file: string, work: (out: NodeJS.WritableStream & import('node:stream').Writable) => Promise<T>): Promise<T> {
  const partial = `${file}.part`;
  // Opened first, so a path that cannot be written is a rejected promise, not a stream's unhandled 'error'.
  const handle = await open(partial, 'w');
  const stream = handle.createWriteStream();
  let writeError: unknown = null;
  stream.on('error', (error) => (writeError ??= error));
  try {
    const result = await work(stream);
    stream.end();
    await finished(stream);
    if (writeError) throw writeError;
    await rename(partial, file);
    return result;
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}

export const printCommand: CliCommand = {
  name: 'print',
  summary: 'Распечатать классный журнал или сводную ведомость в PDF для подшивки и архива',
  usage: USAGE,
  async run(args, io) {
    const { printClassJournal, resolvePeriod } = await import('../../printing/class-journal');
    const { readPrintSettings } = await import('../../printing/handlers');
    const { ReservedPrint } = await import('../../printing/print-log');
    const { readClass } = await import('../../printing/repository');
    const { sheetsPhrase } = await import('../../printing/russian-numbers');
    const { printSchool } = await import('../../printing/school');
    const { printYearSummary } = await import('../../printing/summary');
    const values = parseOptions(args, options);
    const databaseUrl = requireDb(values.db, { mustExist: true });
    if (!values.out) throw new UsageError('Не указано, куда записать PDF: добавьте --out');
    if (!values.class && !values.all) throw new UsageError('Укажите класс (--class 5А) или все классы (--all)');
    if (values.class && values.all) throw new UsageError('Укажите либо --class, либо --all');
    let binding: number | undefined;
    if (values.binding !== undefined) {
      binding = Number(values.binding);
      if (!Number.isInteger(binding) || binding < 5 || binding > 40) throw new UsageError('Поле для подшивки (--binding): целое число миллиметров от 5 до 40');
    }
    // Checked before anything is printed: --all (journals) writes into a folder, the rest into one file.
    const out = values.all && !values.summary ? requireOutputFolder(values.out, 'out') : requireOutputFile(values.out, 'out', values.summary ? 'ведомость.pdf' : 'журнал.pdf');

    return withCore(databaseUrl, async (core) => {
      const store = core.store;
      const year = await chooseYear(store, values.year);
      const settings = await readPrintSettings(store.db);
      const printOptions = { duplex: values.duplex ?? settings.duplex, bindingMarginMm: binding ?? settings.bindingMarginMm };
      const record = { userId: null, source: 'cli' as const, now: () => new Date() };

      const final = values.final ?? false;
      /** Prints through the print log: the row is reserved for the certification, completed with the file, dropped on failure. */
      const logged = async <T extends PrintedDocument>(entry: Omit<PrintRecord, 'at' | 'userId' | 'source' | 'sha256' | 'pages' | 'sheets' | 'title'>, print: (logNumber: () => Promise<number>) => Promise<T>): Promise<T> => {
        const reserved = new ReservedPrint(store, { ...entry, at: record.now().toISOString(), userId: null, source: 'cli', title: '' });
        try {
          const printed = await print(reserved.number);
          await reserved.complete({ sha256: printed.sha256, pages: printed.pages, sheets: printed.sheets, title: printed.title, preliminary: printed.preliminary, historyAt: printed.historyAt });
          return printed;
        } catch (error) {
          await reserved.abandon();
          throw error;
        }
      };

      if (values.summary) {
        const scope = values.all ? { yearId: year.id } : { classId: await chooseClass(store, year, values.class!) };
        const printed = await logged(
          {
            document: values.all ? 'school_summary' : 'class_summary',
            classId: 'classId' in scope ? (scope.classId ?? null) : null,
            yearId: year.id,
            periodId: null,
            options: { bindingMarginMm: printOptions.bindingMarginMm },
            fileName: out,
          },
          (logNumber) => toFile(out, (stream) => printYearSummary(store, { scope, bindingMarginMm: printOptions.bindingMarginMm, out: stream, now: record.now(), final, logNumber })),
        );
        io.out(`${printed.title}: ${out}`);
        io.out(versionLine(printed));
        io.out(`Страниц: ${printed.pages}. SHA-256: ${printed.sha256}`);
        return 0;
      }

      const period = parsePeriod(values.period);
      if (values.all) {
        const controller = new AbortController();
        const stop = () => {
          io.err('Прерывание: печать остановится после текущего класса…');
          controller.abort();
        };
        process.once('SIGINT', stop);
        try {
          const result = await printSchool(store, {
            yearId: year.id,
            period,
            outDir: out,
            options: printOptions,
            final,
            signal: controller.signal,
            record,
            onProgress: (p) => {
              const position = `[${p.done}/${p.total}]`;
              if (p.file) io.out(`${position} ${p.className}: ${p.pages} стр., ${sheetsPhrase(p.sheets)}${p.preliminary ? ', предварительная версия' : ''} — ${p.file}`);
              else if (p.skipped) io.out(`${position} ${p.className}: пропущен — ${p.skipped}`);
              else io.err(`${position} ${p.className}: не напечатан — ${p.failed}`);
            },
            onClassError: (error, className) => io.err(`${className}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
          });
          const pages = result.files.reduce((s, f) => s + f.pages, 0);
          if (result.cancelled) {
            io.err(`Печать прервана: готово классов — ${result.files.length}.`);
            return 1;
          }
          io.out(`Готово: классов — ${result.files.length}, страниц — ${pages}${result.skipped.length ? `, пропущено классов — ${result.skipped.length}` : ''}. Папка: ${out}`);
          if (result.failed.length > 0) {
            io.err(`Не напечатаны: ${result.failed.map((f) => f.className).join(', ')}.`);
            return 1;
          }
          return 0;
        } finally {
          process.removeListener('SIGINT', stop);
        }
      }

      const classId = await chooseClass(store, year, values.class!);
      const schoolClass = await readClass(store.db, classId);
      const resolved = resolvePeriod(schoolClass, period);
      const printed = await logged(
        { document: 'class_journal', classId, yearId: year.id, periodId: resolved === 'year' ? null : resolved.id, options: printOptions, fileName: out },
        (logNumber) => toFile(out, (stream) => printClassJournal(store, { classId, period, options: printOptions, out: stream, now: record.now(), final, logNumber })),
      );
      io.out(`${printed.title}: ${out}`);
      io.out(versionLine(printed));
      io.out(`Страниц: ${printed.pages}, ${printOptions.duplex ? 'двусторонняя печать' : 'односторонняя печать'}: ${sheetsPhrase(printed.sheets)}. SHA-256: ${printed.sha256}`);
      return 0;
    });
  },
};
