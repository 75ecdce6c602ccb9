import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn, TestSession } from '../support/client';
import { createSchoolAndSignIn } from '../support/client';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildSmallSchool, signInStaff, type SmallSchool } from '../support/school-fixture';

describe.each(engines)('school setup: year, subjects, classes, settings on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let school: SmallSchool;
  beforeEach(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    school = await buildSmallSchool(admin);
  });
  afterEach(async () => t.close());

  it('D-10: the year lists quarters for 0–9, half-years for 10–11 and the holidays', async () => {
    const [year] = await admin.ok('school.years.list', {});
    expect(year).toMatchObject({ name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-08-31', closedAt: null });
    expect(year!.periods.filter((p) => p.kind === 'quarter').map((p) => [p.name, p.gradeFrom, p.gradeTo])).toEqual([
      ['I четверть', 0, 9],
      ['II четверть', 0, 9],
      ['III четверть', 0, 9],
      ['IV четверть', 0, 9],
    ]);
    expect(year!.periods.filter((p) => p.kind === 'half').map((p) => p.name)).toEqual(['I полугодие', 'II полугодие']);
    expect(year!.holidays.map((h) => h.name)).toEqual(['Осенние каникулы', 'Зимние каникулы', 'Весенние каникулы']);
  });

  it('D-10: overlapping periods and dates outside the year are refused with the clash named; nothing changes', async () => {
    const head = await newestAuditId(t);
    const overlap = await admin.fails('school.periods.add', { yearId: school.yearId, kind: 'trimester', gradeFrom: 5, gradeTo: 5, periods: [{ startsOn: '2026-10-01', endsOn: '2026-11-30' }] });
    expect(overlap.kind).toBe('conflict');
    expect(overlap.message).toContain('пересекается с периодом «I четверть» (01.09.2026–25.10.2026, 0–9 классы)');

    const halfFor9 = await admin.fails('school.periods.add', { yearId: school.yearId, kind: 'half', gradeFrom: 9, gradeTo: 11, periods: [{ startsOn: '2026-09-01', endsOn: '2026-12-28' }] });
    expect(halfFor9.message).toContain('пересекается с периодом «I четверть»');

    const outside = await admin.fails('school.periods.add', { yearId: school.yearId, kind: 'quarter', gradeFrom: 11, gradeTo: 11, periods: [{ startsOn: '2027-06-01', endsOn: '2027-09-15' }] });
    expect(outside.message).toContain('выходит за границы учебного года 2026/2027 (01.09.2026–31.08.2027)');

    const inOneCall = await admin.fails('school.periods.add', {
      yearId: school.yearId,
      kind: 'quarter',
      gradeFrom: 11,
      gradeTo: 11,
      periods: [{ startsOn: '2027-06-01', endsOn: '2027-06-20' }, { startsOn: '2027-06-10', endsOn: '2027-06-30' }],
    });
    expect(inOneCall.message).toMatch(/пересекается с периодом «I четверть» \(01\.06\.2027–20\.06\.2027, 11 класс\)/);

    const holiday = await admin.fails('school.holidays.add', { yearId: school.yearId, name: 'Дополнительные каникулы', startsOn: '2026-11-01', endsOn: '2026-11-08' });
    expect(holiday.message).toBe('Каникулы «Дополнительные каникулы» (01.11.2026–08.11.2026) пересекаются с каникулами «Осенние каникулы» (26.10.2026–04.11.2026).');

    const moved = await admin.fails('school.periods.update', { id: school.periods.q2, name: 'II четверть', startsOn: '2026-10-20', endsOn: '2026-12-28' });
    expect(moved.message).toContain('пересекается с периодом «I четверть»');

    const [year] = await admin.ok('school.years.list', {});
    expect(year!.periods).toHaveLength(6);
    expect(year!.holidays).toHaveLength(3);
    expect(await newestAuditId(t)).toBe(head);
  });

  it('a second year may not overlap the first', async () => {
    const error = await admin.fails('school.years.create', { name: '2027/2028', startsOn: '2027-08-15', endsOn: '2028-06-30' });
    expect(error.message).toContain('пересекаются с учебным годом 2026/2027');
    await admin.ok('school.years.create', { name: '2027/2028', startsOn: '2027-09-01', endsOn: '2028-08-31' });
  });

  it('D-14: a closed year refuses every write and stays readable', async () => {
    const closed = await admin.ok('school.years.close', { id: school.yearId });
    expect(closed.closedAt).toBe(t.clock.now().toISOString());
    const writes: Array<[string, unknown]> = [
      ['school.periods.add', { yearId: school.yearId, kind: 'quarter', gradeFrom: 11, gradeTo: 11, periods: [{ startsOn: '2027-06-01', endsOn: '2027-06-20' }] }],
      ['school.holidays.add', { yearId: school.yearId, name: 'Летние каникулы', startsOn: '2027-06-01', endsOn: '2027-08-31' }],
      ['school.classes.create', { yearId: school.yearId, grade: 6, letter: 'А' }],
      ['school.classes.update', { id: school.classId, letter: 'А', classTeacherId: null, room: '1' }],
      ['students.create', { surname: 'Новиков', name: 'Пётр', classId: school.classId, arrivedOn: '2026-10-14' }],
      ['students.depart', { studentId: school.students.volkov, departedOn: '2026-10-14', departureOrder: 'Приказ № 9' }],
      ['load.create', { classId: school.classId, subjectId: school.subjects.math, teacherId: school.teachers.english.id }],
      ['load.update', { id: school.loads.math, teacherId: school.teachers.english.id, hoursPerWeek: 5 }],
      ['school.subgroups.move', { studentId: school.students.volkov, toSubgroupId: school.subgroups.second, effectiveOn: '2026-11-05' }],
      ['timetable.add', { loadId: school.loads.math, weekday: 5, lessonNumber: 1, validFrom: '2026-10-14' }],
      ['school.curriculum.set', { yearId: school.yearId, subjectId: school.subjects.math, hours: [{ grade: 6, hoursPerWeek: 5 }] }],
      ['school.years.close', { id: school.yearId }],
    ];
    const head = await newestAuditId(t);
    for (const [method, input] of writes) {
      const error = await admin.fails(method as 'school.classes.create', input);
      expect(error.kind, method).toBe('locked');
      expect(error.message, method).toBe('Учебный год 2026/2027 закрыт: изменения невозможны, доступны просмотр и печать.');
    }
    expect(await newestAuditId(t)).toBe(head);
    expect(await admin.ok('students.list', { classId: school.classId })).toHaveLength(5);
    expect(await admin.ok('load.list', { yearId: school.yearId })).toHaveLength(3);
  });

  it('D-19: grades 0 and 1 are marked as learning without marks', async () => {
    for (const grade of [0, 1, 2]) await admin.ok('school.classes.create', { yearId: school.yearId, grade, letter: 'А' });
    const classes = await admin.ok('school.classes.list', { yearId: school.yearId });
    expect(classes.map((c) => [c.name, c.noMarks])).toEqual([
      ['0А', true],
      ['1А', true],
      ['2А', false],
      ['5А', false],
    ]);
    const duplicate = await admin.fails('school.classes.create', { yearId: school.yearId, grade: 5, letter: 'а' });
    expect(duplicate.message).toBe('Класс 5А в этом году уже есть.');
    expect((await admin.fails('school.classes.create', { yearId: school.yearId, grade: 12, letter: 'А' })).kind).toBe('validation');
    expect((await admin.fails('school.classes.create', { yearId: school.yearId, grade: 5, letter: 'Q' })).message).toContain('одна русская буква');
  });

  it('a class shows its teacher and room; the class teacher sees it on signing in', async () => {
    const [fiveA] = await admin.ok('school.classes.list', {});
    expect(fiveA).toMatchObject({ name: '5А', classTeacherName: 'Иванова Мария Сергеевна', room: '21', studentCount: 5 });
    const teacher = await signInStaff(admin, school.teachers.math.login);
    expect((await teacher.ok('auth.whoami', {})).classTeacherOf).toEqual([{ id: school.classId, name: '5А' }]);
  });

  it('D-10: subjects keep full names; the curriculum follows their grade range', async () => {
    const subjects = await admin.ok('school.subjects.list', {});
    expect(subjects.map((s) => s.name)).toEqual(['Математика', 'Иностранный язык (английский)']);
    expect((await admin.fails('school.subjects.create', { name: 'Математика', gradeFrom: 1, gradeTo: 4 })).message).toBe('Предмет «Математика» уже есть.');
    const outside = await admin.fails('school.curriculum.set', { yearId: school.yearId, subjectId: school.subjects.english, hours: [{ grade: 1, hoursPerWeek: 2 }] });
    expect(outside.message).toBe('«Иностранный язык (английский)» изучается в 2–11 классах, а часы указаны для 1 класса.');
    await admin.ok('school.curriculum.set', { yearId: school.yearId, subjectId: school.subjects.math, hours: [{ grade: 6, hoursPerWeek: 5 }, { grade: 5, hoursPerWeek: 0 }] });
    const curriculum = await admin.ok('school.curriculum.get', {});
    expect(curriculum.map((c) => [c.subjectName, c.grade, c.hoursPerWeek])).toEqual([
      ['Математика', 6, 5],
      ['Иностранный язык (английский)', 5, 3],
    ]);
  });

  it('D-20, D-21, D-25: marks settings start at 2–5, all special marks, 14 days; a change keeps the rest', async () => {
    const settings = await admin.ok('settings.get', {});
    expect(settings).toMatchObject({ markScale: 'five', specialMarks: ['осв', 'н/а', 'зач', 'Д', 'безотм'], averageDecimals: 2, finalRoundingThreshold: 0.5, editWindowDays: 14, sessionInactivityMinutes: 30 });
    const changed = await admin.ok('settings.update', { markScale: 'ten', specialMarks: ['осв', 'н/а'], finalRoundingThreshold: 0.6, editWindowDays: 10 });
    expect(changed).toMatchObject({ markScale: 'ten', specialMarks: ['осв', 'н/а'], finalRoundingThreshold: 0.6, editWindowDays: 10, averageDecimals: 2, sessionInactivityMinutes: 30 });
    expect(await admin.ok('settings.get', {})).toEqual(changed);
    expect((await admin.fails('settings.update', { markScale: 'семибалльная' })).kind).toBe('validation');
    expect((await admin.fails('settings.update', { specialMarks: ['пятёрка'] })).kind).toBe('validation');
    expect((await admin.fails('settings.update', { finalRoundingThreshold: 0.55 })).kind).toBe('validation');
    expect(await admin.ok('settings.get', {})).toEqual(changed);
    const teacher = await signInStaff(admin, school.teachers.math.login);
    expect((await teacher.ok('settings.get', {})).markScale).toBe('ten');
    expect((await teacher.fails('settings.update', { editWindowDays: 30 })).kind).toBe('forbidden');
  });

  it('D-22, D-18: the default work types carry weights and days for marks; a type can be switched off', async () => {
    const types = await admin.ok('settings.workTypes.list', {});
    expect(types.map((w) => [w.name, w.weight, w.markDueDays])).toEqual([
      ['Ответ на уроке', 1, 1],
      ['Самостоятельная работа', 1.5, 3],
      ['Контрольная работа', 2, 3],
      ['Диктант', 2, 3],
      ['Домашняя работа', 1, 1],
      ['Тест', 1.5, 3],
      ['Проект', 1.5, 7],
      ['Изложение/сочинение', 2, 7],
    ]);
    const lab = await admin.ok('settings.workTypes.create', { name: 'Лабораторная работа', weight: 1.5, markDueDays: 3, sortOrder: 95 });
    expect((await admin.fails('settings.workTypes.create', { name: 'Тест', weight: 1 })).message).toBe('Вид работы «Тест» уже есть.');
    await admin.ok('settings.workTypes.update', { id: lab.id, name: 'Лабораторная работа', weight: 1.5, markDueDays: 3, sortOrder: 95, active: false });
    expect((await admin.ok('settings.workTypes.list', {})).map((w) => w.name)).not.toContain('Лабораторная работа');
    expect((await admin.ok('settings.workTypes.list', { includeInactive: true })).find((w) => w.id === lab.id)?.active).toBe(false);
  });

  it('D-6: the secretary keeps classes but not the year structure or the load', async () => {
    await admin.ok('accounts.create', { login: 'secretary', fullName: 'Зайцева Ирина Олеговна', roles: ['secretary'], temporaryPassword: 'Временный-1' });
    const first = await signIn(t.core, 'secretary', 'Временный-1');
    await first.ok('auth.changePassword', { currentPassword: 'Временный-1', newPassword: 'Свой-пароль-1' });
    await first.ok('school.classes.create', { yearId: school.yearId, grade: 6, letter: 'Б', room: '12' });
    expect((await first.fails('school.periods.add', { yearId: school.yearId, kind: 'quarter', gradeFrom: 11, gradeTo: 11, periods: [{ startsOn: '2027-06-01', endsOn: '2027-06-20' }] })).kind).toBe('forbidden');
    expect((await first.fails('load.create', { classId: school.classId, subjectId: school.subjects.math, teacherId: school.teachers.english.id })).kind).toBe('forbidden');
  });
});
