import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchoolAndSignIn, TestSession } from '../support/client';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildSmallSchool, signInStaff, type SmallSchool } from '../support/school-fixture';

describe.each(engines)('school setup: students, movement, consents, subgroups, load on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let school: SmallSchool;
  beforeEach(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    school = await buildSmallSchool(admin);
  });
  afterEach(async () => t.close());

  const names = (rows: Array<{ surname: string }>) => rows.map((r) => r.surname);

  it('D-13: a departed student is listed through the departure date, hidden after it, and kept in the history', async () => {
    await admin.ok('students.depart', { studentId: school.students.volkov, departedOn: '2026-10-05', departureOrder: 'Приказ № 57' });
    const onDay = await admin.ok('students.list', { classId: school.classId, date: '2026-10-05' });
    expect(names(onDay)).toContain('Волков');
    const after = await admin.ok('students.list', { classId: school.classId, date: '2026-10-06' });
    expect(names(after)).toEqual(['Алексеев', 'Белова', 'Григорьева', 'Давыдов']);
    expect((await admin.ok('school.classes.list', { date: '2026-10-06' }))[0]!.studentCount).toBe(4);

    const history = await admin.ok('students.list', { classId: school.classId, withHistory: true });
    expect(history.find((s) => s.surname === 'Волков')?.enrollment).toMatchObject({ arrivedOn: '2026-09-01', arrivalOrder: 'Приказ № 101', departedOn: '2026-10-05', departureOrder: 'Приказ № 57' });
    const card = await admin.ok('students.get', { id: school.students.volkov });
    expect(card.enrollments).toHaveLength(1);
    expect(card.fullName).toBe('Волков Никита Сергеевич');

    // The subgroup list forgets him too from the day after.
    const groups = await admin.ok('school.subgroups.list', { classId: school.classId, date: '2026-10-06' });
    expect(groups[0]!.members.map((m) => m.fullName)).toEqual(['Алексеев Артём Игоревич', 'Белова Дарья Андреевна']);

    expect((await admin.fails('students.depart', { studentId: school.students.volkov, departedOn: '2026-10-07', departureOrder: 'Приказ № 58' })).kind).toBe('not_found');
    const early = await admin.fails('students.depart', { studentId: school.students.belova, departedOn: '2026-08-20', departureOrder: 'Приказ № 59' });
    expect(early.message).toBe('Дата выбытия 20.08.2026 раньше даты зачисления 01.09.2026.');
    expect((await admin.fails('students.depart', { studentId: school.students.belova, departedOn: '2026-10-07', departureOrder: '' })).message).toBe('Укажите номер приказа');
  });

  it('D-13: arrived and departed for a period, with dates and order numbers', async () => {
    const newcomer = await admin.ok('students.create', { surname: 'Егорова', name: 'Полина', classId: school.classId, arrivedOn: '2026-10-12', arrivalOrder: 'Приказ № 140' });
    expect(newcomer.consentMissing).toBe(true);
    await admin.ok('students.depart', { studentId: school.students.davydov, departedOn: '2026-10-09', departureOrder: 'Приказ № 139' });
    const secondClass = await admin.ok('school.classes.create', { yearId: school.yearId, grade: 5, letter: 'Б' });
    await admin.ok('students.transfer', { studentId: school.students.belova, toClassId: secondClass.id, date: '2026-10-13', order: 'Приказ № 141' });

    const movement = await admin.ok('students.movement', { from: '2026-10-01', to: '2026-10-31' });
    expect(movement.arrived).toEqual([
      { studentId: newcomer.id, fullName: 'Егорова Полина', className: '5А', date: '2026-10-12', order: 'Приказ № 140' },
      { studentId: school.students.belova, fullName: 'Белова Дарья Андреевна', className: '5Б', date: '2026-10-13', order: 'Приказ № 141' },
    ]);
    expect(movement.departed).toEqual([
      { studentId: school.students.davydov, fullName: 'Давыдов Максим Олегович', className: '5А', date: '2026-10-09', order: 'Приказ № 139' },
      { studentId: school.students.belova, fullName: 'Белова Дарья Андреевна', className: '5А', date: '2026-10-12', order: 'Приказ № 141' },
    ]);
    expect(names(await admin.ok('students.list', { classId: secondClass.id, date: '2026-10-13' }))).toEqual(['Белова']);
    expect(names(await admin.ok('students.list', { classId: school.classId, date: '2026-10-13' }))).toEqual(['Алексеев', 'Волков', 'Григорьева', 'Егорова']);
    const outside = await admin.fails('students.create', { surname: 'Поздний', name: 'Иван', classId: school.classId, arrivedOn: '2027-09-02' });
    expect(outside.message).toBe('Дата зачисления 02.09.2027 вне учебного года 2026/2027 (01.09.2026–31.08.2027).');

    // A birth date still ahead is a slip of the year: refused on enrolment and on correction, nothing written.
    const unborn = await admin.fails('students.create', { surname: 'Будущий', name: 'Пётр', birthDate: '2099-03-01', classId: school.classId, arrivedOn: '2026-10-12' });
    expect(unborn).toMatchObject({ kind: 'validation', message: 'Дата рождения 01.03.2099 ещё не наступила: проверьте год.' });
    expect(names(await admin.ok('students.list', { classId: school.classId, date: '2026-10-13' }))).toEqual(['Алексеев', 'Волков', 'Григорьева', 'Егорова']);
    const volkov = await admin.ok('students.get', { id: school.students.volkov });
    const corrected = await admin.fails('students.update', { id: volkov.id, surname: volkov.surname, name: volkov.name, patronymic: volkov.patronymic, birthDate: '2099-03-01', gender: volkov.gender });
    expect(corrected.message).toBe('Дата рождения 01.03.2099 ещё не наступила: проверьте год.');
    expect((await admin.ok('students.get', { id: school.students.volkov })).birthDate).toBe(volkov.birthDate);
  });

  it('D-45: a missing consent is visible in the list until one is registered, and again after it is withdrawn', async () => {
    let list = await admin.ok('students.list', { classId: school.classId });
    expect(list.every((s) => s.consentMissing)).toBe(true);
    const consent = await admin.ok('students.consents.add', { studentId: school.students.alekseev, givenBy: 'parent', giverName: 'Алексеева Ольга Ивановна', givenOn: '2026-09-01' });
    await admin.ok('students.consents.add', { studentId: school.students.belova, givenBy: 'parent', giverName: 'Белов Андрей Петрович', givenOn: '2026-09-02' });
    list = await admin.ok('students.list', { classId: school.classId });
    expect(list.filter((s) => s.consentMissing).map((s) => s.surname)).toEqual(['Волков', 'Григорьева', 'Давыдов']);
    expect(list[0]!.consents).toEqual([{ id: consent.id, studentId: school.students.alekseev, givenBy: 'parent', giverName: 'Алексеева Ольга Ивановна', givenOn: '2026-09-01', withdrawnOn: null, destroyedOn: null }]);

    await admin.ok('students.consents.withdraw', { id: consent.id, withdrawnOn: '2026-10-10' });
    expect((await admin.ok('students.list', { classId: school.classId, date: '2026-10-09' }))[0]!.consentMissing).toBe(false);
    expect((await admin.ok('students.list', { classId: school.classId }))[0]!.consentMissing).toBe(true);
    const future = await admin.fails('students.consents.add', { studentId: school.students.volkov, givenBy: 'student', giverName: 'Волков Никита Сергеевич', givenOn: '2026-12-01' });
    expect(future.message).toBe('Дата согласия 01.12.2026 ещё не наступила.');
  });

  it('D-45: a departure destroys the consents and draws up an act of destruction; a move between classes does not', async () => {
    const volkov = school.students.volkov;
    const parent = await admin.ok('students.consents.add', { studentId: volkov, givenBy: 'parent', giverName: 'Волкова Елена Викторовна', givenOn: '2026-09-01' });
    const own = await admin.ok('students.consents.add', { studentId: volkov, givenBy: 'student', giverName: 'Волков Никита Сергеевич', givenOn: '2026-09-02' });
    await admin.ok('students.consents.withdraw', { id: own.id, withdrawnOn: '2026-09-20' });
    await admin.ok('students.consents.add', { studentId: school.students.belova, givenBy: 'parent', giverName: 'Белов Андрей Петрович', givenOn: '2026-09-02' });
    const secondClass = await admin.ok('school.classes.create', { yearId: school.yearId, grade: 5, letter: 'Б' });
    await admin.ok('students.transfer', { studentId: school.students.belova, toClassId: secondClass.id, date: '2026-10-13', order: 'Приказ № 141' });
    expect(await admin.ok('students.consentActs', {})).toEqual([]);

    await admin.ok('students.depart', { studentId: volkov, departedOn: '2026-10-05', departureOrder: 'Приказ № 57' });
    // Recorded on 14 October for a departure on the 5th: the act bears the day it is drawn up.
    expect(await admin.ok('students.consentActs', {})).toEqual([
      {
        id: expect.any(Number),
        number: 1,
        drawnUpOn: '2026-10-14',
        studentId: volkov,
        studentName: 'Волков Никита Сергеевич',
        className: '5А',
        reason: 'Выбытие',
        departureOrder: 'Приказ № 57',
        consents: [
          { consentId: parent.id, givenBy: 'parent', giverName: 'Волкова Елена Викторовна', givenOn: '2026-09-01', withdrawnOn: null },
          { consentId: own.id, givenBy: 'student', giverName: 'Волков Никита Сергеевич', givenOn: '2026-09-02', withdrawnOn: '2026-09-20' },
        ],
        drawnUpBy: 'Смирнова Ольга Петровна',
      },
    ]);
    // The consents are marked destroyed, not deleted: the act stays attributable.
    expect((await admin.ok('students.get', { id: volkov })).consents.map((c) => [c.giverName, c.destroyedOn])).toEqual([
      ['Волкова Елена Викторовна', '2026-10-14'],
      ['Волков Никита Сергеевич', '2026-10-14'],
    ]);
    expect((await admin.fails('students.consents.withdraw', { id: parent.id, withdrawnOn: '2026-10-14' })).message).toBe('Согласие уничтожено по акту № 1 от 14.10.2026: отзывать нечего.');
    const afterLeaving = await admin.fails('students.consents.add', { studentId: volkov, givenBy: 'parent', giverName: 'Волкова Елена Викторовна', givenOn: '2026-10-14' });
    expect(afterLeaving.message).toBe('Ученик выбыл из школы: его согласия уничтожены по акту, новые не регистрируются.');
    // Moving to 5Б is no leaving.
    expect((await admin.ok('students.get', { id: school.students.belova })).consents.map((c) => c.destroyedOn)).toEqual([null]);

    // A departure recorded ahead: the act is dated the last day, and the consent serves through it.
    await admin.ok('students.consents.add', { studentId: school.students.grigorieva, givenBy: 'parent', giverName: 'Григорьев Павел Ильич', givenOn: '2026-09-01' });
    await admin.ok('students.depart', { studentId: school.students.grigorieva, departedOn: '2026-12-28', departureOrder: 'Приказ № 60' });
    // Without consents there is nothing to destroy and no act.
    await admin.ok('students.depart', { studentId: school.students.davydov, departedOn: '2026-10-14', departureOrder: 'Приказ № 61' });
    const acts = await admin.ok('students.consentActs', {});
    expect(acts.map((a) => [a.number, a.studentName, a.drawnUpOn, a.departureOrder])).toEqual([
      [1, 'Волков Никита Сергеевич', '2026-10-14', 'Приказ № 57'],
      [2, 'Григорьева Софья Павловна', '2026-12-28', 'Приказ № 60'],
    ]);
    expect((await admin.ok('students.consentActs', { studentId: school.students.grigorieva })).map((a) => a.number)).toEqual([2]);
    expect((await admin.ok('students.consentActs', { from: '2026-12-01', to: '2026-12-31' })).map((a) => a.number)).toEqual([2]);
    const lastDay = await admin.ok('students.list', { classId: school.classId, date: '2026-12-28' });
    expect(lastDay.find((s) => s.surname === 'Григорьева')!.consentMissing).toBe(false);

    const records = await admin.ok('audit.list', { entity: 'consent_destruction_act' });
    expect(records.map((r) => r.action)).toEqual(['consent.destroy', 'consent.destroy']);
  });

  it('D-12: moving a student to the other subgroup mid-period is refused naming the allowed dates; at a period start it is accepted', async () => {
    const midPeriod = await admin.fails('school.subgroups.move', { studentId: school.students.volkov, toSubgroupId: school.subgroups.second, effectiveOn: '2026-10-15' });
    expect(midPeriod.kind).toBe('conflict');
    expect(midPeriod.message).toBe(
      'Перевод между подгруппами возможен только с первого дня учебного периода. Допустимые даты для 5 класса: 01.09.2026, 05.11.2026, 12.01.2027, 31.03.2027.',
    );
    // The half-year start of grades 10–11 is no boundary for grade 5.
    expect((await admin.fails('school.subgroups.move', { studentId: school.students.volkov, toSubgroupId: school.subgroups.second, effectiveOn: '2027-01-11' })).kind).toBe('conflict');

    await admin.ok('school.subgroups.move', { studentId: school.students.volkov, toSubgroupId: school.subgroups.second, effectiveOn: '2026-11-05' });
    const before = await admin.ok('school.subgroups.list', { classId: school.classId, date: '2026-11-04' });
    expect(before.find((g) => g.id === school.subgroups.first)!.members.map((m) => m.studentId)).toContain(school.students.volkov);
    const after = await admin.ok('school.subgroups.list', { classId: school.classId, date: '2026-11-05' });
    expect(after.find((g) => g.id === school.subgroups.first)!.members.map((m) => m.studentId)).not.toContain(school.students.volkov);
    expect(after.find((g) => g.id === school.subgroups.second)!.members.map((m) => m.fullName)).toEqual(['Волков Никита Сергеевич', 'Григорьева Софья Павловна', 'Давыдов Максим Олегович']);

    // Adding a student already in a sibling subgroup is a move in disguise: refused.
    const twice = await admin.fails('school.subgroups.addMembers', { subgroupId: school.subgroups.first, studentIds: [school.students.grigorieva], fromDate: '2026-10-15' });
    expect(twice.message).toBe('Григорьева Софья Павловна уже в подгруппе «2 группа»: переводите между подгруппами с начала периода.');
  });

  it('D-11: the teaching load checks the subject range, duplicates and the teacher role', async () => {
    const firstGrade = await admin.ok('school.classes.create', { yearId: school.yearId, grade: 1, letter: 'А' });
    const noEnglish = await admin.fails('load.create', { classId: firstGrade.id, subjectId: school.subjects.english, teacherId: school.teachers.english.id });
    expect(noEnglish.message).toBe('«Иностранный язык (английский)» изучается в 2–11 классах, а 1А — 1 класс.');
    const duplicate = await admin.fails('load.create', { classId: school.classId, subjectId: school.subjects.math, teacherId: school.teachers.english.id });
    expect(duplicate.message).toBe('«Математика» в 5А уже ведёт Иванова Мария Сергеевна. Смените учителя в этой нагрузке.');
    const wholeClass = await admin.fails('load.create', { classId: school.classId, subjectId: school.subjects.english, teacherId: school.teachers.english.id });
    expect(wholeClass.message).toBe('«Иностранный язык (английский)» в 5А ведётся по подгруппам; нагрузку на весь класс назначить нельзя.');
    const secretary = await admin.ok('accounts.create', { login: 'secretary', fullName: 'Зайцева Ирина Олеговна', roles: ['secretary'], temporaryPassword: 'Временный-1' });
    const notTeacher = await admin.fails('load.create', { classId: firstGrade.id, subjectId: school.subjects.math, teacherId: secretary.id });
    expect(notTeacher.message).toBe('Зайцева Ирина Олеговна: нагрузку можно назначить только сотруднику с ролью «Учитель».');

    const changed = await admin.ok('load.update', { id: school.loads.math, teacherId: school.teachers.english.id, hoursPerWeek: 4 });
    expect(changed).toMatchObject({ teacherName: 'Сидоров Павел Андреевич', hoursPerWeek: 4, className: '5А', subjectName: 'Математика' });
    const list = await admin.ok('load.list', { teacherId: school.teachers.english.id });
    expect(list.map((l) => [l.subjectName, l.subgroupName])).toEqual([
      ['Математика', null],
      ['Иностранный язык (английский)', '1 группа'],
      ['Иностранный язык (английский)', '2 группа'],
    ]);
  });

  it('staff lists: every active employee, or only the teachers', async () => {
    await admin.ok('accounts.create', { login: 'secretary', fullName: 'Зайцева Ирина Олеговна', position: 'Секретарь', roles: ['secretary'], temporaryPassword: 'Временный-1' });
    const teacher = await signInStaff(admin, school.teachers.math.login);
    const everyone = await teacher.ok('staff.list', {});
    expect(everyone.map((s) => s.fullName)).toEqual(['Зайцева Ирина Олеговна', 'Иванова Мария Сергеевна', 'Сидоров Павел Андреевич', 'Смирнова Ольга Петровна']);
    const teachers = await teacher.ok('staff.list', { onlyTeachers: true });
    expect(teachers.map((s) => [s.fullName, s.position])).toEqual([
      ['Иванова Мария Сергеевна', 'Учитель математики'],
      ['Сидоров Павел Андреевич', 'Учитель английского языка'],
    ]);
  });

  it('every change of school setup is in the audit', async () => {
    const records = await admin.ok('audit.list', { limit: 1000 });
    const actions = new Set(records.map((r) => r.action));
    for (const action of ['year.create', 'period.add', 'holiday.add', 'subject.create', 'curriculum.set', 'class.create', 'student.create', 'subgroup.create', 'subgroup.addMembers', 'load.create', 'bells.set', 'timetable.add', 'workTypes.seed']) {
      expect(actions, action).toContain(action);
    }
    expect((await admin.ok('audit.verify', {})).ok).toBe(true);
  });
});
