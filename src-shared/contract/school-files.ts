import { z } from 'zod';
import { command, query } from './define';
import { jobId, jobStatus } from './jobs';
import { id, isoDate, requiredText } from './common';

// Import of lists from CSV (UTF-8 or Windows-1251, «;» or «,») and XLSX with Russian column
// headers, with a preview; nothing is written unless the whole file is valid. Export of the
// same lists in the same columns, so an exported file imports back.

export const listKinds = ['students', 'staff', 'classes', 'load'] as const;
export type ListKind = (typeof listKinds)[number];
export const listKindTitles: Record<ListKind, string> = {
  students: 'Ученики',
  staff: 'Сотрудники',
  classes: 'Классы',
  load: 'Педагогическая нагрузка',
};

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Base64 of at most MAX_IMPORT_BYTES (4 characters per 3 bytes), line breaks allowed. */
const base64File = z
  .string()
  .min(1, 'Файл пуст')
  .max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 200_000, 'Файл больше 5 МБ')
  .regex(/^[A-Za-z0-9+/=\r\n]+$/, 'Содержимое файла должно быть в base64');

const importInput = z.object({
  kind: z.enum(listKinds),
  /** Tells XLSX from CSV when the content does not (and names the file in the audit). */
  fileName: requiredText(255, 'Имя файла'),
  content: base64File,
  yearId: id.optional(),
});

export const importRow = z.object({
  /** The row number as the spreadsheet shows it (the header is row 1). */
  row: z.number().int(),
  values: z.record(z.string(), z.string()),
  errors: z.array(z.string()),
});

export const importPreview = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  columns: z.array(z.string()),
  rows: z.array(importRow),
  validRows: z.number().int(),
  errorRows: z.number().int(),
  /** Problems of the file as a whole (a missing column, no rows). */
  fileErrors: z.array(z.string()),
});
export type ImportPreview = z.infer<typeof importPreview>;

export const schoolFilesContract = {
  'import.preview': query('school.people', importInput, importPreview, 'Проверить файл для импорта: строки и ошибки по строкам'),
  'import.apply': command(
    'school.people',
    importInput,
    jobStatus,
    'Импортировать файл целиком (если в нём нет ни одной ошибки) как долгое задание: чтение, проверка, запись — jobs.*; остановка ничего не записывает',
  ),
  'import.result': command(
    'school.people',
    z.object({ jobId }).strict(),
    z.object({
      created: z.number().int(),
      updated: z.number().int(),
      /** Staff import: temporary passwords made for accounts whose row gave none — handed over once. */
      temporaryPasswords: z.array(z.object({ login: z.string(), fullName: z.string(), password: z.string() })),
    }),
    'Итог своего законченного импорта; временные пароли новых сотрудников выдаются один раз',
  ),
  'export.list': query(
    'school.read',
    z.object({ kind: z.enum(listKinds), format: z.enum(['csv', 'xlsx']).default('xlsx'), yearId: id.optional(), date: isoDate.optional() }),
    z.object({ fileName: z.string(), mimeType: z.string(), content: z.string(), rows: z.number().int() }),
    'Выгрузить список в CSV или XLSX (те же столбцы, что при импорте)',
  ),
};
