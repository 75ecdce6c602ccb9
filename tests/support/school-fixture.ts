import { signIn, TestSession } from './client';

// A small school built through the router with the «School setup» methods, for any test that
// needs a realistic year: 2026/2027 with quarters for grades 0–9 and half-years for 10–11,
// holidays, class 5А (class teacher Иванова) with five students, mathematics and English,
// English in two subgroups, a bell schedule, a weekly timetable and the default work types.
//
// The test clock of startTestCore stands on Wednesday 14 October 2026 (Asia/Tomsk).

export const STAFF_TEMPORARY_PASSWORD = 'Временный-1';
export const STAFF_PASSWORD = 'Свой-пароль-1';

export interface SmallSchool {
  yearId: number;
  periods: { q1: number; q2: number; q3: number; q4: number; h1: number; h2: number };
  holidays: { autumn: number; winter: number; spring: number };
  subjects: { math: number; english: number };
  classId: number; // 5А
  className: '5А';
  teachers: {
    /** Mathematics in 5А and its class teacher. */
    math: { id: number; login: string };
    /** English in 5А, both subgroups. */
    english: { id: number; login: string };
  };
  /** 5А in alphabetical order. */
  students: { alekseev: number; belova: number; volkov: number; grigorieva: number; davydov: number };
  studentIds: number[];
  subgroups: { first: number; second: number };
  loads: { math: number; english1: number; english2: number };
  timetable: { mathMonday: number; mathWednesday: number; english1Monday: number; english2Monday: number };
  workTypes: Record<string, number>;
}

async function staff(admin: TestSession, login: string, fullName: string, position: string) {
  const account = await admin.ok('accounts.create', { login, fullName, position, roles: ['teacher'], temporaryPassword: STAFF_TEMPORARY_PASSWORD });
  return { id: account.id, login };
}

/** A staff member of the fixture signed in, the temporary password already changed. */
export async function signInStaff(admin: TestSession, login: string): Promise<TestSession> {
  const first = await signIn(admin.core, login, STAFF_TEMPORARY_PASSWORD).catch(() => null);
  if (!first) return signIn(admin.core, login, STAFF_PASSWORD);
  await first.ok('auth.changePassword', { currentPassword: STAFF_TEMPORARY_PASSWORD, newPassword: STAFF_PASSWORD });
  return first;
}

export async function buildSmallSchool(admin: TestSession): Promise<SmallSchool> {
  const year = await admin.ok('school.years.create', { name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-08-31' });
  const yearId = year.id;
  const [q1, q2, q3, q4] = await admin.ok('school.periods.add', {
    yearId,
    kind: 'quarter',
    gradeFrom: 0,
    gradeTo: 9,
    periods: [
      { startsOn: '2026-09-01', endsOn: '2026-10-25' },
      { startsOn: '2026-11-05', endsOn: '2026-12-28' },
      { startsOn: '2027-01-12', endsOn: '2027-03-21' },
      { startsOn: '2027-03-31', endsOn: '2027-05-31' },
    ],
  });
  const [h1, h2] = await admin.ok('school.periods.add', {
    yearId,
    kind: 'half',
    gradeFrom: 10,
    gradeTo: 11,
    periods: [
      { startsOn: '2026-09-01', endsOn: '2026-12-28' },
      { startsOn: '2027-01-12', endsOn: '2027-05-31' },
    ],
  });
  const holiday = (name: string, startsOn: string, endsOn: string) => admin.ok('school.holidays.add', { yearId, name, startsOn, endsOn });
  const autumn = await holiday('Осенние каникулы', '2026-10-26', '2026-11-04');
  const winter = await holiday('Зимние каникулы', '2026-12-29', '2027-01-11');
  const spring = await holiday('Весенние каникулы', '2027-03-22', '2027-03-30');

  const math = await admin.ok('school.subjects.create', { name: 'Математика', shortName: 'Матем.', gradeFrom: 1, gradeTo: 11, sortOrder: 10 });
  const english = await admin.ok('school.subjects.create', { name: 'Иностранный язык (английский)', shortName: 'Англ. яз.', gradeFrom: 2, gradeTo: 11, sortOrder: 20 });
  await admin.ok('school.curriculum.set', { yearId, subjectId: math.id, hours: [{ grade: 5, hoursPerWeek: 5 }] });
  await admin.ok('school.curriculum.set', { yearId, subjectId: english.id, hours: [{ grade: 5, hoursPerWeek: 3 }] });

  const mathTeacher = await staff(admin, 'ivanova', 'Иванова Мария Сергеевна', 'Учитель математики');
  const englishTeacher = await staff(admin, 'sidorov', 'Сидоров Павел Андреевич', 'Учитель английского языка');

  const schoolClass = await admin.ok('school.classes.create', { yearId, grade: 5, letter: 'А', classTeacherId: mathTeacher.id, room: '21' });
  const student = async (surname: string, name: string, patronymic: string, birthDate: string) =>
    (await admin.ok('students.create', { surname, name, patronymic, birthDate, classId: schoolClass.id, arrivedOn: '2026-09-01', arrivalOrder: 'Приказ № 101' })).id;
  const students = {
    alekseev: await student('Алексеев', 'Артём', 'Игоревич', '2015-03-12'),
    belova: await student('Белова', 'Дарья', 'Андреевна', '2015-07-01'),
    volkov: await student('Волков', 'Никита', 'Сергеевич', '2014-11-23'),
    grigorieva: await student('Григорьева', 'Софья', 'Павловна', '2015-01-30'),
    davydov: await student('Давыдов', 'Максим', 'Олегович', '2015-05-17'),
  };

  const first = await admin.ok('school.subgroups.create', { classId: schoolClass.id, subjectId: english.id, name: '1 группа' });
  const second = await admin.ok('school.subgroups.create', { classId: schoolClass.id, subjectId: english.id, name: '2 группа' });
  await admin.ok('school.subgroups.addMembers', { subgroupId: first.id, studentIds: [students.alekseev, students.belova, students.volkov], fromDate: '2026-09-01' });
  await admin.ok('school.subgroups.addMembers', { subgroupId: second.id, studentIds: [students.grigorieva, students.davydov], fromDate: '2026-09-01' });

  const mathLoad = await admin.ok('load.create', { classId: schoolClass.id, subjectId: math.id, teacherId: mathTeacher.id, hoursPerWeek: 5 });
  const english1 = await admin.ok('load.create', { classId: schoolClass.id, subjectId: english.id, subgroupId: first.id, teacherId: englishTeacher.id, hoursPerWeek: 3 });
  const english2 = await admin.ok('load.create', { classId: schoolClass.id, subjectId: english.id, subgroupId: second.id, teacherId: englishTeacher.id, hoursPerWeek: 3 });

  await admin.ok('timetable.bells.set', {
    bells: [
      { lessonNumber: 1, startsAt: '08:00', endsAt: '08:40' },
      { lessonNumber: 2, startsAt: '08:50', endsAt: '09:30' },
      { lessonNumber: 3, startsAt: '09:45', endsAt: '10:25' },
      { lessonNumber: 4, startsAt: '10:40', endsAt: '11:20' },
      { lessonNumber: 5, startsAt: '11:35', endsAt: '12:15' },
      { lessonNumber: 6, startsAt: '12:25', endsAt: '13:05' },
    ],
  });
  const entry = async (loadId: number, weekday: number, lessonNumber: number, room?: string) =>
    (await admin.ok('timetable.add', { loadId, weekday, lessonNumber, room, validFrom: '2026-09-01' })).id;
  const timetable = {
    mathMonday: await entry(mathLoad.id, 1, 1),
    english1Monday: await entry(english1.id, 1, 2, '31'),
    english2Monday: await entry(english2.id, 1, 3, '31'),
    mathWednesday: await entry(mathLoad.id, 3, 2),
  };

  const workTypes = Object.fromEntries((await admin.ok('settings.workTypes.list', {})).map((w) => [w.name, w.id]));

  return {
    yearId,
    periods: { q1: q1!.id, q2: q2!.id, q3: q3!.id, q4: q4!.id, h1: h1!.id, h2: h2!.id },
    holidays: { autumn: autumn.id, winter: winter.id, spring: spring.id },
    subjects: { math: math.id, english: english.id },
    classId: schoolClass.id,
    className: '5А',
    teachers: { math: mathTeacher, english: englishTeacher },
    students,
    studentIds: Object.values(students),
    subgroups: { first: first.id, second: second.id },
    loads: { math: mathLoad.id, english1: english1.id, english2: english2.id },
    timetable,
    workTypes,
  };
}
