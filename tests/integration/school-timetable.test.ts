import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchoolAndSignIn, signIn, TestSession } from '../support/client';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildSmallSchool, signInStaff, STAFF_PASSWORD, type SmallSchool } from '../support/school-fixture';

describe.each(engines)('school setup: bells and timetable on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let school: SmallSchool;
  beforeEach(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    school = await buildSmallSchool(admin);
  });
  afterEach(async () => t.close());

  it('a teacher twice at once is refused with the clash named', async () => {
    const secondClass = await admin.ok('school.classes.create', { yearId: school.yearId, grade: 5, letter: 'Б', room: '22' });
    const load = await admin.ok('load.create', { classId: secondClass.id, subjectId: school.subjects.math, teacherId: school.teachers.math.id, hoursPerWeek: 5 });
    const error = await admin.fails('timetable.add', { loadId: load.id, weekday: 1, lessonNumber: 1, validFrom: '2026-10-19' });
    expect(error.kind).toBe('conflict');
    expect(error.message).toBe('Иванова Мария Сергеевна в это время (понедельник, 1 урок) уже ведёт урок: «Математика», 5А, Иванова Мария Сергеевна, с 01.09.2026 по 31.08.2027.');
    expect((await admin.ok('timetable.list', { classId: secondClass.id })).length).toBe(0);
  });

  it('a room twice at once is refused with the clash named', async () => {
    const secondClass = await admin.ok('school.classes.create', { yearId: school.yearId, grade: 5, letter: 'Б', room: '21' });
    const load = await admin.ok('load.create', { classId: secondClass.id, subjectId: school.subjects.math, teacherId: school.teachers.english.id });
    const error = await admin.fails('timetable.add', { loadId: load.id, weekday: 3, lessonNumber: 2, validFrom: '2026-09-01' });
    expect(error.message).toBe('Кабинет 21 в это время (среда, 2 урок) занят: «Математика», 5А, Иванова Мария Сергеевна, с 01.09.2026 по 31.08.2027.');
    // In another room it fits.
    await admin.ok('timetable.add', { loadId: load.id, weekday: 3, lessonNumber: 2, room: '22', validFrom: '2026-09-01' });
  });

  it('a class is not in two lessons at once, but its two subgroups may be', async () => {
    const teacher = await admin.ok('accounts.create', { login: 'petrova', fullName: 'Петрова Анна Викторовна', roles: ['teacher'], temporaryPassword: 'Временный-1' });
    // Group 2 moves to Monday 2nd with another teacher, beside group 1: allowed.
    await admin.ok('timetable.remove', { id: school.timetable.english2Monday });
    await admin.ok('load.update', { id: school.loads.english2, teacherId: teacher.id, hoursPerWeek: 3 });
    await admin.ok('timetable.add', { loadId: school.loads.english2, weekday: 1, lessonNumber: 2, room: '32', validFrom: '2026-09-01' });
    // The whole class cannot have mathematics then.
    const history = await admin.ok('school.subjects.create', { name: 'История', gradeFrom: 5, gradeTo: 11 });
    const load = await admin.ok('load.create', { classId: school.classId, subjectId: history.id, teacherId: teacher.id });
    const error = await admin.fails('timetable.add', { loadId: load.id, weekday: 1, lessonNumber: 1, room: '40', validFrom: '2026-09-01' });
    expect(error.message).toBe('У 5А в это время (понедельник, 1 урок) уже стоит урок: «Математика», 5А, Иванова Мария Сергеевна, с 01.09.2026 по 31.08.2027.');
    const subgroupClash = await admin.fails('timetable.add', { loadId: school.loads.english1, weekday: 1, lessonNumber: 1, room: '41', validFrom: '2026-09-01' });
    expect(subgroupClash.message).toContain('У подгруппы «1 группа» 5А в это время (понедельник, 1 урок) уже стоит урок: «Математика»');
  });

  it('a change of timetable from a date: the old entry ends, the new one starts without a clash', async () => {
    await admin.ok('timetable.end', { id: school.timetable.mathMonday, validTo: '2026-11-04' });
    const secondClass = await admin.ok('school.classes.create', { yearId: school.yearId, grade: 5, letter: 'Б', room: '22' });
    const load = await admin.ok('load.create', { classId: secondClass.id, subjectId: school.subjects.math, teacherId: school.teachers.math.id });
    expect((await admin.fails('timetable.add', { loadId: load.id, weekday: 1, lessonNumber: 1, validFrom: '2026-11-01' })).kind).toBe('conflict');
    await admin.ok('timetable.add', { loadId: load.id, weekday: 1, lessonNumber: 1, validFrom: '2026-11-05' });
    expect((await admin.ok('timetable.list', { teacherId: school.teachers.math.id, date: '2026-10-12' })).map((e) => [e.weekday, e.lessonNumber, e.className])).toEqual([
      [1, 1, '5А'],
      [3, 2, '5А'],
    ]);
    expect((await admin.ok('timetable.list', { teacherId: school.teachers.math.id, date: '2026-11-09' })).map((e) => [e.weekday, e.lessonNumber, e.className])).toEqual([
      [1, 1, '5Б'],
      [3, 2, '5А'],
    ]);
    const lessonOutsideBells = await admin.fails('timetable.add', { loadId: load.id, weekday: 2, lessonNumber: 9, validFrom: '2026-11-05' });
    expect(lessonOutsideBells.message).toBe('Урока № 9 нет в расписании звонков.');
  });

  it("today's lessons for the calling teacher, with times, from the school's own calendar", async () => {
    const english = await signInStaff(admin, school.teachers.english.login);
    // The test clock stands on Wednesday 14 October 2026: no English that day.
    expect(await english.ok('timetable.today', {})).toEqual({ date: '2026-10-14', weekday: 3, holiday: null, lessons: [] });
    const monday = await english.ok('timetable.today', { date: '2026-10-12' });
    expect(monday.lessons).toEqual([
      { lessonNumber: 2, startsAt: '08:50', endsAt: '09:30', loadId: school.loads.english1, classId: school.classId, className: '5А', subjectId: school.subjects.english, subjectName: 'Иностранный язык (английский)', subgroupId: school.subgroups.first, subgroupName: '1 группа', room: '31', lessonId: null },
      { lessonNumber: 3, startsAt: '09:45', endsAt: '10:25', loadId: school.loads.english2, classId: school.classId, className: '5А', subjectId: school.subjects.english, subjectName: 'Иностранный язык (английский)', subgroupId: school.subgroups.second, subgroupName: '2 группа', room: '31', lessonId: null },
    ]);
    const math = await signInStaff(admin, school.teachers.math.login);
    const today = await math.ok('timetable.today', {});
    expect(today.lessons.map((l) => [l.lessonNumber, l.startsAt, l.className, l.subjectName, l.loadId])).toEqual([[2, '08:50', '5А', 'Математика', school.loads.math]]);
    // Late in the evening in Tomsk it is already Thursday there, though still Wednesday in UTC.
    t.clock.set('2026-10-14T18:30:00.000Z');
    const evening = await signIn(t.core, school.teachers.math.login, STAFF_PASSWORD);
    expect((await evening.ok('timetable.today', {})).date).toBe('2026-10-15');
    expect(await evening.ok('timetable.today', { date: '2026-11-02' })).toMatchObject({ holiday: 'Осенние каникулы', lessons: [] });
  });

  it('bells: a lesson may not end before it starts or run into the next', async () => {
    const overlap = await admin.fails('timetable.bells.set', { bells: [{ lessonNumber: 1, startsAt: '08:00', endsAt: '08:45' }, { lessonNumber: 2, startsAt: '08:40', endsAt: '09:25' }] });
    expect(overlap.message).toBe('Урок 2 начинается в 08:40, а урок 1 заканчивается только в 08:45.');
    expect((await admin.fails('timetable.bells.set', { bells: [{ lessonNumber: 1, startsAt: '09:00', endsAt: '08:45' }] })).message).toBe('Урок 1: начало 09:00 не раньше конца 08:45.');
    expect((await admin.fails('timetable.bells.set', { bells: [{ lessonNumber: 1, startsAt: '25:00', endsAt: '08:45' }] })).kind).toBe('validation');
    expect(await admin.ok('timetable.bells.get', {})).toHaveLength(6);
  });
});
