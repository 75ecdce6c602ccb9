import { defaultPrintSettings, printSettings, type PrintSettings } from '../../src-shared/contract/printing';
import { journalSettingsFrom, type JournalSettings } from '../../src-shared/rules/journal-settings';
import { notFound } from '../core/errors';
import { loadContextQuery } from '../load/repository';
import { programmeHours } from '../plans/programme';
import type { Db } from '../store/database';

// Everything a printout reads, straight from the schema (migrations 0002, 0003). Reads
// only: printing never changes journal data.

export interface SchoolInfo {
  name: string;
  timeZone: string;
  directorName: string | null;
  settings: JournalSettings;
}

export interface YearInfo {
  id: number;
  name: string;
  startsOn: string;
  endsOn: string;
}

export interface PeriodInfo {
  id: number;
  kind: string;
  number: number;
  name: string;
  startsOn: string;
  endsOn: string;
}

export interface ClassInfo {
  id: number;
  name: string;
  grade: number;
  noMarks: boolean;
  classTeacherId: number | null;
  classTeacherName: string | null;
  year: YearInfo;
  /** The study periods of the class's grade, in calendar order (D-10: may differ by grade). */
  periods: PeriodInfo[];
}

export interface StudentInfo {
  id: number;
  surname: string;
  name: string;
  patronymic: string;
  birthDate: string | null;
  /** 'м' or 'ж' (or empty): «выбыл» or «выбыла». */
  gender: string;
  arrivedOn: string;
  /** The order of the arrival (D-13), as entered. */
  arrivalOrder: string;
  departedOn: string | null;
  /** The order of the departure (D-13), as entered: «№ 4-у» or «4-у». */
  departureOrder: string;
}

export interface LoadInfo {
  id: number;
  subjectId: number;
  subjectName: string;
  subjectOrder: number;
  subgroupId: number | null;
  subgroupName: string | null;
  teacherId: number;
  teacherName: string;
  /** Hours of the load's КТП planned in the printed range; null without a plan. */
  programmeHours: number | null;
}

export interface LessonInfo {
  id: number;
  loadId: number;
  date: string;
  lessonNumber: number | null;
  topic: string;
  homework: string;
  givenByName: string;
  substitution: boolean;
}

export interface MarkInfo {
  lessonId: number;
  studentId: number;
  value: string;
  weight: number;
  /** The work type's name (D-22): the parents' extract lists it beside the mark. */
  workType: string;
}

export interface AttendanceInfo {
  lessonId: number;
  studentId: number;
  code: string;
}

export interface FinalInfo {
  loadId: number;
  studentId: number;
  kind: string;
  periodId: number | null;
  value: string;
  deferred: boolean;
}

export interface MembershipInfo {
  subgroupId: number;
  studentId: number;
  fromDate: string;
  toDate: string | null;
}

/** One class over a date range: what the class journal and the summary sheets print. */
export interface ClassJournalData {
  school: SchoolInfo;
  schoolClass: ClassInfo;
  from: string;
  to: string;
  students: StudentInfo[];
  loads: LoadInfo[];
  memberships: MembershipInfo[];
  lessons: LessonInfo[];
  marks: MarkInfo[];
  attendance: AttendanceInfo[];
  finals: FinalInfo[];
  /** The latest moment (UTC ISO) any lesson, mark, absence or final read here was entered or changed; null when none. */
  latestChange: string | null;
}

const russianOrder = new Intl.Collator('ru', { sensitivity: 'base', numeric: true });

export function compareStudents(a: StudentInfo, b: StudentInfo): number {
  return (
    russianOrder.compare(a.surname, b.surname) ||
    russianOrder.compare(a.name, b.name) ||
    russianOrder.compare(a.patronymic, b.patronymic) ||
    a.id - b.id
  );
}

export const PRINT_SETTINGS_KEY = 'printing';

/** The school's print settings (binding margin, duplex, case indexes); defaults where unset. */
export async function readPrintSettings(db: Db): Promise<PrintSettings> {
  const row = await db.selectFrom('school_setting').select('value').where('key', '=', PRINT_SETTINGS_KEY).executeTakeFirst();
  const parsed = printSettings.safeParse(row ? { ...defaultPrintSettings, ...(JSON.parse(row.value) as object) } : defaultPrintSettings);
  return parsed.success ? parsed.data : defaultPrintSettings;
}

export async function readSchool(db: Db): Promise<SchoolInfo> {
  const [school, stored, director] = await Promise.all([
    db.selectFrom('school').select(['name', 'time_zone']).where('id', '=', 1).executeTakeFirst(),
    db.selectFrom('school_setting').select('value').where('key', '=', 'school').executeTakeFirst(),
    db
      .selectFrom('app_user as u')
      .innerJoin('user_role as r', 'r.user_id', 'u.id')
      .select('u.full_name')
      .where('r.role', '=', 'director')
      .where('u.active', '=', 1)
      .orderBy('u.id')
      .executeTakeFirst(),
  ]);
  if (!school) throw notFound('В базе данных ещё нет школы.');
  return {
    name: school.name,
    timeZone: school.time_zone,
    directorName: director?.full_name ?? null,
    settings: journalSettingsFrom(stored ? JSON.parse(stored.value) : {}),
  };
}

export async function readClass(db: Db, classId: number): Promise<ClassInfo> {
  const row = await db
    .selectFrom('school_class as c')
    .innerJoin('academic_year as y', 'y.id', 'c.year_id')
    .leftJoin('app_user as t', 't.id', 'c.class_teacher_id')
    .select([
      'c.id',
      'c.name',
      'c.grade',
      'c.no_marks',
      'c.class_teacher_id',
      't.full_name as teacher_name',
      'y.id as year_id',
      'y.name as year_name',
      'y.starts_on as year_starts_on',
      'y.ends_on as year_ends_on',
    ])
    .where('c.id', '=', classId)
    .executeTakeFirst();
  if (!row) throw notFound('Класс не найден.');
  const periods = await db
    .selectFrom('study_period')
    .select(['id', 'kind', 'number', 'name', 'starts_on', 'ends_on'])
    .where('year_id', '=', row.year_id)
    .where('grade_from', '<=', row.grade)
    .where('grade_to', '>=', row.grade)
    .orderBy('starts_on')
    .orderBy('id')
    .execute();
  return {
    id: row.id,
    name: row.name,
    grade: row.grade,
    noMarks: row.no_marks === 1,
    classTeacherId: row.class_teacher_id,
    classTeacherName: row.teacher_name,
    year: { id: row.year_id, name: row.year_name, startsOn: row.year_starts_on, endsOn: row.year_ends_on },
    periods: periods.map((p) => ({ id: p.id, kind: p.kind, number: p.number, name: p.name, startsOn: p.starts_on, endsOn: p.ends_on })),
  };
}

export async function findYear(db: Db, name: string): Promise<YearInfo | null> {
  const row = await db.selectFrom('academic_year').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? { id: row.id, name: row.name, startsOn: row.starts_on, endsOn: row.ends_on } : null;
}

export async function readYear(db: Db, yearId: number): Promise<YearInfo> {
  const row = await db.selectFrom('academic_year').selectAll().where('id', '=', yearId).executeTakeFirst();
  if (!row) throw notFound('Учебный год не найден.');
  return { id: row.id, name: row.name, startsOn: row.starts_on, endsOn: row.ends_on };
}

/** The year that contains `today`; else the latest one that has started; else the latest. */
export async function currentYear(db: Db, today: string): Promise<YearInfo | null> {
  const years = await db.selectFrom('academic_year').selectAll().orderBy('starts_on', 'desc').execute();
  const pick = years.find((y) => y.starts_on <= today && today <= y.ends_on) ?? years.find((y) => y.starts_on <= today) ?? years[0];
  return pick ? { id: pick.id, name: pick.name, startsOn: pick.starts_on, endsOn: pick.ends_on } : null;
}

/** Classes of a year in the school's order: by grade, then letter. */
export async function classesOfYear(db: Db, yearId: number): Promise<Array<{ id: number; name: string; grade: number }>> {
  const rows = await db.selectFrom('school_class').select(['id', 'name', 'grade', 'letter']).where('year_id', '=', yearId).execute();
  return rows
    .sort((a, b) => a.grade - b.grade || russianOrder.compare(a.letter, b.letter) || a.id - b.id)
    .map(({ id, name, grade }) => ({ id, name, grade }));
}

export async function findClassByName(db: Db, yearId: number, name: string): Promise<{ id: number; name: string } | null> {
  const wanted = name.trim().toUpperCase().replace(/\s+/g, '');
  const rows = await db.selectFrom('school_class').select(['id', 'name']).where('year_id', '=', yearId).execute();
  return rows.find((row) => row.name.toUpperCase().replace(/\s+/g, '') === wanted) ?? null;
}

/** A chunk size that keeps `in (…)` lists well under both engines' parameter limits. */
const IN_CHUNK = 500;

async function inChunks<T>(ids: readonly number[], read: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(...(await read(ids.slice(i, i + IN_CHUNK))));
  return out;
}

/**
 * One class over [from, to]: students enrolled at any moment of the range, every teaching
 * assignment, the lessons, marks, absences and finals. `loadIds` narrows to some subjects
 * (a teacher printing their own pages).
 */
export async function readClassJournal(
  db: Db,
  school: SchoolInfo,
  schoolClass: ClassInfo,
  range: { from: string; to: string },
  loadIds?: readonly number[],
  /** 'finals' skips lessons, marks and absences: the summary sheet of marks needs none. */
  parts: 'all' | 'finals' = 'all',
): Promise<ClassJournalData> {
  const { from, to } = range;
  const studentRows = await db
    .selectFrom('enrollment as e')
    .innerJoin('student as s', 's.id', 'e.student_id')
    .select(['s.id', 's.surname', 's.name', 's.patronymic', 's.birth_date', 's.gender', 'e.arrived_on', 'e.arrival_order', 'e.departed_on', 'e.departure_order'])
    .where('e.class_id', '=', schoolClass.id)
    .where('e.arrived_on', '<=', to)
    .where((eb) => eb.or([eb('e.departed_on', 'is', null), eb('e.departed_on', '>=', from)]))
    .execute();
  // A student who left and came back has two enrollments: one line, the widest span.
  const byStudent = new Map<number, StudentInfo>();
  for (const row of studentRows) {
    const known = byStudent.get(row.id);
    if (known) {
      if (row.arrived_on < known.arrivedOn) {
        known.arrivedOn = row.arrived_on;
        known.arrivalOrder = row.arrival_order;
      }
      if (known.departedOn !== null && (row.departed_on === null || row.departed_on > known.departedOn)) {
        known.departedOn = row.departed_on;
        known.departureOrder = row.departure_order;
      }
      continue;
    }
    byStudent.set(row.id, {
      id: row.id,
      surname: row.surname,
      name: row.name,
      patronymic: row.patronymic,
      birthDate: row.birth_date,
      gender: row.gender,
      arrivedOn: row.arrived_on,
      arrivalOrder: row.arrival_order,
      departedOn: row.departed_on,
      departureOrder: row.departure_order,
    });
  }
  const students = [...byStudent.values()].sort(compareStudents);

  let loadQuery = loadContextQuery(db).select('s.sort_order').where('tl.class_id', '=', schoolClass.id);
  if (loadIds) loadQuery = loadQuery.where('tl.id', 'in', loadIds.length > 0 ? [...loadIds] : [-1]);
  const loadRows = await loadQuery.execute();
  const programme = await programmeHours(db, loadRows.map((l) => l.id), schoolClass.year.startsOn, from, to);
  const loads: LoadInfo[] = loadRows
    .map((l) => ({
      id: l.id,
      subjectId: l.subject_id,
      subjectName: l.subject_name,
      subjectOrder: l.sort_order,
      subgroupId: l.subgroup_id,
      subgroupName: l.subgroup_name,
      teacherId: l.teacher_id,
      teacherName: l.teacher_name,
      programmeHours: programme.get(l.id) ?? null,
    }))
    .sort(
      (a, b) =>
        a.subjectOrder - b.subjectOrder ||
        russianOrder.compare(a.subjectName, b.subjectName) ||
        russianOrder.compare(a.subgroupName ?? '', b.subgroupName ?? '') ||
        a.id - b.id,
    );
  const ids = loads.map((l) => l.id);
  const subgroupIds = [...new Set(loads.map((l) => l.subgroupId).filter((g): g is number => g !== null))];

  const memberships = await inChunks(subgroupIds, (chunk) =>
    db
      .selectFrom('subgroup_member')
      .select(['subgroup_id', 'student_id', 'from_date', 'to_date'])
      .where('subgroup_id', 'in', chunk)
      .where('from_date', '<=', to)
      .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>=', from)]))
      .execute(),
  );

  const lessonIds = parts === 'all' ? ids : [];
  const lessonRows = await inChunks(lessonIds, (chunk) =>
    db
      .selectFrom('lesson as l')
      .innerJoin('app_user as u', 'u.id', 'l.given_by')
      .select(['l.id', 'l.load_id', 'l.date', 'l.lesson_number', 'l.topic', 'l.homework', 'l.substitution', 'u.full_name as given_by_name', 'l.created_at', 'l.topic_entered_at', 'l.homework_entered_at'])
      .where('l.load_id', 'in', chunk)
      .where('l.date', '>=', from)
      .where('l.date', '<=', to)
      .execute(),
  );
  const lessons: LessonInfo[] = lessonRows
    .map((l) => ({
      id: l.id,
      loadId: l.load_id,
      date: l.date,
      lessonNumber: l.lesson_number,
      topic: l.topic,
      homework: l.homework,
      givenByName: l.given_by_name,
      substitution: l.substitution === 1,
    }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : (a.lessonNumber ?? 0) - (b.lessonNumber ?? 0) || a.id - b.id));

  const markRows = await inChunks(lessonIds, (chunk) =>
    db
      .selectFrom('mark as m')
      .innerJoin('lesson as l', 'l.id', 'm.lesson_id')
      .innerJoin('work_type as w', 'w.id', 'm.work_type_id')
      .select(['m.id', 'm.lesson_id', 'm.student_id', 'm.value', 'w.weight', 'w.name as work_type', 'm.updated_at'])
      .where('l.load_id', 'in', chunk)
      .where('l.date', '>=', from)
      .where('l.date', '<=', to)
      .execute(),
  );
  // Marks of a cell in the order they were entered.
  markRows.sort((a, b) => a.id - b.id);
  const marks = markRows.map((m) => ({ lessonId: m.lesson_id, studentId: m.student_id, value: m.value, weight: Number(m.weight), workType: m.work_type }));

  const attendanceRows = await inChunks(lessonIds, (chunk) =>
    db
      .selectFrom('attendance as a')
      .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
      .select(['a.lesson_id', 'a.student_id', 'a.code', 'a.updated_at'])
      .where('l.load_id', 'in', chunk)
      .where('l.date', '>=', from)
      .where('l.date', '<=', to)
      .execute(),
  );
  const attendance = attendanceRows.map((a) => ({ lessonId: a.lesson_id, studentId: a.student_id, code: a.code }));

  const finalRows = await inChunks(ids, (chunk) =>
    db
      .selectFrom('final_mark')
      .select(['id', 'load_id', 'student_id', 'kind', 'period_id', 'value', 'deferred', 'updated_at'])
      .where('load_id', 'in', chunk)
      .execute(),
  );
  finalRows.sort((a, b) => a.id - b.id);
  const finals = finalRows.map((f) => ({
    loadId: f.load_id,
    studentId: f.student_id,
    kind: f.kind,
    periodId: f.period_id,
    value: f.value,
    deferred: f.deferred === 1,
  }));

  // «Данные по состоянию на»: the newest entry among what is printed. A deleted mark leaves
  // no row behind, so its removal is not seen here.
  let latestChange: string | null = null;
  const consider = (at: string | null) => {
    if (at !== null && (latestChange === null || at > latestChange)) latestChange = at;
  };
  for (const l of lessonRows) {
    consider(l.created_at);
    consider(l.topic_entered_at);
    consider(l.homework_entered_at);
  }
  for (const m of markRows) consider(m.updated_at);
  for (const a of attendanceRows) consider(a.updated_at);
  for (const f of finalRows) consider(f.updated_at);

  return {
    school,
    schoolClass,
    from,
    to,
    latestChange,
    students,
    loads,
    memberships: memberships.map((m) => ({ subgroupId: m.subgroup_id, studentId: m.student_id, fromDate: m.from_date, toDate: m.to_date })),
    lessons,
    marks,
    attendance,
    finals,
  };
}

/** The teaching assignments of one teacher in a class (their own pages). */
export async function loadsOfTeacherInClass(db: Db, classId: number, teacherId: number): Promise<Array<{ id: number; subjectId: number }>> {
  return (
    await db
      .selectFrom('teaching_load')
      .select(['id', 'subject_id'])
      .where('class_id', '=', classId)
      .where('teacher_id', '=', teacherId)
      .execute()
  ).map((r) => ({ id: r.id, subjectId: r.subject_id }));
}

export async function loadsOfSubjectInClass(db: Db, classId: number, subjectId: number): Promise<Array<{ id: number; teacherId: number }>> {
  return (
    await db
      .selectFrom('teaching_load')
      .select(['id', 'teacher_id'])
      .where('class_id', '=', classId)
      .where('subject_id', '=', subjectId)
      .execute()
  ).map((r) => ({ id: r.id, teacherId: r.teacher_id }));
}
