import { z } from 'zod';
import { command, query } from './define';
import { id, isoDate, text } from './common';
import { jobStatus } from './jobs';

// Paper for parents (D-9, D-31): the student's report and the class extract with its
// tear-off strip, the register of returned strips, the results letter and the
// pedagogical council's decisions that letter and the summary sheet print.

/** The council's decision on a student at the end of a year. */
export const councilDecisions = ['promoted', 'promotedConditionally', 'retained', 'graduated'] as const;
export type CouncilDecisionKind = (typeof councilDecisions)[number];
export const councilDecisionTitles: Record<CouncilDecisionKind, string> = {
  promoted: 'переведён в следующий класс',
  promotedConditionally: 'переведён условно (с академической задолженностью)',
  retained: 'оставлен на повторное обучение',
  graduated: 'выпущен (окончил обучение)',
};

const printedPaper = z.object({
  pdfBase64: z.string(),
  sha256: z.string(),
  pages: z.number().int(),
  sheets: z.number().int(),
  title: z.string(),
  fileName: z.string(),
  logId: z.number().int(),
  /** Students printed, one after another, each from a new sheet. */
  students: z.number().int(),
});

const range = z
  .object({ from: isoDate, to: isoDate })
  .refine((r) => r.from <= r.to, { message: 'Начало периода позже его конца', path: ['from'] })
  .refine((r) => Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`) <= 400 * 86_400_000, { message: 'Период отчёта — не больше учебного года', path: ['to'] });

const registerStudent = z.object({
  extractPrintId: z.number().int(),
  studentId: z.number().int(),
  label: z.string(),
  /** The day the parent signed the strip; null while it has not come back. */
  acknowledgedOn: z.string().nullable(),
});

const registerExtract = z.object({
  logId: z.number().int(),
  from: z.string(),
  to: z.string(),
  printedAt: z.string(),
  printedBy: z.string().nullable(),
  students: z.array(registerStudent),
});

export const extractsContract = {
  'extracts.print': command(
    'extracts.print',
    z
      .object({
        classId: id,
        from: isoDate,
        to: isoDate,
        /** Some students only (one student's report); the whole class when absent. */
        studentIds: z.array(id).min(1, 'Выберите хотя бы одного ученика').max(200).optional(),
        /** Two-sided printing: each student's part is padded to an even page count. Defaults to the school's print setting. */
        duplex: z.boolean().optional(),
      })
      .strict()
      .superRefine((value, ctx) => {
        const checked = range.safeParse({ from: value.from, to: value.to });
        if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }),
    printedPaper,
    'Отчёт об успеваемости и посещаемости ученика за период: один ученик или весь класс, каждый с нового листа; печать записывается по каждому ученику',
  ),
  'extracts.schoolJob.start': command(
    'extracts.overview',
    z
      .object({
        yearId: id,
        from: isoDate,
        to: isoDate,
        /** An existing, writable folder on the computer that runs the core; one PDF per class goes there. */
        folder: z.string().trim().min(1, 'Укажите папку для файлов').max(1000, 'Путь к папке слишком длинный: не больше 1000 символов'),
        duplex: z.boolean().optional(),
      })
      .strict()
      .superRefine((value, ctx) => {
        const checked = range.safeParse({ from: value.from, to: value.to });
        if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      }),
    jobStatus,
    'Отчёты для родителей всей школы: по PDF на класс в папку, заданием с ходом выполнения и остановкой (jobs.status, jobs.cancel)',
  ),
  'extracts.register': query(
    'extracts.print',
    z.object({ classId: id, limit: z.number().int().min(1).max(50).default(10) }).strict(),
    z.object({
      className: z.string(),
      extracts: z.array(registerExtract),
      /** Students of the class whose strip of the latest extract printed for them has not come back. */
      unacknowledged: z.array(
        z.object({
          studentId: z.number().int(),
          label: z.string(),
          from: z.string(),
          to: z.string(),
          extractPrintId: z.number().int(),
          /** No parent or legal representative recorded: the class teacher hands the report over. */
          noParent: z.boolean(),
        }),
      ),
    }),
    'Журнал возврата отрывных талонов класса: кто ознакомился с отчётом и кто нет',
  ),
  'extracts.acknowledge': command(
    'extracts.print',
    z
      .object({
        extractPrintId: id,
        /** The day on the returned strip; null removes a tick made by mistake. */
        acknowledgedOn: isoDate.nullable(),
      })
      .strict(),
    z.object({ extractPrintId: z.number().int(), acknowledgedOn: z.string().nullable() }),
    'Отметить возвращённый отрывной талон (или снять ошибочную отметку)',
  ),
  'extracts.home': query(
    'extracts.print',
    z.object({}).strict(),
    z.array(
      z.object({
        classId: z.number().int(),
        className: z.string(),
        /** The school-local day of the latest extract printed for the class; null when none. */
        lastPrintedOn: z.string().nullable(),
        /** No extract for more than 14 days (003 App.2 §2). */
        overdue: z.boolean(),
        unacknowledged: z.number().int(),
        /** The range the next extract would cover: the two weeks up to today. */
        suggestedFrom: z.string(),
        suggestedTo: z.string(),
      }),
    ),
    'Выписки классного руководителя на главной: когда печаталась последняя, не пора ли снова',
  ),
  'extracts.overview': query(
    'extracts.overview',
    z.object({ yearId: id.optional() }).strict(),
    z.array(
      z.object({
        classId: z.number().int(),
        className: z.string(),
        printed: z.number().int(),
        acknowledged: z.number().int(),
        /** acknowledged / printed, 0…1; null when nothing was printed. */
        share: z.number().nullable(),
        lastPrintedOn: z.string().nullable(),
      }),
    ),
    'Доля возвращённых отрывных талонов по классам (для заместителя директора)',
  ),
  'extracts.resultsLetters': command(
    'extracts.print',
    z
      .object({
        classId: id,
        /** A study period's id, or the whole year (with the council's decision). */
        period: z.union([id, z.literal('year')]),
        studentIds: z.array(id).min(1).max(200).optional(),
        duplex: z.boolean().optional(),
      })
      .strict(),
    printedPaper,
    'Письмо родителям об итогах периода или года: по одному на ученика, пачкой на класс',
  ),
  'extracts.council.list': query(
    'extracts.print',
    z.object({ classId: id }).strict(),
    z.array(
      z.object({
        studentId: z.number().int(),
        label: z.string(),
        decision: z.enum(councilDecisions).nullable(),
        protocolDate: z.string().nullable(),
        protocolNumber: z.string().nullable(),
      }),
    ),
    'Решения педагогического совета по ученикам класса за год',
  ),
  'extracts.council.save': command(
    'extracts.council',
    z
      .object({
        classId: id,
        protocolDate: isoDate,
        protocolNumber: text(30).min(1, 'Укажите номер протокола педагогического совета'),
        decisions: z.array(z.object({ studentId: id, decision: z.enum(councilDecisions).nullable() }).strict()).min(1).max(200),
      })
      .strict(),
    z.object({ saved: z.number().int(), removed: z.number().int() }),
    'Внести решения педагогического совета (перевод, условный перевод, повторное обучение, выпуск) с датой и номером протокола',
  ),
};
