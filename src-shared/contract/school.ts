import { z } from 'zod';
import { roles } from '../roles';
import { periodKinds } from '../rules/periods';
import { schoolSettingsPatchSchema, schoolSettingsSchema } from '../school-settings';
import { command, query } from './define';
import { done, id, isoDate, requiredText, text } from './common';

// School setup (D-10 … D-14, D-19 … D-22, D-45): the year and its periods, subjects
// and curriculum, classes, students and their movement, consents, staff, teaching load,
// subgroups, bells and timetable, marks settings and work types. Import/export in school-files.ts.

export const grade = z.number().int().min(0, 'Номер класса — от 0 до 11').max(11, 'Номер класса — от 0 до 11');
const letter = z
  .string()
  .trim()
  .toUpperCase()
  .min(1, 'Укажите букву класса')
  .max(2, 'Буква класса — одна русская буква')
  .regex(/^[А-ЯЁ]$/, 'Буква класса — одна русская буква');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Время в формате ЧЧ:ММ');
const room = text(40);
const hours = z.number().min(0).max(40).multipleOf(0.5, 'Часы — целые или с половиной');
const weekday = z.number().int().min(1, 'День недели — от понедельника (1) до субботы (6)').max(6, 'День недели — от понедельника (1) до субботы (6)');
const lessonNumber = z.number().int().min(0).max(12);
const personName = (what: string, whenEmpty: string) => requiredText(100, what, whenEmpty);

// ---------------------------------------------------------------------------------------
// Year, periods, holidays

export const studyPeriod = z.object({
  id,
  yearId: id,
  kind: z.enum(periodKinds),
  number: z.number().int(),
  name: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  gradeFrom: z.number().int(),
  gradeTo: z.number().int(),
});
export type StudyPeriod = z.infer<typeof studyPeriod>;

export const holiday = z.object({ id, yearId: id, name: z.string(), startsOn: z.string(), endsOn: z.string() });

export const academicYear = z.object({
  id,
  name: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  /** D-14: a closed year is read-only. */
  closedAt: z.string().nullable(),
  periods: z.array(studyPeriod),
  holidays: z.array(holiday),
});
export type AcademicYear = z.infer<typeof academicYear>;

const yearName = requiredText(20, 'Название года').regex(/^\d{4}\/\d{4}$/, 'Название года в виде 2025/2026');

/** D-14: what the year transition did. */
export const yearTransitionResult = z.object({
  fromYearId: id,
  toYear: academicYear,
  /** True when the next year did not exist and was made from this one shifted by a year. */
  yearCreated: z.boolean(),
  classes: z.array(z.object({ fromClassId: id, fromName: z.string(), toClassId: id, toName: z.string(), classTeacherName: z.string().nullable(), students: z.number().int() })),
  graduatedClasses: z.array(z.object({ classId: id, className: z.string(), students: z.number().int() })),
  movedStudents: z.number().int(),
  graduatedStudents: z.number().int(),
  copiedLoads: z.number().int(),
  consentActs: z.number().int(),
  /** Advice in Russian: dates to check, what was not carried over, the D-3 deadline. */
  notes: z.array(z.string()),
});
export type YearTransitionResult = z.infer<typeof yearTransitionResult>;

// ---------------------------------------------------------------------------------------
// Subjects, classes, people

export const subject = z.object({ id, name: z.string(), shortName: z.string(), gradeFrom: z.number().int(), gradeTo: z.number().int(), sortOrder: z.number().int() });

export const schoolClass = z.object({
  id,
  yearId: id,
  grade: z.number().int(),
  letter: z.string(),
  name: z.string(),
  classTeacherId: id.nullable(),
  classTeacherName: z.string().nullable(),
  room: z.string(),
  /** D-19: grades 0–1 learn without marks. */
  noMarks: z.boolean(),
  /** Students in the class on the date asked (today by default). */
  studentCount: z.number().int(),
});
export type SchoolClass = z.infer<typeof schoolClass>;

/** full: birth date, consents, parents; birthDates: names, classes, birth dates; names: names, classes, subgroups. */
export const personalDataLevels = ['full', 'birthDates', 'names'] as const;
export type PersonalDataLevel = (typeof personalDataLevels)[number];

export const consentGivers = ['student', 'parent'] as const;
export const consent = z.object({
  id,
  studentId: id,
  givenBy: z.enum(consentGivers),
  giverName: z.string(),
  givenOn: z.string(),
  withdrawnOn: z.string().nullable(),
  /** D-45: destroyed after the student left (see the act of destruction); null while kept. */
  destroyedOn: z.string().nullable(),
});

export const consentDestructionReasons = ['Выбытие', 'Выпуск'] as const;

/** D-45: the act of destruction of a departed student's consents (000 Appendix 1). */
export const consentDestructionAct = z.object({
  id,
  number: z.number().int(),
  drawnUpOn: z.string(),
  studentId: id,
  /** As on the day of the act. */
  studentName: z.string(),
  className: z.string(),
  reason: z.enum(consentDestructionReasons),
  departureOrder: z.string(),
  consents: z.array(z.object({ consentId: id, givenBy: z.enum(['student', 'parent']), giverName: z.string(), givenOn: z.string(), withdrawnOn: z.string().nullable() })),
  drawnUpBy: z.string(),
});
export type ConsentDestructionAct = z.infer<typeof consentDestructionAct>;

export const enrollment = z.object({
  id,
  classId: id,
  className: z.string(),
  yearId: id,
  arrivedOn: z.string(),
  arrivalOrder: z.string(),
  departedOn: z.string().nullable(),
  departureOrder: z.string(),
});

export const studentRow = z.object({
  id,
  surname: z.string(),
  name: z.string(),
  patronymic: z.string(),
  fullName: z.string(),
  /** «Фамилия Имя», namesakes in the same list told apart (src-shared/rules/student-labels). */
  label: z.string(),
  birthDate: z.string().nullable(),
  gender: z.string(),
  enrollment,
  /** D-45: no consent in force on the date — shown, never hidden; null when the reader may not see consents. */
  consentMissing: z.boolean().nullable(),
  consents: z.array(consent),
  /** No parent or legal representative recorded; null when the reader may not see parents. */
  parentMissing: z.boolean().nullable(),
  /** What the reader may see of this student (152-ФЗ): withheld fields come empty. */
  personalData: z.enum(personalDataLevels),
});
export type StudentRow = z.infer<typeof studentRow>;

const studentInput = {
  surname: personName('Фамилия', 'Укажите фамилию'),
  name: personName('Имя', 'Укажите имя'),
  patronymic: text(100).default(''),
  birthDate: isoDate.nullable().default(null),
  gender: z.enum(['м', 'ж', '']).default(''),
};

export const movementRow = z.object({ studentId: id, fullName: z.string(), className: z.string(), date: z.string(), order: z.string() });

export const staffMember = z.object({
  id,
  login: z.string(),
  fullName: z.string(),
  position: z.string(),
  roles: z.array(z.enum(roles)),
  active: z.boolean(),
  /** D-45: no consent to processing their personal data in force today; null when the reader may not see consents. */
  consentMissing: z.boolean().nullable(),
});

/** D-45 for staff: a staff member's consent to processing their personal data. */
export const staffConsent = z.object({ id, userId: id, givenOn: z.string(), withdrawnOn: z.string().nullable(), createdAt: z.string(), createdByName: z.string() });
export type StaffConsent = z.infer<typeof staffConsent>;

// ---------------------------------------------------------------------------------------
// Load, subgroups, timetable

export const teachingLoad = z.object({
  id,
  yearId: id,
  classId: id,
  className: z.string(),
  subjectId: id,
  subjectName: z.string(),
  subgroupId: id.nullable(),
  subgroupName: z.string().nullable(),
  teacherId: id,
  teacherName: z.string(),
  hoursPerWeek: z.number(),
});

export const subgroup = z.object({
  id,
  classId: id,
  subjectId: id,
  subjectName: z.string(),
  name: z.string(),
  /** Members on the date asked. */
  members: z.array(z.object({ studentId: id, fullName: z.string(), fromDate: z.string(), toDate: z.string().nullable() })),
});

export const bell = z.object({ lessonNumber, startsAt: clock, endsAt: clock });

export const timetableEntry = z.object({
  id,
  loadId: id,
  weekday: z.number().int(),
  lessonNumber: z.number().int(),
  room: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  classId: id,
  className: z.string(),
  subjectId: id,
  subjectName: z.string(),
  subgroupId: id.nullable(),
  subgroupName: z.string().nullable(),
  teacherId: id,
  teacherName: z.string(),
});

export const todayLesson = z.object({
  lessonNumber: z.number().int(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  loadId: id,
  classId: id,
  className: z.string(),
  subjectId: id,
  subjectName: z.string(),
  subgroupId: id.nullable(),
  subgroupName: z.string().nullable(),
  room: z.string(),
  /** Moved here for this day: «перенесён с 13.10.2026, 1 урок». */
  transferredFrom: z.string().optional(),
  /** The lesson already written in the journal for this slot; null until it is. */
  lessonId: id.nullable(),
  /** Covered by the register: the absent teacher, «Иванова М. С.». */
  substituteFor: z.string().optional(),
});

export const workType = z.object({ id, name: z.string(), weight: z.number(), markDueDays: z.number().int(), sortOrder: z.number().int(), active: z.boolean() });

const workTypeInput = {
  name: requiredText(100, 'Вид работы'),
  weight: z.number().min(0.1, 'Вес — от 0,1 до 10').max(10, 'Вес — от 0,1 до 10'),
  markDueDays: z.number().int().min(1).max(30).default(1),
  sortOrder: z.number().int().min(0).max(10_000).default(0),
  active: z.boolean().default(true),
};

/** The year a call is about; omitted means the current one (today's, else the latest open). */
const yearRef = { yearId: id.optional() };

export const schoolContract = {
  // Year structure (D-10, D-14) — the administrator.
  'school.years.list': query('school.read', z.object({}), z.array(academicYear), 'Учебные годы с периодами и каникулами'),
  'school.years.create': command(
    'school.manage',
    z.object({ name: yearName, startsOn: isoDate, endsOn: isoDate }),
    academicYear,
    'Создать учебный год',
  ),
  'school.years.update': command(
    'school.manage',
    z.object({ id, name: yearName, startsOn: isoDate, endsOn: isoDate }),
    academicYear,
    'Изменить название и границы учебного года',
  ),
  'school.years.close': command('school.manage', z.object({ id }), academicYear, 'Закрыть учебный год: дальше только чтение и печать'),
  'school.years.transition': command(
    'school.manage',
    z.object({
      fromYearId: id,
      /** Omitted: the next existing year, or a new one with the same periods and holidays a year later. */
      toYearId: id.optional(),
      /** The director's order on the transition; recorded with the enrollments and the graduation. */
      order: text(100).default(''),
      /** Copy each class's whole-class teaching load to the new class (subgroup loads are not copied). */
      copyLoad: z.boolean().default(false),
      /** A new class teacher (or none) for a class of the old year; the others keep theirs. */
      classTeachers: z.array(z.object({ classId: id, classTeacherId: id.nullable() })).max(200).default([]),
    }),
    yearTransitionResult,
    'Перевод в следующий класс: классы на год старше с учениками, 11-е выпускаются',
  ),
  'school.periods.add': command(
    'school.manage',
    z.object({
      yearId: id,
      kind: z.enum(periodKinds),
      gradeFrom: grade.default(0),
      gradeTo: grade.default(11),
      periods: z.array(z.object({ startsOn: isoDate, endsOn: isoDate, name: text(60).optional() })).min(1, 'Укажите хотя бы один период').max(6),
    }),
    z.array(studyPeriod),
    'Добавить учебные периоды (четверти, триместры, полугодия) для диапазона классов',
  ),
  'school.periods.update': command(
    'school.manage',
    z.object({ id, name: requiredText(60, 'Название периода'), startsOn: isoDate, endsOn: isoDate }),
    studyPeriod,
    'Изменить даты учебного периода',
  ),
  'school.periods.remove': command('school.manage', z.object({ id }), done, 'Удалить учебный период, пока по нему нет итоговых отметок'),
  'school.holidays.add': command(
    'school.manage',
    z.object({ yearId: id, name: requiredText(100, 'Название каникул'), startsOn: isoDate, endsOn: isoDate }),
    holiday,
    'Добавить каникулы',
  ),
  'school.holidays.remove': command('school.manage', z.object({ id }), done, 'Удалить каникулы'),

  // Subjects and curriculum (D-10: full names).
  'school.subjects.list': query('school.read', z.object({}), z.array(subject), 'Предметы учебного плана'),
  'school.subjects.create': command(
    'school.manage',
    z.object({ name: requiredText(200, 'Полное название предмета', 'Укажите название предмета'), shortName: text(20).default(''), gradeFrom: grade, gradeTo: grade, sortOrder: z.number().int().min(0).max(10_000).default(0) }),
    subject,
    'Добавить предмет (полное название по учебному плану)',
  ),
  'school.subjects.update': command(
    'school.manage',
    z.object({ id, name: requiredText(200, 'Полное название предмета', 'Укажите название предмета'), shortName: text(20).default(''), gradeFrom: grade, gradeTo: grade, sortOrder: z.number().int().min(0).max(10_000).default(0) }),
    subject,
    'Изменить предмет',
  ),
  'school.curriculum.get': query(
    'school.read',
    z.object(yearRef),
    z.array(z.object({ subjectId: id, subjectName: z.string(), grade: z.number().int(), hoursPerWeek: z.number() })),
    'Учебный план: часов в неделю по предметам и параллелям',
  ),
  'school.curriculum.set': command(
    'school.manage',
    z.object({ yearId: id, subjectId: id, hours: z.array(z.object({ grade, hoursPerWeek: hours })).max(12) }),
    done,
    'Задать часы предмета в неделю по параллелям (0 — не изучается)',
  ),

  // Classes (D-6: the secretary too).
  'school.classes.list': query('school.read', z.object({ ...yearRef, date: isoDate.optional() }), z.array(schoolClass), 'Классы года'),
  'school.classes.create': command(
    'school.people',
    z.object({ yearId: id, grade, letter, classTeacherId: id.nullable().default(null), room: room.default('') }),
    schoolClass,
    'Создать класс («5А»); 0–1 классы без отметок',
  ),
  'school.classes.update': command(
    'school.people',
    z.object({ id, letter, classTeacherId: id.nullable(), room }),
    schoolClass,
    'Изменить букву, классного руководителя, кабинет',
  ),

  // Students and movement (D-13, D-45).
  'students.list': query(
    'school.read',
    z.object({ ...yearRef, classId: id.optional(), date: isoDate.optional(), withHistory: z.boolean().default(false) }),
    z.array(studentRow),
    'Ученики класса (или школы) на дату; с историей — и выбывшие',
  ),
  'students.get': query(
    'school.read',
    z.object({ id }),
    z.object({
      id,
      surname: z.string(),
      name: z.string(),
      patronymic: z.string(),
      fullName: z.string(),
      birthDate: z.string().nullable(),
      gender: z.string(),
      enrollments: z.array(enrollment),
      consents: z.array(consent),
      personalData: z.enum(personalDataLevels),
    }),
    'Карточка ученика: движение по классам и согласия',
  ),
  'students.create': command(
    'school.people',
    z.object({ ...studentInput, classId: id, arrivedOn: isoDate, arrivalOrder: text(100).default('') }),
    studentRow,
    'Зачислить ученика в класс (дата и номер приказа)',
  ),
  'students.update': command('students.keep', z.object({ id, ...studentInput }), done, 'Исправить ФИО, дату рождения, пол'),
  'students.depart': command(
    'school.people',
    z.object({ studentId: id, departedOn: isoDate, departureOrder: requiredText(100, 'Номер приказа', 'Укажите номер приказа') }),
    done,
    'Выбытие ученика по приказу: в списках до даты выбытия включительно, история сохраняется',
  ),
  'students.transfer': command(
    'school.people',
    z.object({ studentId: id, toClassId: id, date: isoDate, order: requiredText(100, 'Номер приказа', 'Укажите номер приказа') }),
    done,
    'Перевод в другой класс с даты по приказу',
  ),
  'students.movement': query(
    'school.read',
    z.object({ from: isoDate, to: isoDate }),
    z.object({ arrived: z.array(movementRow), departed: z.array(movementRow) }),
    'Прибывшие и выбывшие за период',
  ),
  'students.consents.add': command(
    'students.keep',
    z.object({ studentId: id, givenBy: z.enum(consentGivers), giverName: requiredText(200, 'Кто дал согласие', 'Укажите, кто дал согласие'), givenOn: isoDate }),
    consent,
    'Зарегистрировать согласие на обработку персональных данных',
  ),
  'students.consents.withdraw': command('students.keep', z.object({ id, withdrawnOn: isoDate }), consent, 'Отзыв согласия'),
  'students.consentActs': query(
    'school.read',
    z.object({ studentId: id.optional(), from: isoDate.optional(), to: isoDate.optional() }),
    z.array(consentDestructionAct),
    'Акты уничтожения согласий выбывших учеников',
  ),

  // Staff (accounts are created by accounts.create; here the lists everyone needs).
  'staff.list': query('school.read', z.object({ onlyTeachers: z.boolean().default(false), includeInactive: z.boolean().default(false) }), z.array(staffMember), 'Сотрудники (или только учителя)'),
  'staff.consents': query('school.people', z.object({ userId: id }), z.array(staffConsent), 'Согласия сотрудника на обработку персональных данных'),
  'staff.consents.add': command('school.people', z.object({ userId: id, givenOn: isoDate }), staffConsent, 'Зарегистрировать согласие сотрудника на обработку персональных данных'),
  'staff.consents.withdraw': command('school.people', z.object({ id, withdrawnOn: isoDate }), staffConsent, 'Отзыв согласия сотрудника'),

  // Teaching load and subgroups (D-11, D-12).
  'load.list': query('school.read', z.object({ ...yearRef, classId: id.optional(), teacherId: id.optional() }), z.array(teachingLoad), 'Педагогическая нагрузка'),
  'load.create': command(
    'school.manage',
    z.object({ classId: id, subjectId: id, teacherId: id, subgroupId: id.nullable().default(null), hoursPerWeek: hours.default(0) }),
    teachingLoad,
    'Назначить учителя: класс × предмет (× подгруппа)',
  ),
  'load.update': command('school.manage', z.object({ id, teacherId: id, hoursPerWeek: hours }), teachingLoad, 'Сменить учителя или часы'),
  'load.remove': command('school.manage', z.object({ id }), done, 'Снять нагрузку, пока по ней нет уроков'),
  'school.subgroups.list': query('school.read', z.object({ classId: id, date: isoDate.optional() }), z.array(subgroup), 'Подгруппы класса с составом на дату'),
  'school.subgroups.create': command(
    'school.manage',
    z.object({ classId: id, subjectId: id, name: requiredText(60, 'Название подгруппы', 'Укажите название подгруппы') }),
    subgroup,
    'Создать подгруппу («1 группа»)',
  ),
  'school.subgroups.addMembers': command(
    'school.manage',
    z.object({ subgroupId: id, studentIds: z.array(id).min(1).max(60), fromDate: isoDate }),
    done,
    'Включить учеников в подгруппу (кто ещё ни в одной подгруппе этого предмета)',
  ),
  'school.subgroups.move': command(
    'school.manage',
    z.object({ studentId: id, toSubgroupId: id, effectiveOn: isoDate }),
    done,
    'Перевести ученика в другую подгруппу с первого дня периода',
  ),

  // Bells and timetable (D-6: the secretary too).
  'timetable.bells.get': query('school.read', z.object({}), z.array(bell), 'Расписание звонков'),
  'timetable.bells.set': command('school.people', z.object({ bells: z.array(bell).max(13) }), z.array(bell), 'Задать расписание звонков'),
  'timetable.list': query(
    'school.read',
    z.object({ ...yearRef, classId: id.optional(), teacherId: id.optional(), date: isoDate.optional() }),
    z.array(timetableEntry),
    'Расписание на неделю, действующее на дату',
  ),
  'timetable.add': command(
    'school.people',
    z.object({ loadId: id, weekday, lessonNumber, room: room.optional(), validFrom: isoDate, validTo: isoDate.nullable().default(null) }),
    timetableEntry,
    'Поставить урок в расписание с даты; пересечения по учителю, кабинету, классу отклоняются',
  ),
  'timetable.end': command('school.people', z.object({ id, validTo: isoDate }), timetableEntry, 'Урок в расписании действует до даты включительно'),
  'timetable.remove': command('school.people', z.object({ id }), done, 'Убрать урок из расписания'),
  'timetable.today': query(
    'school.read',
    z.object({ date: isoDate.optional() }),
    z.object({ date: z.string(), weekday: z.number().int(), holiday: z.string().nullable(), lessons: z.array(todayLesson) }),
    'Мои уроки сегодня (по расписанию) — открывают страницу журнала',
  ),

  // Marks settings and work types (D-20 … D-22, D-25).
  'settings.get': query('school.read', z.object({}), schoolSettingsSchema, 'Настройки школы: шкала, спецотметки, округление, окно исправлений'),
  'settings.update': command('school.manage', schoolSettingsPatchSchema, schoolSettingsSchema, 'Изменить настройки школы'),
  'settings.workTypes.list': query('school.read', z.object({ includeInactive: z.boolean().default(false) }), z.array(workType), 'Виды работ с весами'),
  'settings.workTypes.create': command('school.manage', z.object(workTypeInput), workType, 'Добавить вид работы'),
  'settings.workTypes.update': command('school.manage', z.object({ id, ...workTypeInput }), workType, 'Изменить вид работы (отключённый не предлагается в журнале)'),
};
