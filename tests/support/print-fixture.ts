import type { Core } from '../../src-main/app/core';
import type { Db } from '../../src-main/store/database';
import { createSchoolAndSignIn, signIn, type TestSession } from './client';

// A small but realistic class written straight into the real database: a year with
// quarters, 5А with its class teacher, 40 students (long names among them), seven subjects
// and an English subgroup pair, a quarter of lessons with long topics, several marks per
// cell, special marks, every attendance code, period finals and a substitution.

export const PASSWORD = 'Пароль-печати-1';

export const LONG_NAME = { surname: 'Константинопольская-Преображенская', name: 'Анастасия-Виктория', patronymic: 'Александровна' };
export const LONG_TOPIC =
  'Решение текстовых задач на совместную работу и движение по реке (по течению и против течения) с составлением таблицы, схемы и краткой записи условия; проверка решения подстановкой и обсуждение ошибок самостоятельной работы';

export interface PrintFixture {
  admin: TestSession;
  classId: number;
  yearId: number;
  yearName: string;
  quarterIds: number[];
  users: Record<'director' | 'deputy' | 'classTeacher' | 'math' | 'english1' | 'english2' | 'history' | 'substitute', { id: number; login: string; fullName: string }>;
  loads: Record<'russian' | 'literature' | 'math' | 'english1' | 'english2' | 'history' | 'biology' | 'odnknr', number>;
  subjects: Record<'math' | 'history', number>;
  studentCount: number;
}

/** A fixed pseudo-random sequence: the fixture is the same on every run and engine. */
function sequence(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function insertMany<T extends Record<string, unknown>>(db: Db, table: string, rows: T[]) {
  for (let i = 0; i < rows.length; i += 400) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await (db as any).insertInto(table).values(rows.slice(i, i + 400)).execute();
  }
}

async function insertId(db: Db, table: string, row: Record<string, unknown>): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const result = await (db as any).insertInto(table).values(row).returning('id').executeTakeFirstOrThrow();
  return Number(result.id);
}

const SURNAMES = ['Иванов', 'Петров', 'Сидоров', 'Кузнецов', 'Смирнов', 'Попов', 'Васильев', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров', 'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов', 'Козлов', 'Степанов'];
const BOYS = ['Александр', 'Максим', 'Иван', 'Артём', 'Дмитрий', 'Никита', 'Михаил', 'Даниил', 'Егор', 'Андрей'];
const GIRLS = ['Анна', 'Мария', 'Елена', 'Дарья', 'Алина', 'Ирина', 'Екатерина', 'Полина', 'Ольга', 'Виктория'];

/** School days (Mon–Fri) between two dates, inclusive. */
function schoolDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day >= 1 && day <= 5) days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

export async function createPrintFixture(core: Core, options: { className?: string; studentCount?: number; admin?: TestSession; seed?: number } = {}): Promise<PrintFixture> {
  const admin = options.admin ?? (await createSchoolAndSignIn(core));
  const db = core.store.db;
  const random = sequence(options.seed ?? 7);
  const now = '2025-08-25T05:00:00.000Z';
  const className = options.className ?? '5А';
  const studentCount = options.studentCount ?? 40;

  async function person(login: string, fullName: string, roles: Array<'director' | 'deputy' | 'teacher'>) {
    const existing = await db.selectFrom('app_user').select(['id', 'full_name']).where('login', '=', login).executeTakeFirst();
    if (existing) return { id: existing.id, login, fullName: existing.full_name };
    const account = await admin.ok('accounts.create', { login, fullName, roles, temporaryPassword: PASSWORD });
    // The test signs in with the password at once: no temporary-password detour.
    await db.updateTable('app_user').set({ must_change_password: 0 }).where('id', '=', account.id).execute();
    return { id: account.id, login, fullName };
  }
  const users = {
    director: await person('director', 'Орлова Галина Николаевна', ['director']),
    deputy: await person('deputy', 'Белова Светлана Игоревна', ['deputy']),
    classTeacher: await person('kuznetsova', 'Кузнецова Анна Викторовна', ['teacher']),
    math: await person('petrov', 'Петров Иван Ильич', ['teacher']),
    english1: await person('sokolova', 'Соколова Мария Андреевна', ['teacher']),
    english2: await person('volkov', 'Волков Павел Сергеевич', ['teacher']),
    history: await person('lebedeva', 'Лебедева Елена Павловна', ['teacher']),
    substitute: await person('morozova', 'Морозова Татьяна Олеговна', ['teacher']),
  };

  let year = await db.selectFrom('academic_year').select(['id']).where('name', '=', '2025/2026').executeTakeFirst();
  const yearId = year?.id ?? (await insertId(db, 'academic_year', { name: '2025/2026', starts_on: '2025-09-01', ends_on: '2026-05-31', closed_at: null }));
  year = { id: yearId };
  const quarters = [
    ['I четверть', '2025-09-01', '2025-10-24'],
    ['II четверть', '2025-11-05', '2025-12-28'],
    ['III четверть', '2026-01-12', '2026-03-20'],
    ['IV четверть', '2026-03-30', '2026-05-26'],
  ] as const;
  let quarterIds = (await db.selectFrom('study_period').select('id').where('year_id', '=', yearId).where('kind', '=', 'quarter').orderBy('starts_on').execute()).map((r) => r.id);
  if (quarterIds.length === 0) {
    quarterIds = [];
    for (const [i, [name, starts, ends]] of quarters.entries()) {
      quarterIds.push(await insertId(db, 'study_period', { year_id: yearId, kind: 'quarter', number: i + 1, name, starts_on: starts, ends_on: ends, grade_from: 1, grade_to: 9 }));
    }
    for (const [i, [name, starts, ends]] of [['1 полугодие', '2025-09-01', '2025-12-28'], ['2 полугодие', '2026-01-12', '2026-05-26']].entries()) {
      await insertId(db, 'study_period', { year_id: yearId, kind: 'half', number: i + 1, name, starts_on: starts, ends_on: ends, grade_from: 10, grade_to: 11 });
    }
  }

  const subjectNames = [
    ['Русский язык', 1],
    ['Литература', 2],
    ['Иностранный язык (английский)', 3],
    ['Математика', 4],
    ['История России. Всеобщая история', 5],
    ['Биология', 6],
    ['Основы духовно-нравственной культуры народов России', 7],
  ] as const;
  const subjectIds: number[] = [];
  for (const [name, order] of subjectNames) {
    const found = await db.selectFrom('subject').select('id').where('name', '=', name).executeTakeFirst();
    subjectIds.push(found?.id ?? (await insertId(db, 'subject', { name, short_name: name.slice(0, 6), grade_from: 1, grade_to: 11, sort_order: order })));
  }
  const workTypes: Array<{ id: number; weight: number }> = [];
  for (const [name, weight] of [['Ответ на уроке', 1], ['Самостоятельная работа', 1.5], ['Контрольная работа', 2]] as const) {
    const found = await db.selectFrom('work_type').select('id').where('name', '=', name).executeTakeFirst();
    workTypes.push({ id: found?.id ?? (await insertId(db, 'work_type', { name, weight, mark_due_days: 3, sort_order: weight * 10, active: 1 })), weight });
  }

  const grade = Number(className.replace(/\D+$/, '')) || 5;
  const classId = await insertId(db, 'school_class', {
    year_id: yearId,
    grade,
    letter: className.replace(/^\d+/, ''),
    name: className,
    class_teacher_id: users.classTeacher.id,
    room: '21',
    no_marks: 0,
  });

  const studentIds: number[] = [];
  for (let i = 0; i < studentCount; i++) {
    const girl = i % 2 === 0;
    const person = i === 3 ? LONG_NAME : {
      surname: SURNAMES[(i * 7) % SURNAMES.length]! + (girl ? 'а' : ''),
      name: (girl ? GIRLS : BOYS)[(i * 3 + Math.floor(i / SURNAMES.length)) % 10]!,
      patronymic: girl ? 'Сергеевна' : 'Петрович',
    };
    const id = await insertId(db, 'student', { ...person, birth_date: '2014-05-12', gender: girl ? 'ж' : 'м', created_at: now });
    studentIds.push(id);
    // One arrives mid-quarter, one leaves: both stay in the printout with a note.
    const arrived = i === studentCount - 1 ? '2025-10-06' : '2025-09-01';
    const departed = i === studentCount - 2 ? '2025-10-10' : null;
    await insertId(db, 'enrollment', { student_id: id, class_id: classId, arrived_on: arrived, arrival_order: '№ 12-у', departed_on: departed, departure_order: departed ? '№ 15-у' : '' });
  }

  const english = subjectIds[2]!;
  const group1 = await insertId(db, 'subgroup', { class_id: classId, subject_id: english, name: '1 группа' });
  const group2 = await insertId(db, 'subgroup', { class_id: classId, subject_id: english, name: '2 группа' });
  const members = studentIds.map((studentId, i) => ({ subgroup_id: i % 2 === 0 ? group1 : group2, student_id: studentId, from_date: '2025-09-01', to_date: null }));
  await insertMany(db, 'subgroup_member', members);

  const load = (subjectIndex: number, teacherId: number, hours: number, subgroupId: number | null = null) =>
    insertId(db, 'teaching_load', { year_id: yearId, class_id: classId, subject_id: subjectIds[subjectIndex]!, subgroup_id: subgroupId, teacher_id: teacherId, hours_per_week: hours });
  const loads = {
    russian: await load(0, users.classTeacher.id, 5),
    literature: await load(1, users.classTeacher.id, 3),
    english1: await load(2, users.english1.id, 3, group1),
    english2: await load(2, users.english2.id, 3, group2),
    math: await load(3, users.math.id, 5),
    history: await load(4, users.history.id, 2),
    biology: await load(5, users.substitute.id, 1),
    odnknr: await load(6, users.history.id, 1),
  };
  const loadPlan: Array<{ id: number; teacherId: number; weekdays: number[]; members: number[] }> = [
    { id: loads.russian, teacherId: users.classTeacher.id, weekdays: [1, 2, 3, 4, 5], members: studentIds },
    { id: loads.literature, teacherId: users.classTeacher.id, weekdays: [1, 3, 5], members: studentIds },
    { id: loads.english1, teacherId: users.english1.id, weekdays: [2, 3, 5], members: studentIds.filter((_, i) => i % 2 === 0) },
    { id: loads.english2, teacherId: users.english2.id, weekdays: [2, 3, 5], members: studentIds.filter((_, i) => i % 2 === 1) },
    { id: loads.math, teacherId: users.math.id, weekdays: [1, 2, 3, 4, 5], members: studentIds },
    { id: loads.history, teacherId: users.history.id, weekdays: [2, 4], members: studentIds },
    { id: loads.biology, teacherId: users.substitute.id, weekdays: [3], members: studentIds },
    { id: loads.odnknr, teacherId: users.history.id, weekdays: [5], members: studentIds },
  ];

  const days = schoolDays('2025-09-01', '2025-10-24');
  const markValues = ['5', '4', '4', '3', '5', '2', '4', '5'];
  for (const plan of loadPlan) {
    let lessonIndex = 0;
    const marks: Array<Record<string, unknown>> = [];
    const attendance: Array<Record<string, unknown>> = [];
    for (const day of days) {
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      if (!plan.weekdays.includes(weekday)) continue;
      lessonIndex += 1;
      const substitution = plan.id === loads.math && lessonIndex === 4;
      const topic = plan.id === loads.math && lessonIndex % 6 === 2 ? LONG_TOPIC : `Тема урока ${lessonIndex}: ${['повторение изученного', 'новый материал и упражнения', 'практическая работа', 'самостоятельная работа по теме'][lessonIndex % 4]}`;
      const lessonId = await insertId(db, 'lesson', {
        load_id: plan.id,
        date: day,
        lesson_number: 1 + (lessonIndex % 6),
        topic,
        material: '',
        homework: lessonIndex % 3 === 0 ? '' : `§ ${lessonIndex}, упр. ${100 + lessonIndex}${lessonIndex % 5 === 0 ? '; подготовить сообщение по теме урока, выучить правило и словарные слова' : ''}`,
        homework_for: null,
        work_types: '[]',
        comment: '',
        given_by: substitution ? users.substitute.id : plan.teacherId,
        substitution: substitution ? 1 : 0,
        created_at: `${day}T06:00:00.000Z`,
        created_by: substitution ? users.substitute.id : plan.teacherId,
        topic_entered_at: `${day}T06:00:00.000Z`,
        homework_entered_at: `${day}T06:00:00.000Z`,
        version: 1,
      });
      for (const studentId of plan.members) {
        const roll = random();
        if (roll < 0.03) attendance.push({ lesson_id: lessonId, student_id: studentId, code: ['ОТ', 'УП', 'Б', 'НП', 'Б', 'ОП'][Math.floor(random() * 6)]!, updated_at: now, updated_by: plan.teacherId, version: 1 });
        else if (roll < 0.3) {
          const count = roll < 0.06 ? 3 : roll < 0.12 ? 2 : 1;
          for (let k = 0; k < count; k++) {
            const special = random() < 0.02;
            const workType = workTypes[Math.floor(random() * workTypes.length)]!;
            marks.push({
              lesson_id: lessonId,
              student_id: studentId,
              value: special ? (random() < 0.5 ? 'осв' : 'н/а') : markValues[Math.floor(random() * markValues.length)]!,
              work_type_id: workType.id,
              comment: '',
              make_up: 0,
              created_at: now,
              created_by: plan.teacherId,
              updated_at: now,
              updated_by: plan.teacherId,
              version: 1,
            });
          }
        }
      }
    }
    await insertMany(db, 'mark', marks);
    await insertMany(db, 'attendance', attendance);
    const finals = plan.members.map((studentId, i) => ({
      load_id: plan.id,
      student_id: studentId,
      kind: 'period',
      period_id: quarterIds[0]!,
      value: i === 5 ? 'н/а' : ['5', '4', '4', '3'][(i + plan.id) % 4]!,
      suggested: '',
      deferred: 0,
      updated_at: now,
      updated_by: plan.teacherId,
      version: 1,
    }));
    await insertMany(db, 'final_mark', finals);
  }

  return {
    admin,
    classId,
    yearId,
    yearName: '2025/2026',
    quarterIds,
    users,
    loads,
    subjects: { math: subjectIds[3]!, history: subjectIds[4]! },
    studentCount,
  };
}

export async function signInAs(core: Core, login: string): Promise<TestSession> {
  return signIn(core, login, PASSWORD);
}
