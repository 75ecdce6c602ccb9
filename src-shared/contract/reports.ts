import { z } from 'zod';
import { query } from './define';
import { id, isoDate } from './common';
import { fulfilmentDigest } from './plans';

// Reports and journal control (D-30 … D-32; 004 §4.1–4.2). Every method reads only.
// One report definition (`reportView`) drives the screen table, the PDF and the XLSX.

export const reportForms = ['control', 'controlLessons', 'results', 'subjectTeacher', 'attendanceByMonth', 'schoolAttendance', 'classTeacher', 'averageDynamics', 'access', 'movement'] as const;
export type ReportForm = (typeof reportForms)[number];

export const reportFormTitles: Record<ReportForm, string> = {
  control: 'Контроль ведения журнала',
  controlLessons: 'Уроки без темы, без домашнего задания, с поздними записями',
  results: 'Итоги успеваемости за период',
  subjectTeacher: 'Отчёт учителя-предметника',
  attendanceByMonth: 'Посещаемость класса по месяцам',
  schoolAttendance: 'Сводка посещаемости по школе',
  classTeacher: 'Отчёт классного руководителя',
  averageDynamics: 'Динамика среднего балла',
  access: 'Отчёт о доступе к классному журналу',
  movement: 'Движение и численность учащихся',
};

/** Which filters a form takes: the screen shows only these, and a required class is asked for first. */
export interface FormFilters {
  classRequired: boolean;
  subject: boolean;
  teacher: boolean;
  /** Period results: a period, never plain dates. */
  periodOnly: boolean;
  /** With periodOnly: no period chosen means the whole year (its year finals). */
  wholeYear: boolean;
}
const anyFilters: FormFilters = { classRequired: false, subject: true, teacher: true, periodOnly: false, wholeYear: false };
const classFilters: FormFilters = { classRequired: true, subject: false, teacher: false, periodOnly: false, wholeYear: false };
export const formFilters: Record<ReportForm, FormFilters> = {
  control: anyFilters,
  controlLessons: anyFilters,
  results: { ...anyFilters, periodOnly: true },
  subjectTeacher: { ...anyFilters, periodOnly: true, wholeYear: true },
  attendanceByMonth: classFilters,
  schoolAttendance: { ...anyFilters, subject: false, teacher: false },
  classTeacher: classFilters,
  averageDynamics: { ...classFilters, subject: true },
  access: { classRequired: false, subject: false, teacher: true, periodOnly: false, wholeYear: false },
  movement: { classRequired: false, subject: false, teacher: false, periodOnly: false, wholeYear: false },
};

export const resultsGroupings = ['class', 'subject', 'teacher'] as const;
export type ResultsGrouping = (typeof resultsGroupings)[number];
export const resultsGroupingTitles: Record<ResultsGrouping, string> = { class: 'по классам', subject: 'по предметам', teacher: 'по учителям' };

/** What a lesson list of the control report shows. */
export const lessonIssues = ['noTopic', 'noHomework', 'late', 'all'] as const;
export type LessonIssue = (typeof lessonIssues)[number];

export const reportFilter = z.object({
  form: z.enum(reportForms, 'Выберите форму отчёта'),
  yearId: id.optional(),
  periodId: id.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  classId: id.optional(),
  subjectId: id.optional(),
  teacherId: id.optional(),
  loadId: id.optional(),
  groupBy: z.enum(resultsGroupings).optional(),
  issue: z.enum(lessonIssues).optional(),
});
export type ReportFilter = z.infer<typeof reportFilter>;

/** How a column's numbers are written: on screen, in the PDF and as the XLSX number format. */
export const columnFormats = ['text', 'int', 'decimal', 'percent', 'date'] as const;
export type ColumnFormat = (typeof columnFormats)[number];

export const reportColumn = z.object({
  key: z.string(),
  title: z.string(),
  format: z.enum(columnFormats),
  /** Relative width in the PDF (text columns wider). */
  width: z.number().optional(),
  /** A shorter heading for the screen's narrow columns; the full one is shown on hover. */
  short: z.string().optional(),
});
export type ReportColumn = z.infer<typeof reportColumn>;

const cell = z.union([z.string(), z.number(), z.null()]);

export const reportRow = z.object({
  cells: z.record(z.string(), cell),
  /** The report behind this row (a click on the screen opens it). */
  drill: reportFilter.partial().nullable(),
  /** A totals line: bold on screen and on paper. */
  total: z.boolean(),
});
export type ReportRow = z.infer<typeof reportRow>;

/** A chart described by data only: `chartOption` (src-shared/rules/charts) turns it into the ECharts option on both sides. */
export const chartSpec = z.object({
  kind: z.enum(['bar', 'line']),
  title: z.string(),
  categories: z.array(z.string()),
  series: z.array(z.object({ name: z.string(), values: z.array(z.number().nullable()) })),
  unit: z.string(),
  max: z.number().nullable(),
});
export type ChartSpec = z.infer<typeof chartSpec>;

export const reportView = z.object({
  form: z.enum(reportForms),
  title: z.string(),
  /** «5А класс · I четверть (01.09.2026 – 25.10.2026)»: what the figures cover. */
  subtitle: z.string(),
  schoolName: z.string(),
  /** The school-local date it was made. */
  madeOn: z.string(),
  columns: z.array(reportColumn),
  rows: z.array(reportRow),
  chart: chartSpec.nullable(),
  /** «Заместитель директора по УВР ________ И. О. Фамилия»: lines under the table. */
  signatures: z.array(z.string()),
  /** Remarks printed under the table (grades without marks, how figures are counted). */
  notes: z.array(z.string()),
  /** The filter as the core resolved it (defaults filled in), for the next call. */
  filter: reportFilter,
});
export type ReportView = z.infer<typeof reportView>;

export const reportFileFormats = ['pdf', 'xlsx', 'csv'] as const;
export type ReportFileFormat = (typeof reportFileFormats)[number];

const reportFile = z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() });

const formInfo = z.object({ form: z.enum(reportForms), title: z.string(), description: z.string() });

/** One line of the deputy's control summary: a teacher or a class and its figure. */
const summaryEntry = z.object({ label: z.string(), value: z.number(), drill: reportFilter.partial() });

export const controlSummary = z.object({
  from: z.string(),
  to: z.string(),
  yearId: id.nullable(),
  measures: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      /** The whole school's figure. */
      total: z.number(),
      drill: reportFilter.partial(),
      worstTeachers: z.array(summaryEntry),
      worstClasses: z.array(summaryEntry),
    }),
  ),
  /** Periods that ended and whose class journals have not all been printed. */
  awaitingPrint: z.array(z.object({ periodName: z.string(), endsOn: z.string(), classesNotPrinted: z.array(z.string()) })),
  lastBackup: z.object({ at: z.string(), ageDays: z.number() }).nullable(),
  /** Programme fulfilment (D-32) by the summary's last day; null without a year. */
  fulfilment: fulfilmentDigest.nullable(),
});
export type ControlSummary = z.infer<typeof controlSummary>;

export const reportsContract = {
  'reports.forms': query('reports.read', z.object({}), z.array(formInfo), 'Формы отчётов, доступные вам'),
  'reports.run': query('reports.read', reportFilter, reportView, 'Отчёт на экране: таблица и диаграмма'),
  'reports.file': query('reports.read', reportFilter.extend({ format: z.enum(reportFileFormats, 'Формат: pdf, xlsx или csv') }), reportFile, 'Отчёт файлом: PDF, XLSX или CSV'),
  'reports.controlSummary': query(
    'reports.control',
    z.object({ from: isoDate.optional(), to: isoDate.optional() }),
    controlSummary,
    'Сводка контроля ведения журнала для заместителя директора',
  ),
};
