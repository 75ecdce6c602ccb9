import { z } from 'zod';
import { command, query } from './define';
import { id } from './common';

// Printing the journal for the archive (issue «Printing the journal», D-34 … D-36, D-39).

export const printSettings = z.object({
  /** The margin on the sewn edge, mm. */
  bindingMarginMm: z.number().int().min(5, 'Поле для подшивки: не меньше 5 мм').max(40, 'Поле для подшивки: не больше 40 мм'),
  /** Two-sided printing: sheets = pages / 2, the binding margin alternates sides. */
  duplex: z.boolean(),
});
export type PrintSettings = z.infer<typeof printSettings>;
export const defaultPrintSettings: PrintSettings = { bindingMarginMm: 20, duplex: false };

const printedPdf = z.object({
  /** The PDF for preview, saving or the system print dialog. */
  pdfBase64: z.string(),
  sha256: z.string(),
  pages: z.number().int(),
  sheets: z.number().int(),
  title: z.string(),
  fileName: z.string(),
  /** The print-log entry of this print. */
  logId: z.number().int(),
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
      })
      .strict(),
    printedPdf,
    'Классный журнал за период в PDF для подшивки (D-34); печать записывается в журнал печати',
  ),
  'print.summary': command(
    'print.journal',
    z.discriminatedUnion('scope', [
      z.object({ scope: z.literal('class'), classId: id }).strict(),
      z.object({ scope: z.literal('school'), yearId: id }).strict(),
    ]),
    printedPdf,
    'Сводная ведомость учета успеваемости за год: класс или вся школа (D-35, D-36)',
  ),
  'print.log': query(
    'print.journal',
    z.object({ limit: z.number().int().min(1).max(1000).default(100), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256: 64 шестнадцатеричных знака').optional() }).strict(),
    z.array(printLogEntry),
    'Журнал печати: кто, когда, что распечатал, SHA-256 файла (D-39)',
  ),
  'print.settings': query('print.journal', z.object({}).strict(), printSettings, 'Настройки печати журнала: поле для подшивки, двусторонняя печать'),
  'print.saveSettings': command('school.manage', printSettings.strict(), printSettings, 'Изменить настройки печати журнала'),
};
