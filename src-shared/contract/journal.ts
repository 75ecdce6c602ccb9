import { z } from 'zod';
import { attendanceCodes, reasonCodes, teacherCodes } from '../rules/attendance';
import { markScales, specialMarks } from '../rules/marks';
import { auditRecord } from './accounts';
import { command, query } from './define';
import { id, isoDate, isoInstant, requiredText, text } from './common';

// The class journal (D-4, D-5, D-15 … D-29, D-44). A grid is fed by one
// `journal.page` call and saves one cell at a time; every save carries the version it was
// based on (a stale one gets `conflict` with the current value and who changed it) and may
// carry an idempotency key so a retried save is applied once.

const version = z.number().int().min(0).max(2_147_483_647);
/** A client-made key (e.g. a UUID) that makes a retried save harmless. */
const idempotencyKey = z
  .string()
  .trim()
  .min(8, 'Ключ повтора: не короче 8 символов')
  .max(64, 'Ключ повтора: не длиннее 64 символов')
  .regex(/^[A-Za-z0-9_-]+$/, 'Ключ повтора: латинские буквы, цифры, дефис, подчёркивание')
  .optional();
/**
 * When the teacher typed the edit (this PC's clock), sent by the outbox with every edit: an
 * edit queued while the server was unreachable is judged by the moment it was typed (D-25),
 * within the bounds the core checks (src-main/journal/entry-time.ts).
 */
const enteredAt = isoInstant.optional();
const markValue = requiredText(12, 'Отметка', 'Укажите отметку');
const reason = requiredText(1000, 'Причина', 'Укажите причину');
export const finalKinds = ['period', 'year', 'exam', 'final'] as const;
export const finalKindTitles: Record<(typeof finalKinds)[number], string> = {
  period: 'за период',
  year: 'годовая',
  exam: 'экзаменационная',
  final: 'итоговая',
};

/** How the caller may use a page. */
export const pageAccess = z.enum(['own', 'substitute', 'classTeacher', 'read']);

export const loadSummary = z.object({
  loadId: id,
  yearId: id,
  classId: id,
  className: z.string(),
  grade: z.number().int(),
  noMarks: z.boolean(),
  subjectId: id,
  subjectName: z.string(),
  subgroupId: id.nullable(),
  subgroupName: z.string().nullable(),
  teacherId: id,
  teacherName: z.string(),
  access: pageAccess,
  periods: z.array(z.object({ id, name: z.string(), startsOn: z.string(), endsOn: z.string() })),
  /** The period that contains today, else the nearest one. */
  currentPeriodId: id.nullable(),
});

export const lessonView = z.object({
  id,
  loadId: id,
  date: z.string(),
  lessonNumber: z.number().int().nullable(),
  topic: z.string(),
  material: z.string(),
  homework: z.string(),
  homeworkFor: z.string().nullable(),
  workTypeIds: z.array(z.number().int()),
  comment: z.string(),
  givenBy: z.number().int(),
  givenByName: z.string(),
  substitution: z.boolean(),
  topicLate: z.boolean(),
  homeworkLate: z.boolean(),
  version: z.number().int(),
});
export type LessonView = z.infer<typeof lessonView>;

export const markView = z.object({
  id,
  lessonId: id,
  studentId: id,
  value: z.string(),
  workTypeId: id,
  weight: z.number(),
  comment: z.string(),
  makeUp: z.boolean(),
  late: z.boolean(),
  version: z.number().int(),
});
export type MarkView = z.infer<typeof markView>;

export const attendanceView = z.object({ lessonId: id, studentId: id, code: z.enum(attendanceCodes), version: z.number().int() });
export type AttendanceView = z.infer<typeof attendanceView>;

export const finalView = z.object({
  id,
  studentId: id,
  kind: z.enum(finalKinds),
  periodId: id.nullable(),
  value: z.string(),
  suggested: z.string(),
  deferred: z.boolean(),
  version: z.number().int(),
});
export type FinalView = z.infer<typeof finalView>;

export const journalPage = z.object({
  load: loadSummary,
  period: z.object({ id, name: z.string(), startsOn: z.string(), endsOn: z.string() }),
  /** School-local today and the earliest lesson date whose cells are still editable (D-25). */
  today: z.string(),
  editableFrom: z.string(),
  /** The caller may change something on this page (own load or a substitution lesson). */
  canEdit: z.boolean(),
  /** A substitute's lessons on this page from the substitution register (written or not). */
  substituteLessons: z.array(z.object({ date: z.string(), lessonNumber: z.number().int(), lessonId: id.nullable() })),
  periodLock: z
    .object({ lockedAt: z.string(), lockedByName: z.string(), reopenedAt: z.string().nullable(), reopenReason: z.string().nullable() })
    .nullable(),
  periodLocked: z.boolean(),
  /** Rules the renderer needs for the live average and for checking a typed mark. */
  rules: z.object({
    markScale: z.enum(markScales),
    specialMarks: z.array(z.enum(specialMarks)),
    averageDecimals: z.number().int(),
    finalRoundingThreshold: z.number(),
    editWindowDays: z.number().int(),
  }),
  workTypes: z.array(z.object({ id, name: z.string(), weight: z.number(), markDueDays: z.number().int(), active: z.boolean() })),
  /** Students of the class (and subgroup) at some time in the period; outside their dates a cell is inactive. */
  students: z.array(
    z.object({
      id,
      fullName: z.string(),
      from: z.string(),
      to: z.string().nullable(),
      average: z.number().nullable(),
      suggestedFinal: z.string().nullable(),
    }),
  ),
  lessons: z.array(lessonView.extend({ pastEditWindow: z.boolean(), editable: z.boolean() })),
  marks: z.array(markView),
  attendance: z.array(attendanceView),
  finals: z.array(finalView),
});
export type JournalPage = z.infer<typeof journalPage>;

/** Who changed a cell last: sent with `conflict` and with history. */
export const changedBy = z.object({ userId: z.number().int().nullable(), name: z.string().nullable(), at: z.string().nullable() });

const changeTarget = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('mark'),
    lessonId: id,
    studentId: id,
    /** Absent: add a mark to the cell. */
    markId: id.optional(),
    /** The version the teacher saw (required when markId is given). */
    version: version.optional(),
    /** null removes the mark. */
    value: markValue.nullable(),
    workTypeId: id.optional(),
    comment: text(300).default(''),
  }),
  z.object({
    kind: z.literal('attendance'),
    lessonId: id,
    studentId: id,
    version: version.optional(),
    code: z.enum(attendanceCodes).nullable(),
  }),
  /** Moving a lesson when its date or the new one is past the edit window (D-25). */
  z.object({
    kind: z.literal('lessonDate'),
    lessonId: id,
    /** The lesson's version the teacher saw. */
    version: version.optional(),
    date: isoDate,
  }),
]);
export type ChangeTarget = z.infer<typeof changeTarget>;

export const changeRequestView = z.object({
  id,
  loadId: id,
  className: z.string(),
  subjectName: z.string(),
  studentName: z.string(),
  lessonDate: z.string(),
  target: z.unknown(),
  current: z.string().nullable(),
  proposed: z.string().nullable(),
  reason: z.string(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});

/** A pasted block is saved in one transaction of at most this many cell edits. */
export const MAX_BATCH_CELLS = 200;

/**
 * One edit of a batch (`journal.saveCells`): the same shapes as the single saves
 * (`journal.saveMark`, `journal.deleteMark`, `journal.setAttendance`), each with its own
 * idempotency key, so a retried batch — or one cell of it sent again alone — is applied once.
 */
const batchKey = idempotencyKey.unwrap();
export const cellEdit = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('mark'),
      lessonId: id,
      studentId: id,
      markId: id.optional(),
      version: version.optional(),
      value: markValue,
      workTypeId: id,
      comment: text(300).default(''),
      idempotencyKey: batchKey,
      enteredAt,
    })
    .strict(),
  z.object({ kind: z.literal('deleteMark'), markId: id, version, idempotencyKey: batchKey, enteredAt }).strict(),
  z
    .object({
      kind: z.literal('attendance'),
      lessonId: id,
      studentId: id,
      code: z.enum(teacherCodes).nullable(),
      version,
      idempotencyKey: batchKey,
      enteredAt,
    })
    .strict(),
]);
export type CellEdit = z.input<typeof cellEdit>;

export const cellSaved = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('mark'), mark: markView }),
  z.object({ kind: z.literal('deleteMark'), markId: id }),
  z.object({ kind: z.literal('attendance'), attendance: attendanceView.extend({ code: z.enum(attendanceCodes).nullable() }) }),
]);

/** `details.refused` of a refused batch: every cell that was not accepted, and why. */
export const refusedCell = z.object({
  /** Position in the batch's `cells`. */
  index: z.number().int(),
  lessonId: z.number().int().nullable(),
  studentId: z.number().int().nullable(),
  /** «Белова Дарья, 14.10». */
  place: z.string(),
  kind: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type RefusedCell = z.infer<typeof refusedCell>;

/** One change of a compromised account, as the administrator reviews it (D-44). */
export const compromisedChange = z.object({
  auditId: z.number().int(),
  at: z.string(),
  action: z.string(),
  /** Russian: «Исправлена отметка»; null for actions outside the journal. */
  title: z.string().nullable(),
  entity: z.string(),
  /** Where: «5А · Математика · 14.10.2026 · Белова Дарья»; empty when unknown. */
  place: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
  /**
   * reverted: undone by a revert; skipped: left as is (why says); pending: a journal change
   * not yet reverted; manual: outside the journal, to be checked by hand.
   */
  outcome: z.enum(['reverted', 'skipped', 'pending', 'manual']),
  why: z.string().nullable(),
  /** Outside the journal: the audit record's own before and after, for the generic «было → стало». */
  raw: z.object({ before: z.unknown(), after: z.unknown() }).nullable(),
});
export type CompromisedChange = z.infer<typeof compromisedChange>;

/** What a new lesson starts with, read from the timetable (nothing is written). */
export const lessonDraft = z.object({
  date: z.string(),
  lessonNumber: z.number().int().nullable(),
  /** That lesson is already written: it is opened instead of a new one. */
  lessonId: id.nullable(),
  /** The next КТП lesson not yet given (its topic and homework are offered); null without a plan. */
  plan: z.object({ rowId: id, number: z.number().int(), topic: z.string(), homework: z.string() }).nullable(),
});
export type LessonDraft = z.infer<typeof lessonDraft>;

export const journalContract = {
  'journal.myLoads': query(
    'journal.read',
    z.object({ yearId: id.optional() }).strict(),
    z.array(loadSummary),
    'Журнальные страницы, доступные мне: свои предметы, класс, где я классный руководитель, замены',
  ),
  'journal.page': query(
    'journal.read',
    z.object({ loadId: id, periodId: id.optional() }).strict(),
    journalPage,
    'Страница журнала: ученики, уроки, отметки, пропуски, средний балл, итоговые',
  ),
  'journal.saveLesson': command(
    'journal.write',
    z
      .object({
        loadId: id,
        /** Absent: a new lesson. */
        lessonId: id.optional(),
        version: version.optional(),
        date: isoDate,
        lessonNumber: z.number().int().min(0).max(12).nullable().default(null),
        topic: text(500).default(''),
        material: text(1000).default(''),
        homework: text(1000).default(''),
        homeworkFor: isoDate.nullable().default(null),
        workTypeIds: z.array(id).max(10).default([]),
        comment: text(500).default(''),
        /** A new lesson given by the КТП: the plan row it takes (null: a topic of the teacher's own). */
        planRowId: id.nullable().default(null),
        idempotencyKey,
        enteredAt,
      })
      .strict(),
    lessonView,
    'Записать урок: дата (не будущая), тема, пройденное, домашнее задание, виды работ; замена отмечается сразу',
  ),
  'journal.lessonDraft': query(
    'journal.write',
    z
      .object({
        loadId: id,
        /** A lesson opened from the day's timetable; absent: the next lesson the timetable gives this page. */
        date: isoDate.optional(),
        lessonNumber: z.number().int().min(1).max(12).optional(),
      })
      .strict(),
    lessonDraft,
    'Новый урок по расписанию: дата и номер урока заполнены заранее; урок записывается только при сохранении',
  ),
  'journal.deleteLesson': command(
    'journal.write',
    z.object({ lessonId: id, version, idempotencyKey }).strict(),
    z.object({ done: z.literal(true) }),
    'Удалить ошибочно созданный урок без отметок и пропусков',
  ),
  'journal.saveMark': command(
    'journal.write',
    z
      .object({
        lessonId: id,
        studentId: id,
        /** Absent: another mark in the cell. */
        markId: id.optional(),
        version: version.optional(),
        value: markValue,
        workTypeId: id,
        comment: text(300).default(''),
        idempotencyKey,
        enteredAt,
      })
      .strict(),
    markView,
    'Поставить или исправить одну отметку в ячейке (шкала школы, вид работы, комментарий)',
  ),
  'journal.deleteMark': command(
    'journal.write',
    z.object({ markId: id, version, idempotencyKey, enteredAt }).strict(),
    z.object({ done: z.literal(true) }),
    'Удалить отметку',
  ),
  'journal.setAttendance': command(
    'journal.write',
    z
      .object({
        lessonId: id,
        studentId: id,
        /** ОТ absent, ОП late, null present. */
        code: z.enum(teacherCodes).nullable(),
        /** The cell's version as seen; 0 when it was empty. */
        version,
        idempotencyKey,
        enteredAt,
      })
      .strict(),
    attendanceView.extend({ code: z.enum(attendanceCodes).nullable() }),
    'Отметить отсутствие (ОТ) или опоздание (ОП) на уроке',
  ),
  'journal.setFinal': command(
    'journal.write',
    z
      .object({
        loadId: id,
        studentId: id,
        kind: z.enum(finalKinds),
        /** Required for kind 'period'. */
        periodId: id.optional(),
        /** Empty with deferred: the final is put off (a sick student); empty without: the final is taken back. */
        value: text(12).default(''),
        deferred: z.boolean().default(false),
        version,
        idempotencyKey,
        enteredAt,
      })
      .strict(),
    /** id 0 and version 0: the final was taken back, there is none now. */
    finalView.extend({ id: z.number().int().min(0), periodLocked: z.boolean() }),
    'Выставить итоговую отметку (за период, год, экзамен, итоговую) или отложить её',
  ),
  'journal.lockPeriod': command(
    'journal.write',
    z.object({ loadId: id, periodId: id }).strict(),
    z.object({ done: z.literal(true) }),
    'Закрыть период: после итоговых отметок учитель его не меняет',
  ),
  'journal.reopenPeriod': command(
    'journal.admin',
    z.object({ loadId: id, periodId: id, reason }).strict(),
    z.object({ done: z.literal(true) }),
    'Открыть закрытый период для исправлений, с причиной',
  ),
  'journal.cellHistory': query(
    'journal.read',
    z
      .object({
        studentId: id,
        /** A lesson cell (marks and attendance)… */
        lessonId: id.optional(),
        /** …or a final of a load. */
        loadId: id.optional(),
        kind: z.enum(finalKinds).optional(),
        periodId: id.optional(),
      })
      .strict(),
    z.array(auditRecord),
    'История ячейки: кто, когда, было → стало, причина',
  ),
  'attendance.classDay': query(
    'journal.read',
    z.object({ classId: id, date: isoDate }).strict(),
    z.object({
      classId: id,
      className: z.string(),
      date: z.string(),
      canResolve: z.boolean(),
      lessons: z.array(
        z.object({ lessonId: id, loadId: id, lessonNumber: z.number().int().nullable(), subjectName: z.string(), teacherName: z.string() }),
      ),
      students: z.array(
        z.object({
          studentId: id,
          fullName: z.string(),
          cells: z.array(z.object({ lessonId: id, code: z.enum(attendanceCodes), version: z.number().int() })),
          unresolved: z.number().int(),
        }),
      ),
      unresolvedTotal: z.number().int(),
    }),
    'Посещаемость класса за день; неразобранные «ОТ»',
  ),
  'attendance.classSpan': query(
    'journal.read',
    z.object({ classId: id, date: isoDate, span: z.enum(['week', 'period']) }).strict(),
    z.object({
      classId: id,
      className: z.string(),
      /** «Неделя 30.11–05.12.2026» or the study period's name. */
      title: z.string(),
      from: z.string(),
      to: z.string(),
      /** School days of the span that have lessons in the journal, with how many. */
      days: z.array(z.object({ date: z.string(), lessons: z.number().int() })),
      students: z.array(
        z.object({
          studentId: id,
          fullName: z.string(),
          /** Per day and code: how many lessons. Days without any mark are left out. */
          cells: z.array(z.object({ date: z.string(), code: z.enum(attendanceCodes), count: z.number().int() })),
          totals: z.array(z.object({ code: z.enum(attendanceCodes), count: z.number().int() })),
        }),
      ),
    }),
    'Посещаемость класса за неделю или учебный период: пропуски по дням и итоги',
  ),
  'attendance.resolve': command(
    'attendance.resolve',
    z.object({ lessonId: id, studentId: id, code: z.enum([...reasonCodes, 'ОТ']), version, idempotencyKey }).strict(),
    attendanceView,
    'Классный руководитель указывает причину пропуска урока: УП, Б или НП',
  ),
  'attendance.resolveDay': command(
    'attendance.resolve',
    z.object({ classId: id, studentId: id, date: isoDate, code: z.enum(reasonCodes), idempotencyKey }).strict(),
    z.object({ changed: z.number().int() }),
    'Указать причину сразу для всех пропусков ученика за день',
  ),
  'changes.request': command(
    'journal.write',
    z.object({ target: changeTarget, reason }).strict(),
    z.object({ id }),
    'Запросить изменение закрытой отметки, пропуска или даты урока, с причиной',
  ),
  'changes.list': query(
    'journal.read',
    z.object({ status: z.enum(['pending', 'approved', 'rejected', 'all']).default('pending'), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    z.array(changeRequestView),
    'Запросы на изменение: свои у учителя, все у администрации',
  ),
  'changes.approve': command(
    'journal.approve',
    z.object({ id, note: text(1000).default('') }).strict(),
    z.object({ done: z.literal(true) }),
    'Одобрить запрос: изменение вносится сразу и записывается в журнал изменений с причиной',
  ),
  'changes.reject': command(
    'journal.approve',
    z.object({ id, note: requiredText(1000, 'Причина отказа', 'Укажите причину отказа') }).strict(),
    z.object({ done: z.literal(true) }),
    'Отклонить запрос на изменение',
  ),
  'journal.revertCompromised': command(
    'journal.admin',
    z.object({ userId: id, reason }).strict(),
    z.object({
      reverted: z.number().int(),
      skipped: z.array(z.object({ auditId: z.number().int(), entity: z.string(), entityId: z.string().nullable(), why: z.string() })),
    }),
    'Отменить все изменения журнала, сделанные скомпрометированной учётной записью после сообщения',
  ),
  'journal.compromisedChanges': query(
    'journal.admin',
    z.object({ userId: id }).strict(),
    z.object({
      compromisedAt: z.string().nullable(),
      /** Earlier runs of the revert, newest first. */
      reverts: z.array(z.object({ at: z.string(), byName: z.string().nullable(), reason: z.string().nullable(), reverted: z.number().int(), skipped: z.number().int() })),
      changes: z.array(compromisedChange),
    }),
    'Изменения скомпрометированной учётной записи после сообщения: где, было → стало, отменено ли',
  ),
  'journal.saveCells': command(
    'journal.write',
    z
      .object({
        cells: z
          .array(cellEdit)
          .min(1, 'Нет ни одной ячейки для сохранения')
          .max(MAX_BATCH_CELLS, `За один раз — не больше ${MAX_BATCH_CELLS} ячеек: вставьте блок частями`),
      })
      .strict(),
    z.object({ results: z.array(cellSaved) }),
    'Сохранить вставленный блок ячеек целиком: всё или ничего, отказ называет ячейки и причины',
  ),
};
