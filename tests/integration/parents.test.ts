import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studentsWithoutParent } from '../../src-main/students/parents';
import { createSchoolAndSignIn, TestSession } from '../support/client';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildSmallSchool, signInStaff, STAFF_TEMPORARY_PASSWORD, type SmallSchool } from '../support/school-fixture';

// Who sees a student's personal data (152-ФЗ, 003 Порядок §2.4) and the parents a class
// teacher or the secretary keeps (000 §4.6.2–4.6.4, D-5, D-45). One school per engine:
// 5А (class teacher Иванова, who also teaches mathematics there; Сидоров teaches English)
// and 5Б (class teacher Петрова) with one student. The test clock stands on 14.10.2026.

async function account(admin: TestSession, login: string, fullName: string, roles: Array<'teacher' | 'secretary' | 'medical' | 'director' | 'psychologist'>) {
  const created = await admin.ok('accounts.create', { login, fullName, roles, temporaryPassword: STAFF_TEMPORARY_PASSWORD });
  return created.id;
}

describe.each(engines)('personal data and parents on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  let school: SmallSchool;
  let classTeacher: TestSession; // Иванова, 5А
  let subjectTeacher: TestSession; // Сидоров, English in 5А
  let otherClassTeacher: TestSession; // Петрова, 5Б
  let medical: TestSession;
  let secretary: TestSession;
  let director: TestSession;
  let classB: number;
  let egorov: number; // 5Б

  beforeAll(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
    school = await buildSmallSchool(admin);
    const petrovaId = await account(admin, 'petrova', 'Петрова Анна Ивановна', ['teacher']);
    await account(admin, 'medic', 'Кузнецова Вера Павловна', ['medical']);
    await account(admin, 'secretary', 'Орлова Нина Львовна', ['secretary']);
    await account(admin, 'director', 'Соколов Игорь Петрович', ['director']);
    classB = (await admin.ok('school.classes.create', { yearId: school.yearId, grade: 5, letter: 'Б', classTeacherId: petrovaId })).id;
    egorov = (await admin.ok('students.create', { surname: 'Егоров', name: 'Илья', patronymic: 'Романович', birthDate: '2015-02-02', classId: classB, arrivedOn: '2026-09-01' })).id;
    await admin.ok('students.consents.add', { studentId: school.students.alekseev, givenBy: 'parent', giverName: 'Алексеева Ольга Ивановна', givenOn: '2026-09-01' });
    classTeacher = await signInStaff(admin, school.teachers.math.login);
    subjectTeacher = await signInStaff(admin, school.teachers.english.login);
    otherClassTeacher = await signInStaff(admin, 'petrova');
    medical = await signInStaff(admin, 'medic');
    secretary = await signInStaff(admin, 'secretary');
    director = await signInStaff(admin, 'director');
  }, 600_000);
  afterAll(async () => t?.close());

  const alekseevIn = async (session: TestSession) => (await session.ok('students.list', { classId: school.classId })).find((s) => s.surname === 'Алексеев')!;

  it('a subject teacher sees names and subgroups of the class, not birth dates, consents or parents', async () => {
    const row = await alekseevIn(subjectTeacher);
    expect(row).toMatchObject({ fullName: 'Алексеев Артём Игоревич', birthDate: null, consents: [], consentMissing: null, parentMissing: null, personalData: 'names' });
    const card = await subjectTeacher.ok('students.get', { id: school.students.alekseev });
    expect(card).toMatchObject({ birthDate: null, consents: [], personalData: 'names' });
    const groups = await subjectTeacher.ok('school.subgroups.list', { classId: school.classId });
    expect(groups.map((g) => [g.name, g.members.length])).toEqual([
      ['1 группа', 3],
      ['2 группа', 2],
    ]);
    expect((await subjectTeacher.fails('students.parents.list', { studentId: school.students.alekseev })).kind).toBe('forbidden');
    // The export to a spreadsheet leaves the birth date column blank for her too.
    const exported = await subjectTeacher.ok('export.list', { kind: 'students', format: 'csv' });
    const csv = Buffer.from(exported.content, 'base64').toString('utf8');
    expect(csv).toContain('Алексеев');
    expect(csv).not.toContain('12.03.2015');
  }, 300_000);

  it('the class teacher sees her class in full; another class only by name (the attack: birth dates of 5Б)', async () => {
    const row = await alekseevIn(classTeacher);
    expect(row).toMatchObject({ birthDate: '2015-03-12', consentMissing: false, parentMissing: true, personalData: 'full' });
    expect(row.consents.map((c) => c.giverName)).toEqual(['Алексеева Ольга Ивановна']);

    const other = await classTeacher.ok('students.list', { classId: classB });
    expect(other).toEqual([expect.objectContaining({ fullName: 'Егоров Илья Романович', birthDate: null, consents: [], personalData: 'names' })]);
    expect((await classTeacher.ok('students.get', { id: egorov })).birthDate).toBeNull();
    // The whole school's list: her class in full, the other by name only.
    const everyone = await classTeacher.ok('students.list', {});
    expect(everyone.filter((s) => s.birthDate !== null).map((s) => s.enrollment.className)).toEqual(['5А', '5А', '5А', '5А', '5А']);
    expect((await classTeacher.fails('students.parents.list', { studentId: egorov })).kind).toBe('forbidden');
  }, 300_000);

  it('the medical worker sees names, classes and birth dates, not consents, parents or marks', async () => {
    const row = await alekseevIn(medical);
    expect(row).toMatchObject({ birthDate: '2015-03-12', consents: [], consentMissing: null, parentMissing: null, personalData: 'birthDates' });
    expect(row.enrollment.className).toBe('5А');
    expect((await medical.fails('students.parents.list', { studentId: school.students.alekseev })).kind).toBe('forbidden');
    expect((await medical.fails('journal.page', { loadId: school.loads.math, periodId: school.periods.q1 })).kind).toBe('forbidden');
    expect(await medical.ok('students.consentActs', {})).toEqual([]);
  }, 300_000);

  it('the director and the secretary see everything', async () => {
    for (const session of [director, secretary]) {
      expect(await alekseevIn(session)).toMatchObject({ birthDate: '2015-03-12', consentMissing: false, personalData: 'full' });
      expect((await session.ok('students.get', { id: egorov })).birthDate).toBe('2015-02-02');
      expect(await session.ok('students.parents.list', { studentId: egorov })).toEqual([]);
    }
  }, 300_000);

  it('the class teacher adds a parent: the phone is kept in one shape, the change audited, the class list no longer says «родитель не указан»', async () => {
    expect(await studentsWithoutParent(t.core.store.db, school.classId, '2026-10-14')).toEqual([...school.studentIds].sort((a, b) => a - b));
    const mother = await classTeacher.ok('students.parents.add', {
      studentId: school.students.alekseev,
      fullName: 'Алексеева Ольга Ивановна',
      relation: 'мать',
      phone: '8 (912) 345-67-89',
      address: 'г. Томск, ул. Ленина, д. 5, кв. 12',
      receivesPaper: true,
      consentGivenOn: '2026-09-01',
    });
    expect(mother).toMatchObject({ phone: '+7 (912) 345-67-89', receivesPaper: true, consentMissing: false, consentWithdrawnOn: null });
    const records = await admin.ok('audit.list', { entity: 'student', entityId: String(school.students.alekseev) });
    expect(records.some((r) => r.action === 'parent.add')).toBe(true);

    // A second parent receiving the paper takes it from the first.
    const father = await classTeacher.ok('students.parents.add', { studentId: school.students.alekseev, fullName: 'Алексеев Игорь Петрович', relation: 'отец', phone: '+79131112233', receivesPaper: true });
    expect(father).toMatchObject({ phone: '+7 (913) 111-22-33', consentMissing: true, address: '' });
    const parents = await classTeacher.ok('students.parents.list', { studentId: school.students.alekseev });
    expect(parents.map((p) => [p.relation, p.receivesPaper])).toEqual([
      ['отец', true],
      ['мать', false],
    ]);
    expect((await alekseevIn(classTeacher)).parentMissing).toBe(false);
    expect((await studentsWithoutParent(t.core.store.db, school.classId, '2026-10-14')).includes(school.students.alekseev)).toBe(false);
  }, 300_000);

  it('a phone or an address in a wrong shape is refused with a Russian message, nothing saved or audited', async () => {
    const before = await newestAuditId(t);
    const base = { studentId: school.students.belova, fullName: 'Белов Андрей Петрович', relation: 'отец' as const };
    for (const phone of ['12345', '+1 212 555 0101', '8 912 345 67 89 0', 'звоните вечером']) {
      const refused = await classTeacher.fails('students.parents.add', { ...base, phone });
      expect(refused.kind).toBe('validation');
      expect(refused.message).toContain('Телефон: 11 цифр, начиная с +7 или 8');
    }
    const address = await classTeacher.fails('students.parents.add', { ...base, address: 'дом' });
    expect(address.message).toContain('Адрес для писем');
    const relation = await classTeacher.fails('students.parents.add', { ...base, relation: 'сосед' });
    expect(relation.kind).toBe('validation');
    expect(await classTeacher.ok('students.parents.list', { studentId: school.students.belova })).toEqual([]);
    expect(await newestAuditId(t)).toBe(before);
  }, 300_000);

  it('an edit with a bad phone changes nothing; a good edit is audited before → after', async () => {
    const [father] = await classTeacher.ok('students.parents.list', { studentId: school.students.alekseev });
    const edit = { id: father!.id, fullName: father!.fullName, relation: father!.relation, phone: father!.phone, address: father!.address, receivesPaper: true, consentGivenOn: null, consentWithdrawnOn: null };
    const before = await newestAuditId(t);
    expect((await classTeacher.fails('students.parents.update', { ...edit, phone: '8 912' })).kind).toBe('validation');
    expect(await newestAuditId(t)).toBe(before);
    expect((await classTeacher.ok('students.parents.list', { studentId: school.students.alekseev }))[0]!.phone).toBe('+7 (913) 111-22-33');

    await classTeacher.ok('students.parents.update', { ...edit, phone: '+7 913 999-00-11' });
    const records = await admin.ok('audit.list', { entity: 'student', entityId: String(school.students.alekseev) });
    const update = records.find((r) => r.action === 'parent.update')!;
    expect(update.before).toMatchObject({ phone: '+7 (913) 111-22-33' });
    expect(update.after).toMatchObject({ phone: '+7 (913) 999-00-11' });
  }, 300_000);

  it('D-45 for parents: consent with dates; a future date or a withdrawal before the consent is refused', async () => {
    const [father] = await classTeacher.ok('students.parents.list', { studentId: school.students.alekseev });
    const edit = { id: father!.id, fullName: father!.fullName, relation: father!.relation, phone: father!.phone, address: father!.address, receivesPaper: true };
    expect((await classTeacher.fails('students.parents.update', { ...edit, consentGivenOn: '2026-10-20', consentWithdrawnOn: null })).message).toBe('Дата согласия 20.10.2026 ещё не наступила.');
    expect((await classTeacher.fails('students.parents.update', { ...edit, consentGivenOn: '2026-10-01', consentWithdrawnOn: '2026-09-20' })).message).toBe(
      'Дата отзыва 20.09.2026 раньше даты согласия 01.10.2026.',
    );
    expect((await classTeacher.fails('students.parents.update', { ...edit, consentGivenOn: null, consentWithdrawnOn: '2026-10-01' })).kind).toBe('validation');
    const given = await classTeacher.ok('students.parents.update', { ...edit, consentGivenOn: '2026-10-01', consentWithdrawnOn: null });
    expect(given).toMatchObject({ consentGivenOn: '2026-10-01', consentMissing: false });
    const withdrawn = await classTeacher.ok('students.parents.update', { ...edit, consentGivenOn: '2026-10-01', consentWithdrawnOn: '2026-10-14' });
    expect(withdrawn.consentMissing).toBe(true);
  }, 300_000);

  it('attack: a teacher writes parents or consents of a class that is not hers — refused, nothing changed or audited', async () => {
    const before = await newestAuditId(t);
    const parent = { studentId: egorov, fullName: 'Егорова Мария Ильинична', relation: 'мать' as const, phone: '+7 913 000-00-00' };
    expect((await classTeacher.fails('students.parents.add', parent)).kind).toBe('forbidden');
    expect((await subjectTeacher.fails('students.parents.add', { ...parent, studentId: school.students.belova })).kind).toBe('forbidden');
    expect((await classTeacher.fails('students.consents.add', { studentId: egorov, givenBy: 'parent', giverName: 'Егорова М. И.', givenOn: '2026-09-01' })).kind).toBe('forbidden');
    const [father] = await classTeacher.ok('students.parents.list', { studentId: school.students.alekseev });
    expect((await otherClassTeacher.fails('students.parents.remove', { id: father!.id })).kind).toBe('forbidden');
    expect((await medical.fails('students.parents.add', parent)).kind).toBe('forbidden');
    expect((await director.fails('students.parents.add', parent)).kind).toBe('forbidden');
    expect(await newestAuditId(t)).toBe(before);
    expect(await secretary.ok('students.parents.list', { studentId: egorov })).toEqual([]);
    expect((await secretary.ok('students.get', { id: egorov })).consents).toEqual([]);

    // The secretary keeps the whole school's: she may.
    const added = await secretary.ok('students.parents.add', parent);
    expect(added.phone).toBe('+7 (913) 000-00-00');
    await secretary.ok('students.parents.remove', { id: added.id });
    expect(await otherClassTeacher.ok('students.parents.list', { studentId: egorov })).toEqual([]);
  }, 300_000);

  it('the psychologist sees names and birth dates, not consents or parents', async () => {
    await account(admin, 'psy', 'Лебедева Ирина Олеговна', ['psychologist']);
    const psychologist = await signInStaff(admin, 'psy');
    expect(await alekseevIn(psychologist)).toMatchObject({ birthDate: '2015-03-12', consents: [], personalData: 'birthDates' });
    expect((await psychologist.fails('students.parents.list', { studentId: school.students.alekseev })).kind).toBe('forbidden');
  }, 300_000);

  it('namesakes are told apart in the grid, the attendance and the class list; by birth date only for readers who may see it', async () => {
    // Two «Смирнов Денис А.» (Алексеевич, Андреевич) and one «Смирнов Денис П.», all in English group 1.
    const add = async (patronymic: string, birthDate: string) =>
      (await admin.ok('students.create', { surname: 'Смирнов', name: 'Денис', patronymic, birthDate, classId: school.classId, arrivedOn: '2026-09-01' })).id;
    const ids = [await add('Алексеевич', '2015-04-04'), await add('Андреевич', '2015-09-09'), await add('Петрович', '2015-06-06')];
    await admin.ok('school.subgroups.addMembers', { subgroupId: school.subgroups.first, studentIds: ids, fromDate: '2026-09-01' });

    // The class teacher's own mathematics page: the birth date tells the two «А.» apart.
    const math = await classTeacher.ok('journal.page', { loadId: school.loads.math, periodId: school.periods.q1 });
    expect(math.students.map((st) => st.fullName)).toEqual([
      'Алексеев Артём',
      'Белова Дарья',
      'Волков Никита',
      'Григорьева Софья',
      'Давыдов Максим',
      'Смирнов Денис А., 04.04.2015 г. р.',
      'Смирнов Денис А., 09.09.2015 г. р.',
      'Смирнов Денис П.',
    ]);
    // The subject teacher may not see birth dates: the full patronymic instead.
    const english = await subjectTeacher.ok('journal.page', { loadId: school.loads.english1, periodId: school.periods.q1 });
    expect(english.students.map((st) => st.fullName)).toEqual(['Алексеев Артём', 'Белова Дарья', 'Волков Никита', 'Смирнов Денис Алексеевич', 'Смирнов Денис Андреевич', 'Смирнов Денис П.']);
    expect(JSON.stringify(english)).not.toContain('2015');

    const day = await classTeacher.ok('attendance.classDay', { classId: school.classId, date: '2026-10-14' });
    expect(day.students.filter((st) => st.fullName.startsWith('Смирнов')).map((st) => st.fullName)).toEqual(['Смирнов Денис А., 04.04.2015 г. р.', 'Смирнов Денис А., 09.09.2015 г. р.', 'Смирнов Денис П.']);

    const labels = async (session: TestSession) => (await session.ok('students.list', { classId: school.classId })).filter((st) => st.surname === 'Смирнов').map((st) => st.label);
    expect(await labels(classTeacher)).toEqual(['Смирнов Денис А., 04.04.2015 г. р.', 'Смирнов Денис А., 09.09.2015 г. р.', 'Смирнов Денис П.']);
    expect(await labels(subjectTeacher)).toEqual(['Смирнов Денис Алексеевич', 'Смирнов Денис Андреевич', 'Смирнов Денис П.']);

    // On paper the same: the subject teacher's printed pages name the two «А.» by their full
    // patronymic and carry no birth date; the administration's print of the same subject tells them apart by it.
    const printedText = async (session: TestSession) => {
      const printed = await session.ok('print.classJournal', { classId: school.classId, subjectId: school.subjects.english, period: school.periods.q1, duplex: false });
      const dir = mkdtempSync(join(tmpdir(), 'zhurnal-namesakes-'));
      try {
        const file = join(dir, 'journal.pdf');
        writeFileSync(file, Buffer.from(printed.pdfBase64, 'base64'));
        return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).replace(/\s+/g, ' ');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const teacherPrint = await printedText(subjectTeacher);
    expect(teacherPrint).toContain('Смирнов Денис Алексеевич');
    expect(teacherPrint).toContain('Смирнов Денис Андреевич');
    expect(teacherPrint).not.toContain('г. р.');
    for (const date of ['04.04.2015', '09.09.2015', '06.06.2015', '12.03.2015']) expect(teacherPrint).not.toContain(date);
    const directorPrint = await printedText(director);
    expect(directorPrint).toContain('Смирнов Денис А., 04.04.2015 г. р.');
    expect(directorPrint).toContain('Смирнов Денис А., 09.09.2015 г. р.');
  }, 300_000);
});
