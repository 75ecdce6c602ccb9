import type { Role } from '../../src-shared/roles';
import type { Db } from '../../src-main/store/database';
import type { Envelope } from '../../src-shared/contract/envelope';
import { ADMIN, createSchoolAndSignIn, signIn, TestSession } from './client';
import type { TestCore } from './engines';
import { workTypeId } from './work-types';

// A small school for the journal tests, inserted straight into the real database (the
// school-setup methods are built elsewhere at the same time), with accounts made through
// the router so every session is real.
//
// Year 2026/2027 in Asia/Tomsk (UTC+7), quarters; class 5А (class teacher: the Russian
// teacher) with six students, one of whom leaves on 5 October; English in two subgroups;
// class 1А without marks (D-19). The test clock starts on Wednesday 14 October 2026, 14:30
// school time.

export const PASSWORD = 'Свой-пароль-1';
const TEMPORARY = 'Временный-1';

export interface Staff {
  session: TestSession;
  login: string;
  id: number;
  fullName: string;
}

export interface JournalSchool {
  /** Sets the test clock (sessions ended by the jump sign in again when next used). */
  travel(iso: string): Promise<void>;
  admin: TestSession;
  adminId: number;
  math: Staff; // Математика 5А, Английский 5А (2 группа)
  russian: Staff; // Русский язык 5А, классный руководитель 5А
  english: Staff; // Английский 5А (1 группа)
  primary: Staff; // Математика 1А, классный руководитель 1А
  deputy: Staff;
  director: Staff;
  medical: Staff;
  yearId: number;
  periods: { q1: number; q2: number; q3: number; q4: number };
  class5A: number;
  class1A: number;
  /** 5А in alphabetical order; `departed` left on 2026-10-05. */
  students: { alekseev: number; belova: number; volkov: number; grigorieva: number; davydov: number; egorova: number };
  departed: number;
  students1A: number[];
  subgroups: { first: number; second: number };
  loads: { math5A: number; russian5A: number; english5A1: number; english5A2: number; math1A: number };
  workTypes: { oral: number; written: number; test: number };
}

/**
 * A session that signs in again when the moved test clock ended it for inactivity: tests
 * jump days ahead and back, and only the sessions a test uses pay for a new sign-in.
 */
class RenewingSession extends TestSession {
  constructor(
    core: TestCore['core'],
    token: string | null,
    private readonly login: string,
    private readonly password: string,
  ) {
    super(core, token);
  }

  override async raw(method: string, input: unknown): Promise<Envelope<unknown>> {
    const result = await super.raw(method, input);
    if (result.ok || result.error.kind !== 'unauthenticated' || !this.token) return result;
    this.token = (await signIn(this.core, this.login, this.password)).token;
    return super.raw(method, input);
  }
}

async function staff(t: TestCore, admin: TestSession, login: string, fullName: string, roles: Role[]): Promise<Staff> {
  const account = await admin.ok('accounts.create', { login, fullName, roles, temporaryPassword: TEMPORARY });
  const first = await signIn(t.core, login, TEMPORARY);
  await first.ok('auth.changePassword', { currentPassword: TEMPORARY, newPassword: PASSWORD });
  return { session: new RenewingSession(t.core, first.token, login, PASSWORD), login, id: account.id, fullName };
}

async function insertId(db: Db, table: string, values: Record<string, unknown>): Promise<number> {
  const row = await db
    .insertInto(table as never)
    .values(values as never)
    .returning('id' as never)
    .executeTakeFirstOrThrow();
  return (row as { id: number }).id;
}

export async function buildJournalSchool(t: TestCore): Promise<JournalSchool> {
  const admin = new RenewingSession(t.core, (await createSchoolAndSignIn(t.core)).token, ADMIN.login, ADMIN.password);
  const adminId = (await admin.ok('auth.whoami', {})).id;
  const [math, russian, english, primary, deputy, director, medical] = await Promise.all([
    staff(t, admin, 'ivanova', 'Иванова Мария Сергеевна', ['teacher']),
    staff(t, admin, 'petrova', 'Петрова Анна Викторовна', ['teacher']),
    staff(t, admin, 'sidorov', 'Сидоров Павел Андреевич', ['teacher']),
    staff(t, admin, 'kuznetsova', 'Кузнецова Елена Ивановна', ['teacher']),
    staff(t, admin, 'orlova', 'Орлова Наталья Борисовна', ['deputy']),
    staff(t, admin, 'director', 'Морозов Виктор Петрович', ['director']),
    staff(t, admin, 'medic', 'Зайцева Ирина Олеговна', ['medical']),
  ]);

  const db = t.core.store.db;
  const yearId = await insertId(db, 'academic_year', { name: '2026/2027', starts_on: '2026-09-01', ends_on: '2027-08-31', closed_at: null });
  const period = (number: number, name: string, starts_on: string, ends_on: string) =>
    insertId(db, 'study_period', { year_id: yearId, kind: 'quarter', number, name, starts_on, ends_on, grade_from: 1, grade_to: 11 });
  const periods = {
    q1: await period(1, 'I четверть', '2026-09-01', '2026-10-25'),
    q2: await period(2, 'II четверть', '2026-11-05', '2026-12-28'),
    q3: await period(3, 'III четверть', '2027-01-12', '2027-03-21'),
    q4: await period(4, 'IV четверть', '2027-03-31', '2027-05-31'),
  };
  const subject = (name: string, short_name: string, sort_order: number) => insertId(db, 'subject', { name, short_name, grade_from: 1, grade_to: 11, sort_order });
  const mathematics = await subject('Математика', 'Матем.', 1);
  const russianLanguage = await subject('Русский язык', 'Рус. яз.', 2);
  const englishLanguage = await subject('Иностранный язык (английский)', 'Англ. яз.', 3);

  const class5A = await insertId(db, 'school_class', { year_id: yearId, grade: 5, letter: 'А', name: '5А', class_teacher_id: russian.id, room: '21', no_marks: 0 });
  const class1A = await insertId(db, 'school_class', { year_id: yearId, grade: 1, letter: 'А', name: '1А', class_teacher_id: primary.id, room: '3', no_marks: 1 });

  const student = async (surname: string, name: string, classId: number, departed: string | null = null) => {
    const id = await insertId(db, 'student', { surname, name, patronymic: '', birth_date: null, gender: '', created_at: '2026-08-20T00:00:00.000Z' });
    await insertId(db, 'enrollment', { student_id: id, class_id: classId, arrived_on: '2026-09-01', arrival_order: 'Приказ № 1', departed_on: departed, departure_order: departed ? 'Приказ № 57' : '' });
    return id;
  };
  const students = {
    alekseev: await student('Алексеев', 'Артём', class5A),
    belova: await student('Белова', 'Дарья', class5A),
    volkov: await student('Волков', 'Никита', class5A),
    grigorieva: await student('Григорьева', 'Софья', class5A),
    davydov: await student('Давыдов', 'Максим', class5A, '2026-10-05'),
    egorova: await student('Егорова', 'Полина', class5A),
  };
  const students1A = [await student('Жуков', 'Лев', class1A), await student('Зотова', 'Алиса', class1A), await student('Ильин', 'Марк', class1A)];

  const first = await insertId(db, 'subgroup', { class_id: class5A, subject_id: englishLanguage, name: '1 группа' });
  const second = await insertId(db, 'subgroup', { class_id: class5A, subject_id: englishLanguage, name: '2 группа' });
  for (const [group, members] of [
    [first, [students.alekseev, students.belova, students.volkov]],
    [second, [students.grigorieva, students.davydov, students.egorova]],
  ] as const) {
    for (const member of members) await insertId(db, 'subgroup_member', { subgroup_id: group, student_id: member, from_date: '2026-09-01', to_date: null });
  }

  const load = (classId: number, subjectId: number, teacherId: number, subgroupId: number | null = null) =>
    insertId(db, 'teaching_load', { year_id: yearId, class_id: classId, subject_id: subjectId, subgroup_id: subgroupId, teacher_id: teacherId, hours_per_week: 3 });
  const loads = {
    math5A: await load(class5A, mathematics, math.id),
    russian5A: await load(class5A, russianLanguage, russian.id),
    english5A1: await load(class5A, englishLanguage, english.id, first),
    english5A2: await load(class5A, englishLanguage, math.id, second),
    math1A: await load(class1A, mathematics, primary.id),
  };

  const bells = [
    [1, '08:00', '08:40'],
    [2, '08:50', '09:30'],
    [3, '09:45', '10:25'],
    [4, '10:40', '11:20'],
    [5, '11:35', '12:15'],
    [6, '12:25', '13:05'],
  ] as const;
  for (const [lesson_number, starts_at, ends_at] of bells) await db.insertInto('bell').values({ lesson_number, starts_at, ends_at }).execute();
  // 5А on Wednesdays: mathematics 2nd, Russian 5th — the day ends at 12:15.
  await insertId(db, 'timetable_entry', { load_id: loads.math5A, weekday: 3, lesson_number: 2, room: '21', valid_from: '2026-09-01', valid_to: null });
  await insertId(db, 'timetable_entry', { load_id: loads.russian5A, weekday: 3, lesson_number: 5, room: '21', valid_from: '2026-09-01', valid_to: null });

  const workType = (name: string, weight: number, markDueDays: number, sortOrder: number) => workTypeId(db, name, weight, markDueDays, sortOrder);
  const workTypes = {
    oral: await workType('Ответ на уроке', 1, 1, 1),
    written: await workType('Самостоятельная работа', 1.5, 3, 2),
    test: await workType('Контрольная работа', 2, 3, 3),
  };

  async function travel(iso: string) {
    t.clock.set(iso);
  }

  return {
    travel,
    admin,
    adminId,
    math,
    russian,
    english,
    primary,
    deputy,
    director,
    medical,
    yearId,
    periods,
    class5A,
    class1A,
    students,
    departed: students.davydov,
    students1A,
    subgroups: { first, second },
    loads,
    workTypes,
  };
}

/** School-local 'YYYY-MM-DD HH:MM' in Tomsk (UTC+7) as the instant the test clock takes. */
export function tomsk(local: string): string {
  return new Date(`${local.replace(' ', 'T')}:00+07:00`).toISOString();
}
