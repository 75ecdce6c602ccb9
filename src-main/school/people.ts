import type { SchoolClass, StudentRow } from '../../src-shared/contract/school';
import type { Role } from '../../src-shared/roles';
import { studentLabels } from '../../src-shared/rules/student-labels';
import type { Db } from '../store/database';

// Classes, students with their enrollments and consents, staff: the reads several handlers
// (and the import/export) share.

export function fullNameOf(person: { surname: string; name: string; patronymic: string }): string {
  return [person.surname, person.name, person.patronymic].filter(Boolean).join(' ');
}

export async function listClasses(db: Db, yearId: number, date: string, classId?: number): Promise<SchoolClass[]> {
  let query = db
    .selectFrom('school_class as c')
    .leftJoin('app_user as u', 'u.id', 'c.class_teacher_id')
    .select(['c.id', 'c.year_id', 'c.grade', 'c.letter', 'c.name', 'c.class_teacher_id', 'u.full_name as teacher_name', 'c.room', 'c.no_marks'])
    .where('c.year_id', '=', yearId);
  if (classId !== undefined) query = query.where('c.id', '=', classId);
  const [rows, counts] = await Promise.all([
    query.orderBy('c.grade').orderBy('c.letter').execute(),
    db
      .selectFrom('enrollment as e')
      .innerJoin('school_class as c', 'c.id', 'e.class_id')
      .select(['e.class_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('c.year_id', '=', yearId)
      .where('e.arrived_on', '<=', date)
      .where((eb) => eb.or([eb('e.departed_on', 'is', null), eb('e.departed_on', '>=', date)]))
      .groupBy('e.class_id')
      .execute(),
  ]);
  const countOf = new Map(counts.map((c) => [c.class_id, Number(c.n)]));
  return rows.map((r) => ({
    id: r.id,
    yearId: r.year_id,
    grade: r.grade,
    letter: r.letter,
    name: r.name,
    classTeacherId: r.class_teacher_id,
    classTeacherName: r.teacher_name ?? null,
    room: r.room,
    noMarks: r.no_marks === 1,
    studentCount: countOf.get(r.id) ?? 0,
  }));
}

export interface StudentFilter {
  yearId: number;
  classId?: number;
  studentId?: number;
  /** Students in class on this date; also the date consents are judged on. */
  date: string;
  /** Every enrollment of the year, departed ones included (the history). */
  withHistory?: boolean;
}

/**
 * Labels for a list as the reader sees it (call after withholding what she may not see:
 * a birth date left empty is never used to tell namesakes apart); per class.
 */
export function labelled(rows: StudentRow[]): StudentRow[] {
  const byClass = new Map<number, StudentRow[]>();
  for (const row of rows) byClass.set(row.enrollment.classId, [...(byClass.get(row.enrollment.classId) ?? []), row]);
  const labels = new Map<number, string>();
  for (const group of byClass.values()) {
    const once = new Map(group.map((row) => [row.id, row]));
    for (const [id, label] of studentLabels([...once.values()], { birthDates: true })) labels.set(id, label);
  }
  return rows.map((row) => ({ ...row, label: labels.get(row.id) ?? row.fullName }));
}

export async function listStudents(db: Db, filter: StudentFilter): Promise<StudentRow[]> {
  let query = db
    .selectFrom('enrollment as e')
    .innerJoin('student as s', 's.id', 'e.student_id')
    .innerJoin('school_class as c', 'c.id', 'e.class_id')
    .select([
      's.id',
      's.surname',
      's.name',
      's.patronymic',
      's.birth_date',
      's.gender',
      'e.id as enrollment_id',
      'e.class_id',
      'c.name as class_name',
      'c.year_id',
      'e.arrived_on',
      'e.arrival_order',
      'e.departed_on',
      'e.departure_order',
    ])
    .where('c.year_id', '=', filter.yearId);
  if (filter.classId !== undefined) query = query.where('e.class_id', '=', filter.classId);
  if (filter.studentId !== undefined) query = query.where('e.student_id', '=', filter.studentId);
  if (!filter.withHistory) {
    query = query.where('e.arrived_on', '<=', filter.date).where((eb) => eb.or([eb('e.departed_on', 'is', null), eb('e.departed_on', '>=', filter.date)]));
  }
  const rows = await query.orderBy('c.grade').orderBy('c.letter').orderBy('s.surname').orderBy('s.name').orderBy('s.patronymic').orderBy('e.arrived_on').execute();
  const ids = rows.map((r) => r.id);
  const [consents, withParent] = await Promise.all([consentsOf(db, ids), studentsWithParent(db, ids)]);
  return rows.map((r) => {
    const own = consents.get(r.id) ?? [];
    return {
      id: r.id,
      surname: r.surname,
      name: r.name,
      patronymic: r.patronymic,
      fullName: fullNameOf(r),
      label: fullNameOf(r),
      birthDate: r.birth_date,
      gender: r.gender,
      enrollment: {
        id: r.enrollment_id,
        classId: r.class_id,
        className: r.class_name,
        yearId: r.year_id,
        arrivedOn: r.arrived_on,
        arrivalOrder: r.arrival_order,
        departedOn: r.departed_on,
        departureOrder: r.departure_order,
      },
      consentMissing: !own.some((c) => consentInForce(c, filter.date)),
      consents: own,
      parentMissing: !withParent.has(r.id),
      personalData: 'full' as const,
    };
  });
}

/**
 * A withdrawn consent ends the day before its withdrawal; a destroyed one (D-45) served
 * through the day of the act, which is never before the student's last day.
 */
export function consentInForce(consent: { givenOn: string; withdrawnOn: string | null; destroyedOn: string | null }, date: string): boolean {
  return consent.givenOn <= date && (consent.withdrawnOn === null || consent.withdrawnOn > date) && (consent.destroyedOn === null || date <= consent.destroyedOn);
}

export function toConsent(row: { id: number; student_id: number; given_by: string; giver_name: string; given_on: string; withdrawn_on: string | null; destroyed_on: string | null }) {
  return {
    id: row.id,
    studentId: row.student_id,
    givenBy: row.given_by as 'student' | 'parent',
    giverName: row.giver_name,
    givenOn: row.given_on,
    withdrawnOn: row.withdrawn_on,
    destroyedOn: row.destroyed_on,
  };
}

const CHUNK = 500;

export async function consentsOf(db: Db, studentIds: number[]) {
  const result = new Map<number, ReturnType<typeof toConsent>[]>();
  const unique = [...new Set(studentIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db.selectFrom('consent').selectAll().where('student_id', 'in', unique.slice(i, i + CHUNK)).orderBy('given_on').execute();
    for (const row of rows) {
      const list = result.get(row.student_id) ?? [];
      list.push(toConsent(row));
      result.set(row.student_id, list);
    }
  }
  return result;
}

/** Which of these students have a parent or legal representative recorded. */
async function studentsWithParent(db: Db, studentIds: number[]): Promise<Set<number>> {
  const found = new Set<number>();
  const unique = [...new Set(studentIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await db.selectFrom('student_parent').select('student_id').distinct().where('student_id', 'in', unique.slice(i, i + CHUNK)).execute();
    for (const row of rows) found.add(row.student_id);
  }
  return found;
}

/** The student's enrollment in an open year that has not ended, latest first. */
export async function currentEnrollment(db: Db, studentId: number) {
  return db
    .selectFrom('enrollment as e')
    .innerJoin('school_class as c', 'c.id', 'e.class_id')
    .innerJoin('academic_year as y', 'y.id', 'c.year_id')
    .select(['e.id', 'e.class_id', 'e.arrived_on', 'e.departed_on', 'c.name as class_name', 'c.year_id', 'c.grade', 'y.closed_at', 'y.name as year_name', 'y.starts_on as year_starts_on', 'y.ends_on as year_ends_on'])
    .where('e.student_id', '=', studentId)
    .where('e.departed_on', 'is', null)
    .orderBy('y.starts_on', 'desc')
    .orderBy('e.arrived_on', 'desc')
    .executeTakeFirst();
}

export interface StaffRow {
  id: number;
  login: string;
  fullName: string;
  position: string;
  roles: Role[];
  active: boolean;
}

export async function listStaff(db: Db, options: { onlyTeachers?: boolean; includeInactive?: boolean } = {}): Promise<StaffRow[]> {
  let users = db.selectFrom('app_user').select(['id', 'login', 'full_name', 'position', 'active']);
  if (!options.includeInactive) users = users.where('active', '=', 1);
  if (options.onlyTeachers) users = users.where('id', 'in', db.selectFrom('user_role').select('user_id').where('role', '=', 'teacher'));
  const [rows, roleRows] = await Promise.all([users.orderBy('full_name').execute(), db.selectFrom('user_role').select(['user_id', 'role']).orderBy('role').execute()]);
  const rolesOf = new Map<number, Role[]>();
  for (const r of roleRows) rolesOf.set(r.user_id, [...(rolesOf.get(r.user_id) ?? []), r.role as Role]);
  return rows.map((r) => ({ id: r.id, login: r.login, fullName: r.full_name, position: r.position, roles: rolesOf.get(r.id) ?? [], active: r.active === 1 }));
}

/** A person the school may name as class teacher or load teacher: an active account. */
export async function requireActiveStaff(db: Db, userId: number) {
  const user = await db.selectFrom('app_user').select(['id', 'full_name', 'active']).where('id', '=', userId).executeTakeFirst();
  return user && user.active === 1 ? user : null;
}

export interface MovementEntry {
  studentId: number;
  fullName: string;
  className: string;
  date: string;
  order: string;
}

/** Students who arrived and who left between two dates (D-13), with the order of each. */
export async function studentMovement(db: Db, from: string, to: string): Promise<{ arrived: MovementEntry[]; departed: MovementEntry[] }> {
  const base = db
    .selectFrom('enrollment as e')
    .innerJoin('student as s', 's.id', 'e.student_id')
    .innerJoin('school_class as c', 'c.id', 'e.class_id')
    .select(['s.id', 's.surname', 's.name', 's.patronymic', 'c.name as class_name', 'e.arrived_on', 'e.arrival_order', 'e.departed_on', 'e.departure_order']);
  const [arrived, departed] = await Promise.all([
    // A continuation into the next grade (D-14) is no arrival.
    base.where('e.continues_enrollment_id', 'is', null).where('e.arrived_on', '>=', from).where('e.arrived_on', '<=', to).orderBy('e.arrived_on').orderBy('s.surname').execute(),
    base.where('e.departed_on', '>=', from).where('e.departed_on', '<=', to).orderBy('e.departed_on').orderBy('s.surname').execute(),
  ]);
  return {
    arrived: arrived.map((r) => ({ studentId: r.id, fullName: fullNameOf(r), className: r.class_name, date: r.arrived_on, order: r.arrival_order })),
    departed: departed.map((r) => ({ studentId: r.id, fullName: fullNameOf(r), className: r.class_name, date: r.departed_on!, order: r.departure_order })),
  };
}
