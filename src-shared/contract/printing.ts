import { z } from 'zod';
import { command, query } from './define';
import { id } from './common';
import { jobStatus } from './jobs';

// Printing the journal for the archive (D-34 … D-36, D-39).

export const printSettings = z.object({
  /** The margin on the sewn edge, mm. */
  bindingMarginMm: z.number().int().min(5, 'Поле для подшивки — от 5 до 40 мм').max(40, 'Поле для подшивки — от 5 до 40 мм'),
  /** Two-sided printing: sheets = pages / 2, the binding margin alternates sides. */
  duplex: z.boolean(),
  /** The case index of the class journals in the school's nomenclature of files (номенклатура дел), e.g. «02-15». */
  journalCaseIndex: z.string().trim().max(30, 'Индекс дела слишком длинный: не больше 30 символов').default(''),
  /** The case index of the summary sheets of marks. */
  summaryCaseIndex: z.string().trim().max(30, 'Индекс дела слишком длинный: не больше 30 символов').default(''),
});
export type PrintSettings = z.infer<typeof printSettings>;
export const defaultPrintSettings: PrintSettings = { bindingMarginMm: 20, duplex: false, journalCaseIndex: '', summaryCaseIndex: '' };

const printedPdf = z.object({
  /** The PDF for preview, saving or the system print dialog. */
  pdfBase64: z.string(),
  sha256: z.string(),
  pages: z.number().int(),
  sheets: z.number().int(),
  title: z.string(),
  fileName: z.string(),
  /** The print-log entry of this print; its number is on the certification page. */
  logId: z.number().int(),
  /** Printed as «ПРЕДВАРИТЕЛЬНАЯ ВЕРСИЯ — не для архива»; `missing` says what the final version waits for. */
  preliminary: z.boolean(),
  missing: z.array(z.string()),
  /** On the certification page: the first 16 hex digits of the SHA-256 of the pages before it. */
  fingerprint: z.string(),
});

export const printLogEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  userId: z.number().int().nullable(),
  userName: z.string().nullable(),
  source: z.string(),
  document: z.string(),
  classId: z.number().int().nullable(),
  title: z.string(),
  options: z.record(z.string(), z.unknown()),
  sha256: z.string(),
  pages: z.number().int(),
  sheets: z.number().int(),
  fileName: z.string().nullable(),
  /** The audit history's fingerprint at the moment the certification page names, computed now. */
  historyNow: z.string().nullable(),
});
export type PrintLogEntry = z.infer<typeof printLogEntry>;

export const printingContract = {
  'print.classJournal': command(
    'print.journal',
    z
      .object({
        classId: id,
        /** A study period's id, or the whole year. */
        period: z.union([id, z.literal('year')]),
        /** Defaults to the school's print setting. */
        duplex: z.boolean().optional(),
        bindingMarginMm: printSettings.shape.bindingMarginMm.optional(),
        /** Only this subject's pages (what a subject teacher may print). */
        subjectId: id.optional(),
        /** Only the final version for the archive: refused, with what is missing, when the period is not complete. */
        final: z.boolean().optional(),
      })
      .strict(),
    printedPdf,
    'Классный журнал за период в PDF для подшивки; печать записывается в журнал печати',
  ),
  'print.summary': command(
    'print.journal',
    z.discriminatedUnion('scope', [
      z.object({ scope: z.literal('class'), classId: id, final: z.boolean().optional() }).strict(),
      z.object({ scope: z.literal('school'), yearId: id, final: z.boolean().optional() }).strict(),
    ]),
    printedPdf,
    'Сводная ведомость учета успеваемости за год: класс или вся школа',
  ),
  'print.log': query(
    'print.journal',
    z.object({ limit: z.number().int().min(1).max(1000).default(100), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256: 64 шестнадцатеричных знака').optional() }).strict(),
    z.array(printLogEntry),
    'Журнал печати: кто, когда, что распечатал, SHA-256 файла',
  ),
  'print.schoolJob.start': command(
    'print.journal',
    z
      .object({
        yearId: id,
        /** The period's number in the year (1 — I четверть or I полугодие, by the class's grade), or the whole year; as `zhurnal print --all --period N`. */
        period: z.union([z.number().int().min(1, 'Номер периода — от 1 до 12').max(12, 'Номер периода — от 1 до 12'), z.literal('year')]),
        /** An existing, writable folder on the computer that runs the core; one PDF per class goes there. */
        folder: z.string().trim().min(1, 'Укажите папку для файлов').max(1000, 'Путь к папке слишком длинный: не больше 1000 символов'),
        /** Defaults to the school's print setting. */
        duplex: z.boolean().optional(),
        bindingMarginMm: printSettings.shape.bindingMarginMm.optional(),
      })
      .strict(),
    jobStatus,
    'Печать журналов всех классов за период в папку, по файлу на класс (администрация): долгое задание (ход и остановка — jobs.*), каждая печать записывается в журнал печати',
  ),
  'print.settings': query('print.journal', z.object({}).strict(), printSettings, 'Настройки печати журнала: поле для подшивки, двусторонняя печать'),
  'print.saveSettings': command('school.manage', printSettings.strict(), printSettings, 'Изменить настройки печати журнала'),
};
