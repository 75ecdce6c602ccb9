import { z } from 'zod';
import { absenceReasons, substitutionKinds } from '../rules/substitutions';
import { command, query } from './define';
import { done, id, isoDate, requiredText, text } from './common';

// Substitutions (002 §7A.4, §7A.10; D-2, D-3, D-4). The deputy and the administrator register; the
// secretary and the director read; a teacher sees the lessons they substitute.

const lessonNumber = z.number().int().min(0).max(12);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Месяц в формате ГГГГ-ММ');

export const substitutionView = z.object({
  id,
  date: z.string(),
  lessonNumber: z.number().int(),
  loadId: id,
  className: z.string(),
  subjectName: z.string(),
  subgroupName: z.string().nullable(),
  absentTeacherId: id,
  absentTeacherName: z.string(),
  substituteId: id.nullable(),
  substituteName: z.string().nullable(),
  kind: z.enum(substitutionKinds),
  reason: z.enum(absenceReasons),
  orderNumber: z.string(),
  note: z.string(),
  /** «Проведение своего предмета»: the page the lesson goes to. */
  targetLoadId: id.nullable(),
  targetSubjectName: z.string().nullable(),
  /** The lesson written under it; null until written. */
  lessonId: id.nullable(),
  removedAt: z.string().nullable(),
  removedByName: z.string().nullable(),
  removedReason: z.string().nullable(),
  /** Removed after the substitute wrote the lesson: the deputy should look. */
  needsAttention: z.boolean(),
});
export type SubstitutionView = z.infer<typeof substitutionView>;

export const substitutionCandidate = z.object({
  teacherId: id,
  fullName: z.string(),
  /** Teaches this subject somewhere in the year. */
  sameSubject: z.boolean(),
  /** Has no lesson and no substitution at this slot. */
  free: z.boolean(),
  /** What keeps them busy at this slot, in words. */
  busyWith: z.string().nullable(),
  /** Their own load in this class, for «проведение своего предмета». */
  ownLoadId: id.nullable(),
  ownSubjectName: z.string().nullable(),
});
export type SubstitutionCandidate = z.infer<typeof substitutionCandidate>;

export const plannedLesson = z.object({
  date: z.string(),
  lessonNumber: z.number().int(),
  startsAt: z.string().nullable(),
  loadId: id,
  className: z.string(),
  subjectName: z.string(),
  subgroupName: z.string().nullable(),
  room: z.string(),
  substitution: substitutionView.nullable(),
  candidates: z.array(substitutionCandidate),
});
export type PlannedLesson = z.infer<typeof plannedLesson>;

export const sheetRow = z.object({
  teacherId: id,
  teacherName: z.string(),
  subject: z.number().int(),
  ownSubject: z.number().int(),
  merge: z.number().int(),
  missed: z.number().int(),
  cancelled: z.number().int(),
});

export const transferView = z.object({
  id,
  loadId: id,
  className: z.string(),
  subjectName: z.string(),
  subgroupName: z.string().nullable(),
  teacherName: z.string(),
  fromDate: z.string(),
  fromLessonNumber: z.number().int(),
  toDate: z.string(),
  toLessonNumber: z.number().int(),
  room: z.string(),
  reason: z.string(),
  orderNumber: z.string(),
});
export type TransferView = z.infer<typeof transferView>;

/** One lesson of a day's timetable with that day's transfers and substitutions applied. */
export const dayLesson = z.object({
  lessonNumber: z.number().int(),
  loadId: id,
  className: z.string(),
  subjectName: z.string(),
  subgroupName: z.string().nullable(),
  teacherName: z.string(),
  room: z.string(),
  /** «перенесён с 13.10.2026, 1 урок», or null. */
  transferredFrom: z.string().nullable(),
  /** «замена: Петрова А. В.», «урок отменён», or null. */
  substitution: z.string().nullable(),
});

export const controlWorkView = z.object({
  id,
  loadId: id,
  classId: id,
  className: z.string(),
  subjectName: z.string(),
  subgroupName: z.string().nullable(),
  teacherName: z.string(),
  date: z.string(),
  title: z.string(),
  plannedDate: z.string(),
  correctionReason: z.string().nullable(),
});

const controlWorkSettings = z.object({
  perDay: z.number().int().min(1, 'Не меньше 1').max(5, 'Не больше 5'),
  perWeek: z.number().int().min(1, 'Не меньше 1').max(15, 'Не больше 15'),
  dueDaysByGrade: z.array(z.number().int().min(1, 'Не меньше 1 дня').max(30, 'Не больше 30 дней')).length(13),
});

const plannedWork = z.object({ work: controlWorkView, warnings: z.array(z.string()) });

export const substitutionsContract = {
  'controlWorks.list': query('journal.read', z.object({ from: isoDate, to: isoDate, classId: id.optional() }), z.array(controlWorkView), 'График контрольных работ за даты'),
  'controlWorks.plan': command('substitutions.manage', z.object({ loadId: id, date: isoDate, title: requiredText(200, 'Тема работы', 'Укажите тему работы') }), plannedWork, 'Запланировать контрольную работу; превышение норм школы — предупреждение'),
  'controlWorks.move': command('substitutions.manage', z.object({ id, date: isoDate, reason: requiredText(500, 'Причина', 'Укажите причину') }), plannedWork, 'Перенести контрольную работу с указанием причины'),
  'controlWorks.remove': command('substitutions.manage', z.object({ id }), done, 'Убрать контрольную работу из графика'),
  'controlWorks.settings': query('journal.read', z.object({}), controlWorkSettings, 'Нормы контрольных работ и сроки проверки'),
  'controlWorks.saveSettings': command('substitutions.manage', controlWorkSettings, controlWorkSettings, 'Изменить нормы контрольных работ и сроки проверки по классам'),
  'controlWorks.overdue': query(
    'substitutions.read',
    z.object({}),
    z.array(z.object({ work: controlWorkView, dueDate: z.string(), daysOverdue: z.number().int() })),
    'Контрольные работы без отметок после срока проверки',
  ),

  'substitutions.plan': query(
    'substitutions.read',
    z.object({ teacherId: id, from: isoDate, to: isoDate }),
    z.object({ teacherName: z.string(), lessons: z.array(plannedLesson), skippedDays: z.array(z.object({ date: z.string(), why: z.string() })) }),
    'Уроки отсутствующего учителя за дни (по расписанию) со свободными учителями каждого урока',
  ),
  'substitutions.assign': command(
    'substitutions.manage',
    z.object({
      loadId: id,
      date: isoDate,
      lessonNumber,
      substituteId: id.nullable(),
      kind: z.enum(substitutionKinds),
      reason: z.enum(absenceReasons),
      orderNumber: text(40).default(''),
      note: text(500).default(''),
      /** «Проведение своего предмета»: the substitute's load in the class; default — their only one. */
      targetLoadId: id.optional(),
    }),
    substitutionView,
    'Назначить замену урока (или отменить урок); пересечения отклоняются с объяснением',
  ),
  'substitutions.remove': command('substitutions.manage', z.object({ id, reason: requiredText(500, 'Причина', 'Укажите причину') }), done, 'Снять замену (записанный урок остаётся и помечается)'),
  'substitutions.list': query(
    'substitutions.read',
    z.object({ from: isoDate, to: isoDate, teacherId: id.optional(), includeRemoved: z.boolean().default(true) }),
    z.array(substitutionView),
    'Журнал замен за даты',
  ),
  'substitutions.mine': query(
    'journal.write',
    z.object({ from: isoDate.optional(), to: isoDate.optional() }),
    z.array(substitutionView),
    'Мои уроки в замену (по назначению)',
  ),
  'transfers.add': command(
    'substitutions.manage',
    z.object({ loadId: id, fromDate: isoDate, fromLessonNumber: lessonNumber, toDate: isoDate, toLessonNumber: lessonNumber, room: text(20).optional(), reason: requiredText(500, 'Причина', 'Укажите причину'), orderNumber: text(40).default('') }),
    transferView,
    'Перенести урок на другую дату или другой урок (на один день); пересечения отклоняются',
  ),
  'transfers.remove': command('substitutions.manage', z.object({ id }), done, 'Отменить перенос урока'),
  'transfers.list': query('substitutions.read', z.object({ from: isoDate, to: isoDate }), z.array(transferView), 'Переносы уроков за даты'),
  'transfers.day': query(
    'substitutions.read',
    z.object({ date: isoDate, classId: id.optional() }),
    z.object({ date: z.string(), holiday: z.string().nullable(), lessons: z.array(dayLesson) }),
    'Расписание на день с переносами и заменами',
  ),
  'substitutions.sheet': query(
    'substitutions.read',
    z.object({ month, teacherId: id.optional() }),
    z.object({ month: z.string(), title: z.string(), rows: z.array(sheetRow) }),
    'Табель замещённых уроков за месяц по учителям',
  ),
  'substitutions.sheetFile': query(
    'substitutions.read',
    z.object({ month, teacherId: id.optional(), format: z.enum(['pdf', 'xlsx']) }),
    z.object({ fileName: z.string(), base64: z.string() }),
    'Табель замещённых уроков: PDF или XLSX с подписью заместителя директора',
  ),
};
