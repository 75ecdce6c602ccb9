import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchoolAndSignIn, TestSession } from '../support/client';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildSmallSchool, type SmallSchool } from '../support/school-fixture';

// D-14 year transition (and the D-45 act it draws up for graduates), on both engines.
// The test clock stands on 14 October 2026, inside the fixture's year 2026/2027.

describe.each(engines)('school: the year transition on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let school: SmallSchool;
  beforeEach(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    school = await buildSmallSchool(admin);
  });
  afterEach(async () => t.close());

  const surnames = (rows: Array<{ surname: string }>) => rows.map((r) => r.surname);

  it('D-14: 5А moves to 6А with its students into a next year made from this one, 11А graduates, 0Б becomes 1Б without marks', async () => {
    const eleventh = await admin.ok('school.classes.create', { yearId: school.yearId, grade: 11, letter: 'А', room: '35' });
    const enroll = (surname: string, name: string, classId: number) => admin.ok('students.create', { surname, name, classId, arrivedOn: '2026-09-01', arrivalOrder: 'Приказ № 101' });
    const zhukov = await enroll('Жуков', 'Егор', eleventh.id);
    await enroll('Зуева', 'Анна', eleventh.id);
    await admin.ok('students.consents.add', { studentId: zhukov.id, givenBy: 'student', giverName: 'Жуков Егор', givenOn: '2026-09-01' });
    const preparatory = await admin.ok('school.classes.create', { yearId: school.yearId, grade: 0, letter: 'Б' });
    await enroll('Ершов', 'Лев', preparatory.id);
    // Left before the transition: not carried over.
    await admin.ok('students.depart', { studentId: school.students.volkov, departedOn: '2026-10-05', departureOrder: 'Приказ № 57' });

    const result = await admin.ok('school.years.transition', { fromYearId: school.yearId, order: 'Приказ № 200' });
    expect(result).toMatchObject({ fromYearId: school.yearId, yearCreated: true, movedStudents: 5, graduatedStudents: 2, copiedLoads: 0, consentActs: 1 });
    expect(result.toYear).toMatchObject({ name: '2027/2028', startsOn: '2027-09-01', endsOn: '2028-08-31', closedAt: null });
    expect(result.toYear.periods.filter((p) => p.kind === 'quarter').map((p) => [p.name, p.startsOn, p.endsOn])).toEqual([
      ['I четверть', '2027-09-01', '2027-10-25'],
      ['II четверть', '2027-11-05', '2027-12-28'],
      ['III четверть', '2028-01-12', '2028-03-21'],
      ['IV четверть', '2028-03-31', '2028-05-31'],
    ]);
    expect(result.toYear.periods.filter((p) => p.kind === 'half').map((p) => [p.gradeFrom, p.gradeTo])).toEqual([[10, 11], [10, 11]]);
    expect(result.toYear.holidays.map((h) => [h.name, h.startsOn])).toEqual([
      ['Осенние каникулы', '2027-10-26'],
      ['Зимние каникулы', '2027-12-29'],
      ['Весенние каникулы', '2028-03-22'],
    ]);
    expect(result.classes.map((c) => [c.fromName, c.toName, c.classTeacherName, c.students])).toEqual([
      ['0Б', '1Б', null, 1],
      ['5А', '6А', 'Иванова Мария Сергеевна', 4],
    ]);
    expect(result.graduatedClasses).toEqual([{ classId: eleventh.id, className: '11А', students: 2 }]);
    // Done in October, long before 1 July: only the note about the new year's dates.
    expect(result.notes).toEqual(['Учебный год 2027/2028 создан по образцу 2026/2027: периоды и каникулы сдвинуты на год, учебный план перенесён — проверьте даты.']);

    const newYearId = result.toYear.id;
    const classes = await admin.ok('school.classes.list', { yearId: newYearId, date: '2027-09-01' });
    expect(classes.map((c) => [c.name, c.noMarks, c.studentCount, c.room, c.classTeacherName])).toEqual([
      ['1Б', true, 1, '', null],
      ['6А', false, 4, '21', 'Иванова Мария Сергеевна'],
    ]);
    const sixth = await admin.ok('students.list', { classId: classes[1]!.id, date: '2027-09-01' });
    expect(surnames(sixth)).toEqual(['Алексеев', 'Белова', 'Григорьева', 'Давыдов']);
    expect(sixth[0]!.enrollment).toMatchObject({ className: '6А', yearId: newYearId, arrivedOn: '2027-09-01', arrivalOrder: 'Приказ № 200', departedOn: null });
    expect((await admin.ok('school.curriculum.get', { yearId: newYearId })).map((h) => [h.subjectName, h.grade, h.hoursPerWeek])).toEqual([
      ['Математика', 5, 5],
      ['Иностранный язык (английский)', 5, 3],
    ]);

    // The old year keeps its classes and students as they were.
    expect(surnames(await admin.ok('students.list', { classId: school.classId, date: '2027-05-20' }))).toEqual(['Алексеев', 'Белова', 'Григорьева', 'Давыдов']);
    expect((await admin.ok('students.get', { id: school.students.alekseev })).enrollments.map((e) => e.className)).toEqual(['5А', '6А']);

    // The graduates leave on the last day of the year and are in no class of the next one.
    const graduates = await admin.ok('students.list', { classId: eleventh.id, withHistory: true });
    expect(graduates.map((g) => [g.surname, g.enrollment.departedOn, g.enrollment.departureOrder])).toEqual([
      ['Жуков', '2027-08-31', 'Выпуск, Приказ № 200'],
      ['Зуева', '2027-08-31', 'Выпуск, Приказ № 200'],
    ]);
    expect(surnames(await admin.ok('students.list', { yearId: newYearId, date: '2027-09-01' }))).toEqual(['Ершов', 'Алексеев', 'Белова', 'Григорьева', 'Давыдов']);

    // D-13: moving up is no arrival; graduation is a departure.
    const movement = await admin.ok('students.movement', { from: '2027-08-01', to: '2027-09-30' });
    expect(movement.arrived).toEqual([]);
    expect(movement.departed.map((d) => [d.fullName, d.className, d.date, d.order])).toEqual([
      ['Жуков Егор', '11А', '2027-08-31', 'Выпуск, Приказ № 200'],
      ['Зуева Анна', '11А', '2027-08-31', 'Выпуск, Приказ № 200'],
    ]);

    // D-45: the graduate's consent is destroyed by an act dated his last day.
    const acts = await admin.ok('students.consentActs', {});
    expect(acts.map((a) => [a.number, a.studentName, a.className, a.reason, a.drawnUpOn, a.consents.length])).toEqual([[1, 'Жуков Егор', '11А', 'Выпуск', '2027-08-31', 1]]);

    // Subgroups and load are the administrator's to set up anew.
    expect(await admin.ok('load.list', { yearId: newYearId })).toEqual([]);
    expect(await admin.ok('school.subgroups.list', { classId: classes[1]!.id })).toEqual([]);

    const [record] = await admin.ok('audit.list', { entity: 'academic_year', limit: 1 });
    expect(record).toMatchObject({ action: 'year.transition', after: { from: '2026/2027', to: '2027/2028', yearCreated: true, classes: 2, students: 5, graduates: 2, loads: 0, consentActs: 1 } });
    expect((await admin.ok('audit.verify', {})).ok).toBe(true);
  });

  it('D-14: from a closed year into the year the administrator created, copying the whole-class load, with a new class teacher', async () => {
    const next = await admin.ok('school.years.create', { name: '2027/2028', startsOn: '2027-09-01', endsOn: '2028-08-31' });
    await admin.ok('school.years.close', { id: school.yearId });

    const result = await admin.ok('school.years.transition', {
      fromYearId: school.yearId,
      toYearId: next.id,
      copyLoad: true,
      classTeachers: [{ classId: school.classId, classTeacherId: school.teachers.english.id }],
    });
    expect(result.yearCreated).toBe(false);
    expect(result.classes).toEqual([{ fromClassId: school.classId, fromName: '5А', toClassId: expect.any(Number), toName: '6А', classTeacherName: 'Сидоров Павел Андреевич', students: 5 }]);
    expect(result.copiedLoads).toBe(1);
    expect(result.notes).toEqual(['Нагрузка по подгруппам не перенесена (подгруппы создаются заново): 6А «Иностранный язык (английский)».']);
    expect((await admin.ok('load.list', { yearId: next.id })).map((l) => [l.className, l.subjectName, l.teacherName, l.hoursPerWeek])).toEqual([['6А', 'Математика', 'Иванова Мария Сергеевна', 5]]);
    expect(result.toYear.periods).toEqual([]);

    // The closed year stays closed: readable, not writable.
    const years = await admin.ok('school.years.list', {});
    expect(years.find((y) => y.id === school.yearId)!.closedAt).not.toBeNull();
    expect(surnames(await admin.ok('students.list', { classId: school.classId, date: '2026-10-14' }))).toEqual(['Алексеев', 'Белова', 'Волков', 'Григорьева', 'Давыдов']);
    const locked = await admin.fails('students.create', { surname: 'Поздний', name: 'Иван', classId: school.classId, arrivedOn: '2026-10-14' });
    expect(locked.kind).toBe('locked');
  });

  it('D-14: a class of the same name in the next year refuses the transition naming it, and nothing changes', async () => {
    const next = await admin.ok('school.years.create', { name: '2027/2028', startsOn: '2027-09-01', endsOn: '2028-08-31' });
    await admin.ok('school.classes.create', { yearId: next.id, grade: 6, letter: 'А' });
    const head = await newestAuditId(t);

    const refused = await admin.fails('school.years.transition', { fromYearId: school.yearId, order: 'Приказ № 200' });
    expect(refused.kind).toBe('conflict');
    expect(refused.message).toBe('В учебном году 2027/2028 уже есть класс 6А: перевод не выполнен, ничего не изменено. Смените букву этого класса или переводите вручную.');
    expect(await newestAuditId(t)).toBe(head);
    expect((await admin.ok('school.classes.list', { yearId: next.id, date: '2027-09-01' })).map((c) => [c.name, c.studentCount])).toEqual([['6А', 0]]);
    expect((await admin.ok('students.get', { id: school.students.alekseev })).enrollments).toHaveLength(1);

    const backwards = await admin.fails('school.years.transition', { fromYearId: school.yearId, toYearId: school.yearId });
    expect(backwards.message).toBe('Перевод из 2026/2027 возможен только в следующий учебный год — 2027/2028.');
    expect(await newestAuditId(t)).toBe(head);
  });
});
