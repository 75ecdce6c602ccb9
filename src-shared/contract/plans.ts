import { z } from 'zod';
import { MAX_PLAN_HOMEWORK, MAX_PLAN_ROWS, MAX_PLAN_SECTION, MAX_PLAN_TOPIC, planStatuses } from '../rules/plans';
import { command, query } from './define';
import { jobStatus } from './jobs';
import { id, isoDate, requiredText, text } from './common';
import { MAX_IMPORT_BYTES } from './school-files';

// The calendar-thematic plan (КТП, D-15): per teaching load, edited by the load's teacher,
// approved or returned by the deputy (D-2); programme fulfilment (D-32) for the deputy.

const version = z.number().int().min(1);
const base64File = z
  .string()
  .min(1, 'Файл пуст')
  .max(Math.ceil(MAX_IMPORT_BYTES / 3) * 4 + 200_000, 'Файл больше 5 МБ')
  .regex(/^[A-Za-z0-9+/=\r\n]+$/, 'Содержимое файла должно быть в base64');

export const planRowInput = z.object({
  /** Absent: a new row. */
  id: id.optional(),
  section: text(MAX_PLAN_SECTION).default(''),
  topic: requiredText(MAX_PLAN_TOPIC, 'Тема урока', 'Укажите тему урока'),
  hours: z.number().int('Часы — целое число').min(1, 'Не меньше 1 часа').max(10, 'Не больше 10 часов'),
  plannedDate: isoDate.nullable().default(null),
  plannedWeek: z.number().int().min(1, 'Неделя от 1').max(53, 'Неделя до 53').nullable().default(null),
  controlWork: z.boolean().default(false),
  workTypeId: id.nullable().default(null),
  homework: text(MAX_PLAN_HOMEWORK).default(''),
});
export type PlanRowInput = z.input<typeof planRowInput>;

export const planRowView = z.object({
  id,
  number: z.number().int(),
  section: z.string(),
  topic: z.string(),
  hours: z.number().int(),
  plannedDate: z.string().nullable(),
  plannedWeek: z.number().int().nullable(),
  controlWork: z.boolean(),
  workTypeId: id.nullable(),
  homework: z.string(),
  /** Lessons of the journal that took this row. */
  given: z.number().int(),
});
export type PlanRowView = z.infer<typeof planRowView>;

const planStatus = z.enum(['none', ...planStatuses]);

export const planView = z.object({
  loadId: id,
  className: z.string(),
  grade: z.number().int(),
  subjectName: z.string(),
  subgroupName: z.string().nullable(),
  teacherName: z.string(),
  yearName: z.string(),
  status: planStatus,
  /** Null until the plan is first saved. */
  version: z.number().int().nullable(),
  hoursNote: z.string(),
  reviewComment: z.string(),
  rows: z.array(planRowView),
  plannedHours: z.number().int(),
  /** The curriculum's weekly hours × the grade's teaching weeks (D-15). */
  curriculum: z.object({ hoursPerWeek: z.number(), weeks: z.number().int(), hours: z.number().int() }),
  /** plannedHours − curriculum.hours; non-zero blocks approval until hoursNote explains it. */
  difference: z.number().int(),
  warnings: z.array(z.string()),
  corrections: z.array(z.object({ at: z.string(), byName: z.string(), reason: z.string(), summary: z.string() })),
  /** The caller is the load's teacher and the plan is not on review. */
  canEdit: z.boolean(),
  canApprove: z.boolean(),
});
export type PlanView = z.infer<typeof planView>;

/** A load as the plan lists name it. */
const planLoadNames = z.object({
  loadId: id,
  className: z.string(),
  subjectName: z.string(),
  subgroupName: z.string().nullable(),
  teacherName: z.string(),
});

export const planLoadItem = planLoadNames.extend({
  mine: z.boolean(),
  status: planStatus,
  rows: z.number().int(),
  plannedHours: z.number().int(),
  curriculumHours: z.number().int(),
});

export const importedRow = z.object({
  /** The row number as the spreadsheet shows it. */
  row: z.number().int(),
  number: z.number().int(),
  section: z.string(),
  topic: z.string(),
  hours: z.number().int(),
  plannedDate: z.string().nullable(),
  plannedWeek: z.number().int().nullable(),
  controlWork: z.boolean(),
  homework: z.string(),
  errors: z.array(z.string()),
  warnings: z.array(z.string()),
});

export const planImportResult = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  /** XLSX: the sheet read, and the book's sheets to choose from. */
  sheet: z.string().nullable(),
  sheets: z.array(z.string()),
  /** Which of the file's columns were recognised, by their titles in the file. */
  columns: z.array(z.string()),
  rows: z.array(importedRow),
  fileErrors: z.array(z.string()),
  errorRows: z.number().int(),
  plannedHours: z.number().int(),
});
export type PlanImportResult = z.infer<typeof planImportResult>;

export const fulfilmentItem = planLoadNames.extend({
  status: planStatus,
  /** Hours of the plan up to the date (rows with a date or week by then). */
  plannedToDate: z.number().int(),
  /** Lessons given up to the date. */
  given: z.number().int(),
  /** plannedToDate − given when positive: «отставание». */
  behind: z.number().int(),
  plannedTotal: z.number().int(),
  skipped: z.array(z.object({ number: z.number().int(), topic: z.string() })),
  givenTwice: z.array(z.object({ number: z.number().int(), topic: z.string(), lessons: z.number().int() })),
  /** Lessons with a topic typed by hand, linked to no plan row. */
  unplanned: z.number().int(),
  /** The half-year correction (by 20 December) is due and missing. */
  correctionMissing: z.boolean(),
});
export type FulfilmentItem = z.infer<typeof fulfilmentItem>;

/** The school-wide fulfilment in a few figures, for the deputy's control summary. */
export const fulfilmentDigest = z.object({
  date: z.string(),
  /** Teaching loads of the year. */
  loads: z.number().int(),
  withoutPlan: z.number().int(),
  /** Loads with fewer lessons given than planned by the date, and their lag summed. */
  loadsBehind: z.number().int(),
  hoursBehind: z.number().int(),
  skippedTopics: z.number().int(),
  correctionsMissing: z.number().int(),
  /** The loads furthest behind, most first. */
  worst: z.array(z.object({ loadId: id, label: z.string(), behind: z.number().int() })),
});
export type FulfilmentDigest = z.infer<typeof fulfilmentDigest>;

const loadInput = z.object({ loadId: id });

const planImportInput = z.object({
  loadId: id,
  version: version.nullable(),
  fileName: requiredText(255, 'Имя файла'),
  content: base64File,
  /** An XLSX sheet by name; absent: the first sheet where a plan's headers are found. */
  sheet: z.string().min(1, 'Не указан лист').max(100, 'Название листа не длиннее 100 символов').optional(),
});

export const plansContract = {
  'plans.loads': query('journal.read', z.object({ yearId: id.optional() }), z.array(planLoadItem), 'КТП по нагрузкам: свои у учителя, все у заместителя директора'),
  'plans.get': query('journal.read', loadInput, planView, 'КТП нагрузки: уроки, часы против учебного плана, статус'),
  'plans.save': command(
    'journal.write',
    z.object({
      loadId: id,
      /** Null: the load has no plan yet. */
      version: version.nullable(),
      rows: z.array(planRowInput).max(MAX_PLAN_ROWS, `Не больше ${MAX_PLAN_ROWS} уроков`),
      hoursNote: text(1000).default(''),
      /** Required for a change to an approved plan (a correction). */
      reason: text(500).default(''),
    }),
    planView,
    'Сохранить КТП своей нагрузки (после утверждения — корректировка с причиной)',
  ),
  'plans.import': query(
    'journal.write',
    planImportInput,
    planImportResult,
    'Проверить КТП из XLSX или CSV перед загрузкой: строки с ошибками и предупреждениями',
  ),
  'plans.importApply': command(
    'journal.write',
    planImportInput,
    jobStatus,
    'Загрузить КТП из XLSX или CSV как долгое задание (чтение, проверка, запись — jobs.*): запись — только если весь файл верен; остановка ничего не записывает',
  ),
  'plans.copySources': query(
    'journal.read',
    loadInput,
    z.array(z.object({ loadId: id, yearName: z.string(), className: z.string(), subjectName: z.string(), subgroupName: z.string().nullable(), teacherName: z.string(), rows: z.number().int(), plannedHours: z.number().int() })),
    'Откуда можно скопировать КТП: прошлый год той же параллели и предмета, параллельные классы',
  ),
  'plans.copy': command('journal.write', z.object({ fromLoadId: id, toLoadId: id, version: version.nullable() }), planView, 'Скопировать КТП другой нагрузки в свою (даты по плану не переносятся)'),
  'plans.export': query('journal.read', loadInput, z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() }), 'Выгрузить КТП в XLSX'),
  'plans.submit': command('journal.write', z.object({ loadId: id, version }), planView, 'Отправить КТП на проверку заместителю директора'),
  'plans.approve': command('journal.approve', z.object({ loadId: id, version, comment: text(1000).default('') }), planView, 'Утвердить КТП'),
  'plans.return': command('journal.approve', z.object({ loadId: id, version, comment: requiredText(1000, 'Замечания', 'Напишите, что исправить') }), planView, 'Вернуть КТП учителю с замечаниями'),
  'plans.fulfilment': query(
    'journal.read',
    z.object({ date: isoDate.optional(), loadId: id.optional(), yearId: id.optional() }),
    z.object({ date: z.string(), items: z.array(fulfilmentItem) }),
    'Выполнение программы: часы по плану на дату против данных уроков, пропущенные темы, отставание',
  ),
};
