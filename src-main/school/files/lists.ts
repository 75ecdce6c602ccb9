import type { ListKind } from '../../../src-shared/contract/school-files';
import { russianDate } from '../../../src-shared/rules/dates';
import { roleTitles, type Role } from '../../../src-shared/roles';
import type { Db } from '../../store/database';
import { fullNameOf, listStaff, type StaffRow } from '../people';
import { unescapeSpreadsheetText } from './cell-escape';
import type { RawTable } from './read-table';
import { initialsKey, loginFor, normalizeHeader, parseClassName, parseDate, parseGender, parseRoles, personKey } from './values';

// The columns of each list (the same for import and export) and the row checks of an import.

interface Column {
  key: string;
  title: string;
  aliases?: string[];
}

export const listColumns: Record<ListKind, Column[]> = {
  students: [
    { key: 'surname', title: 'Фамилия' },
    { key: 'name', title: 'Имя' },
    { key: 'patronymic', title: 'Отчество' },
    { key: 'birthDate', title: 'Дата рождения', aliases: ['дата рожд.', 'д.р.'] },
    { key: 'gender', title: 'Пол' },
    { key: 'className', title: 'Класс' },
    { key: 'arrivedOn', title: 'Дата зачисления', aliases: ['дата прибытия', 'дата поступления'] },
    { key: 'arrivalOrder', title: 'Приказ о зачислении', aliases: ['номер приказа', '№ приказа', 'приказ'] },
    { key: 'fullName', title: 'ФИО', aliases: ['ф.и.о.', 'фамилия имя отчество', 'фамилия, имя, отчество'] },
  ],
  staff: [
    { key: 'fullName', title: 'ФИО', aliases: ['ф.и.о.', 'фамилия имя отчество', 'фамилия, имя, отчество'] },
    { key: 'login', title: 'Логин' },
    { key: 'position', title: 'Должность' },
    { key: 'roles', title: 'Роли', aliases: ['роль'] },
    { key: 'password', title: 'Временный пароль', aliases: ['пароль'] },
    { key: 'surname', title: 'Фамилия' },
    { key: 'name', title: 'Имя' },
    { key: 'patronymic', title: 'Отчество' },
  ],
  classes: [
    { key: 'className', title: 'Класс' },
    { key: 'classTeacher', title: 'Классный руководитель', aliases: ['кл. руководитель', 'классный руководитель (фио или логин)'] },
    { key: 'room', title: 'Кабинет' },
  ],
  load: [
    { key: 'className', title: 'Класс' },
    { key: 'subject', title: 'Предмет' },
    { key: 'subgroup', title: 'Подгруппа', aliases: ['группа'] },
    { key: 'teacher', title: 'Учитель', aliases: ['преподаватель'] },
    { key: 'hours', title: 'Часов в неделю', aliases: ['часы', 'часов', 'количество часов', 'часов в нед.'] },
  ],
};

/** Columns an export writes: the ФИО helper columns are import conveniences only. */
export function exportColumns(kind: ListKind): Column[] {
  if (kind === 'students') return listColumns.students.filter((c) => c.key !== 'fullName');
  if (kind === 'staff') return listColumns.staff.filter((c) => !['surname', 'name', 'patronymic', 'password'].includes(c.key));
  return listColumns[kind];
}

export type RowValues = Record<string, string>;

export interface CheckedRow<T> {
  row: number;
  values: Record<string, string>;
  errors: string[];
  data: T | null;
}

export interface StudentData {
  surname: string;
  name: string;
  patronymic: string;
  birthDate: string | null;
  gender: string;
  classId: number;
  arrivedOn: string;
  arrivalOrder: string;
}
export interface StaffData {
  fullName: string;
  login: string;
  position: string;
  roles: Role[];
  password: string | null;
}
export interface ClassData {
  grade: number;
  letter: string;
  classTeacherId: number | null;
  room: string;
}
export interface LoadData {
  classId: number;
  subjectId: number;
  subgroupId: number | null;
  subgroupName: string | null;
  teacherId: number;
  hoursPerWeek: number;
}

export interface MappedTable {
  columns: string[];
  rows: Array<{ row: number; byKey: RowValues; values: Record<string, string> }>;
  fileErrors: string[];
}

/** Maps the file's headers to the list's columns; the unknown ones are ignored. */
export function mapColumns(kind: ListKind, table: RawTable): MappedTable {
  const known = listColumns[kind];
  const keyAt: Array<Column | null> = table.header.map((title) => {
    const normalized = normalizeHeader(title);
    return known.find((c) => normalizeHeader(c.title) === normalized || (c.aliases ?? []).includes(normalized)) ?? null;
  });
  const present = new Set(keyAt.filter((c): c is Column => c !== null).map((c) => c.key));
  const fileErrors: string[] = [];
  const need = (keys: string[], title: string) => {
    if (!keys.some((k) => present.has(k))) fileErrors.push(`Нет столбца «${title}» в первой строке файла.`);
  };
  if (kind === 'students') {
    if (!present.has('fullName')) {
      need(['surname'], 'Фамилия');
      need(['name'], 'Имя');
    }
    need(['className'], 'Класс');
  } else if (kind === 'staff') {
    if (!present.has('surname')) need(['fullName'], 'ФИО');
  } else if (kind === 'classes') {
    need(['className'], 'Класс');
  } else {
    need(['className'], 'Класс');
    need(['subject'], 'Предмет');
    need(['teacher'], 'Учитель');
  }
  const rows = table.rows
    .map(({ row, cells }) => {
      const byKey: RowValues = {};
      const values: Record<string, string> = {};
      keyAt.forEach((column, index) => {
        if (!column) return;
        const value = unescapeSpreadsheetText((cells[index] ?? '').trim());
        byKey[column.key] = value;
        values[column.title] = value;
      });
      return { row, byKey, values };
    })
    .filter((r) => Object.values(r.byKey).some((v) => v !== ''));
  if (rows.length === 0 && fileErrors.length === 0) fileErrors.push('В файле нет строк с данными.');
  return { columns: keyAt.filter((c): c is Column => c !== null).map((c) => c.title), rows, fileErrors };
}

// ---------------------------------------------------------------------------------------
// What the checks compare against, read once per import.

export interface ImportContext {
  year: { id: number; name: string; starts_on: string; ends_on: string; closed_at: string | null };
  classes: Array<{ id: number; name: string; grade: number }>;
  staff: StaffRow[];
  subjects: Array<{ id: number; name: string; short_name: string; grade_from: number; grade_to: number }>;
  subgroups: Array<{ id: number; class_id: number; subject_id: number; name: string }>;
  loads: Array<{ class_id: number; subject_id: number; subgroup_id: number | null; teacher_id: number }>;
  /** Students enrolled in the year (any date), keyed by name and birth date. */
  students: Map<string, string>;
}

export async function importContext(db: Db, yearId: number): Promise<ImportContext> {
  const year = await db.selectFrom('academic_year').select(['id', 'name', 'starts_on', 'ends_on', 'closed_at']).where('id', '=', yearId).executeTakeFirstOrThrow();
  const [classes, staff, subjects, subgroups, loads, students] = await Promise.all([
    db.selectFrom('school_class').select(['id', 'name', 'grade']).where('year_id', '=', yearId).execute(),
    listStaff(db, { includeInactive: true }),
    db.selectFrom('subject').select(['id', 'name', 'short_name', 'grade_from', 'grade_to']).execute(),
    db.selectFrom('subgroup as g').innerJoin('school_class as c', 'c.id', 'g.class_id').select(['g.id', 'g.class_id', 'g.subject_id', 'g.name']).where('c.year_id', '=', yearId).execute(),
    db.selectFrom('teaching_load').select(['class_id', 'subject_id', 'subgroup_id', 'teacher_id']).where('year_id', '=', yearId).execute(),
    db
      .selectFrom('enrollment as e')
      .innerJoin('student as s', 's.id', 'e.student_id')
      .innerJoin('school_class as c', 'c.id', 'e.class_id')
      .select(['s.surname', 's.name', 's.patronymic', 's.birth_date', 'c.name as class_name'])
      .where('c.year_id', '=', yearId)
      .execute(),
  ]);
  return {
    year,
    classes,
    staff,
    subjects,
    subgroups,
    loads,
    students: new Map(students.map((s) => [studentKey(fullNameOf(s), s.birth_date), s.class_name])),
  };
}

function studentKey(fullName: string, birthDate: string | null): string {
  return `${personKey(fullName)}|${birthDate ?? ''}`;
}

/** A staff member by full name, «Фамилия И. О.» or login. */
function findPerson(staff: StaffRow[], text: string): { person: StaffRow | null; error: string | null } {
  const key = personKey(text);
  const byLogin = staff.filter((s) => s.login === key);
  if (byLogin.length === 1) return { person: byLogin[0]!, error: null };
  const exact = staff.filter((s) => personKey(s.fullName) === key);
  const matches = exact.length > 0 ? exact : staff.filter((s) => initialsKey(s.fullName) === initialsKey(text));
  if (matches.length === 1) return { person: matches[0]!, error: null };
  if (matches.length > 1) return { person: null, error: `«${text}»: несколько сотрудников с таким именем, укажите логин` };
  return { person: null, error: `сотрудник «${text}» не найден` };
}

function tooLong(value: string, max: number, title: string, errors: string[]): string {
  if (value.length > max) errors.push(`${title}: не длиннее ${max} символов`);
  return value.slice(0, max);
}

export function checkStudents(rows: MappedTable['rows'], context: ImportContext, today: string): CheckedRow<StudentData>[] {
  const seen = new Map<string, number>();
  return rows.map(({ row, byKey, values }) => {
    const errors: string[] = [];
    let surname = byKey.surname ?? '';
    let name = byKey.name ?? '';
    let patronymic = byKey.patronymic ?? '';
    if (!surname && !name && byKey.fullName) {
      const parts = byKey.fullName.split(/\s+/);
      surname = parts[0] ?? '';
      name = parts[1] ?? '';
      patronymic = parts.slice(2).join(' ');
    }
    if (!surname) errors.push('не указана фамилия');
    if (!name) errors.push('не указано имя');
    surname = tooLong(surname, 100, 'Фамилия', errors);
    name = tooLong(name, 100, 'Имя', errors);
    patronymic = tooLong(patronymic, 100, 'Отчество', errors);
    let birthDate: string | null = null;
    if (byKey.birthDate) {
      birthDate = parseDate(byKey.birthDate);
      if (!birthDate) errors.push(`дата рождения «${byKey.birthDate}» не в формате ДД.ММ.ГГГГ`);
      else if (birthDate >= today) errors.push(`дата рождения ${russianDate(birthDate)} ещё не наступила`);
    }
    const gender = parseGender(byKey.gender ?? '');
    if (gender === null) errors.push(`пол «${byKey.gender}»: укажите «м» или «ж»`);
    let classId: number | null = null;
    const parsedClass = parseClassName(byKey.className ?? '');
    if (!byKey.className) errors.push('не указан класс');
    else if (!parsedClass) errors.push(`класс «${byKey.className}» не похож на «5А»`);
    else {
      const found = context.classes.find((c) => c.name === parsedClass.name);
      if (!found) errors.push(`класса ${parsedClass.name} нет в учебном году ${context.year.name}: сначала создайте класс`);
      else classId = found.id;
    }
    let arrivedOn = context.year.starts_on;
    if (byKey.arrivedOn) {
      const parsed = parseDate(byKey.arrivedOn);
      if (!parsed) errors.push(`дата зачисления «${byKey.arrivedOn}» не в формате ДД.ММ.ГГГГ`);
      else if (parsed < context.year.starts_on || parsed > context.year.ends_on) errors.push(`дата зачисления ${russianDate(parsed)} вне учебного года ${context.year.name}`);
      else arrivedOn = parsed;
    }
    const arrivalOrder = tooLong(byKey.arrivalOrder ?? '', 100, 'Приказ', errors);
    if (surname && name) {
      const key = studentKey(fullNameOf({ surname, name, patronymic }), birthDate);
      const existing = context.students.get(key);
      if (existing) errors.push(`${fullNameOf({ surname, name, patronymic })} уже числится в ${existing}`);
      const earlier = seen.get(key);
      if (earlier !== undefined) errors.push(`тот же ученик уже есть в строке ${earlier}`);
      else seen.set(key, row);
    }
    const data = errors.length === 0 && classId !== null ? { surname, name, patronymic, birthDate, gender: gender ?? '', classId, arrivedOn, arrivalOrder } : null;
    return { row, values, errors, data };
  });
}

export function checkStaff(rows: MappedTable['rows'], context: ImportContext): CheckedRow<StaffData>[] {
  const taken = new Set(context.staff.map((s) => s.login));
  const fileLogins = new Map<string, number>();
  return rows.map(({ row, byKey, values }) => {
    const errors: string[] = [];
    let fullName = byKey.fullName || [byKey.surname, byKey.name, byKey.patronymic].filter(Boolean).join(' ');
    fullName = tooLong(fullName.replace(/\s+/g, ' ').trim(), 200, 'ФИО', errors);
    if (!fullName) errors.push('не указаны ФИО');
    let login = (byKey.login ?? '').toLowerCase();
    if (login) {
      if (!/^[a-z0-9._-]{2,64}$/.test(login)) errors.push(`логин «${byKey.login}»: латинские буквы, цифры, точка, дефис, подчёркивание; от 2 до 64 символов`);
      else if (taken.has(login)) errors.push(`логин «${login}» уже занят`);
    } else if (fullName) {
      const base = loginFor(fullName);
      login = base;
      for (let n = 2; taken.has(login) || fileLogins.has(login); n++) login = `${base}${n}`;
    }
    const earlier = fileLogins.get(login);
    if (login && earlier !== undefined) errors.push(`логин «${login}» уже указан в строке ${earlier}`);
    else if (login) fileLogins.set(login, row);
    const position = tooLong(byKey.position ?? '', 200, 'Должность', errors);
    const parsedRoles = parseRoles(byKey.roles || 'учитель');
    if (parsedRoles.unknown.length > 0) errors.push(`неизвестные роли: ${parsedRoles.unknown.map((r) => `«${r}»`).join(', ')} (допустимы: ${Object.values(roleTitles).join(', ')})`);
    if (parsedRoles.roles.length === 0 && parsedRoles.unknown.length === 0) errors.push('не указаны роли');
    const password = byKey.password ? byKey.password : null;
    if (password !== null && (password.length < 8 || password.length > 200)) errors.push('временный пароль: от 8 до 200 символов');
    const data = errors.length === 0 ? { fullName, login, position, roles: parsedRoles.roles, password } : null;
    return { row, values: { ...values, Логин: login }, errors, data };
  });
}

export function checkClasses(rows: MappedTable['rows'], context: ImportContext): CheckedRow<ClassData>[] {
  const seen = new Map<string, number>();
  return rows.map(({ row, byKey, values }) => {
    const errors: string[] = [];
    const parsed = parseClassName(byKey.className ?? '');
    if (!byKey.className) errors.push('не указан класс');
    else if (!parsed) errors.push(`класс «${byKey.className}» не похож на «5А» (параллель 0–11 и русская буква)`);
    else {
      if (context.classes.some((c) => c.name === parsed.name)) errors.push(`класс ${parsed.name} в году ${context.year.name} уже есть`);
      const earlier = seen.get(parsed.name);
      if (earlier !== undefined) errors.push(`класс ${parsed.name} уже указан в строке ${earlier}`);
      else seen.set(parsed.name, row);
    }
    let classTeacherId: number | null = null;
    if (byKey.classTeacher) {
      const { person, error } = findPerson(context.staff, byKey.classTeacher);
      if (error) errors.push(`классный руководитель: ${error}`);
      else if (person && !person.active) errors.push(`классный руководитель ${person.fullName}: учётная запись отключена`);
      else classTeacherId = person!.id;
    }
    const room = tooLong(byKey.room ?? '', 40, 'Кабинет', errors);
    const data = errors.length === 0 && parsed ? { grade: parsed.grade, letter: parsed.letter, classTeacherId, room } : null;
    return { row, values, errors, data };
  });
}

export function checkLoad(rows: MappedTable['rows'], context: ImportContext): CheckedRow<LoadData>[] {
  const seen = new Map<string, number>();
  return rows.map(({ row, byKey, values }) => {
    const errors: string[] = [];
    const parsedClass = parseClassName(byKey.className ?? '');
    const schoolClass = parsedClass ? context.classes.find((c) => c.name === parsedClass.name) : undefined;
    if (!byKey.className) errors.push('не указан класс');
    else if (!parsedClass) errors.push(`класс «${byKey.className}» не похож на «5А»`);
    else if (!schoolClass) errors.push(`класса ${parsedClass.name} нет в учебном году ${context.year.name}`);
    const subjectText = personKey(byKey.subject ?? '');
    const subject = context.subjects.find((s) => personKey(s.name) === subjectText) ?? context.subjects.find((s) => personKey(s.short_name) === subjectText);
    if (!byKey.subject) errors.push('не указан предмет');
    else if (!subject) errors.push(`предмет «${byKey.subject}» не найден в списке предметов`);
    else if (schoolClass && (schoolClass.grade < subject.grade_from || schoolClass.grade > subject.grade_to)) errors.push(`«${subject.name}» не изучается в ${schoolClass.grade} классе`);
    let teacherId: number | null = null;
    if (!byKey.teacher) errors.push('не указан учитель');
    else {
      const { person, error } = findPerson(context.staff, byKey.teacher);
      if (error) errors.push(`учитель: ${error}`);
      else if (!person!.active) errors.push(`${person!.fullName}: учётная запись отключена`);
      else if (!person!.roles.includes('teacher')) errors.push(`${person!.fullName}: нет роли «Учитель»`);
      else teacherId = person!.id;
    }
    const subgroupName = byKey.subgroup ? tooLong(byKey.subgroup, 60, 'Подгруппа', errors) : null;
    let hoursPerWeek = 0;
    if (byKey.hours) {
      hoursPerWeek = Number(byKey.hours.replace(',', '.'));
      if (!Number.isFinite(hoursPerWeek) || hoursPerWeek < 0 || hoursPerWeek > 40 || (hoursPerWeek * 2) % 1 !== 0) {
        errors.push(`часов в неделю «${byKey.hours}»: число от 0 до 40, целое или с половиной`);
      }
    }
    let subgroupId: number | null = null;
    if (schoolClass && subject) {
      if (subgroupName) subgroupId = context.subgroups.find((g) => g.class_id === schoolClass.id && g.subject_id === subject.id && personKey(g.name) === personKey(subgroupName))?.id ?? null;
      const existing = context.loads.filter((l) => l.class_id === schoolClass.id && l.subject_id === subject.id);
      if (subgroupName === null ? existing.length > 0 : existing.some((l) => l.subgroup_id === null || (subgroupId !== null && l.subgroup_id === subgroupId))) {
        errors.push(`нагрузка «${subject.name}», ${schoolClass.name}${subgroupName ? ` (${subgroupName})` : ''} уже назначена`);
      }
      const key = `${schoolClass.id}|${subject.id}|${subgroupName ? personKey(subgroupName) : ''}`;
      const earlier = seen.get(key) ?? (subgroupName === null ? undefined : seen.get(`${schoolClass.id}|${subject.id}|`));
      if (earlier !== undefined) errors.push(`та же нагрузка уже указана в строке ${earlier}`);
      else seen.set(key, row);
    }
    const data =
      errors.length === 0 && schoolClass && subject && teacherId !== null ? { classId: schoolClass.id, subjectId: subject.id, subgroupId, subgroupName, teacherId, hoursPerWeek } : null;
    return { row, values, errors, data };
  });
}
