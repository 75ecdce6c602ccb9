import { sql } from 'kysely';
import { daysBetween, localDate } from '../../src-shared/rules/dates';
import { curriculumHours, teachingWeeks, weekMonday } from '../../src-shared/rules/plans';
import type { Role } from '../../src-shared/roles';
import type { DemoAccount } from '../../src-shared/contract/auth';
import { hashPassword } from '../accounts/passwords';
import { appendAudit } from '../audit/chain';
import { conflict } from '../core/errors';
import type { Store, Tx } from '../store/database';
import { BulkWriter } from './bulk';
import {
  addDays, planYear, russianDate, schoolDays, schoolYearStartOf, weekday, zoneOffsetOn,
  type PeriodPlan, type YearPlan,
} from './calendar';
import {
  bells, homeworkText, specialtyPositions, specialtyRoomPrefix, subjects, topicsFor, workTypes,
  type Specialty, type SubjectPlan, type WorkTypeKey,
} from './curriculum';
import { fullName, randomMasculineSurname, randomPerson, uniqueLogin, type Gender, type PersonName } from './names';
import { Random } from './random';
import { buildTimetable, type TimetableUnit } from './timetable';

export const DEMO_SCHOOL_NAME = 'МАОУ «Средняя общеобразовательная школа № 12» г. Томска';
export const DEMO_TIME_ZONE = 'Asia/Tomsk';
/** One password for every demo account: it is a showcase, not a school. */
export const DEMO_PASSWORD = 'demo1234';
/** `school_setting` key of the demo's sample accounts (a demo school has it, a real one never). */
export const DEMO_LOGINS_KEY = 'demo_logins';
/** Bumped whenever the generated content changes, so cached demo databases are remade. */
export const DEMO_GENERATOR_VERSION = 1;

export interface DemoOptions {
  /** Students in the current year; about 25 a class (default 700, a mid-size school). */
  students?: number;
  /** School years: the current one and the ones before it (default 1). */
  years?: number;
  seed?: number;
  /** The school-local date lessons are generated up to (exclusive): the caller's clock. */
  today?: string;
  /** The instant written into the audit record (default: today at noon). */
  auditAt?: string;
}


export interface DemoResult {
  schoolName: string;
  timeZone: string;
  today: string;
  years: string[];
  /** Classes and students of the current year. */
  classes: number;
  students: number;
  staff: number;
  teachers: number;
  /** Rows written per table. */
  counts: Record<string, number>;
  rows: number;
  /** Weekly hours that found no clash-free slot (normally 0). */
  unplacedHours: number;
  accounts: DemoAccount[];
  password: string;
}

export type DemoProgress = (message: string) => void;

// ---------------------------------------------------------------------------------------
// In-memory model

interface StaffMember {
  id: number;
  person: PersonName;
  login: string;
  position: string;
  roles: Role[];
  specialty: Specialty | null;
  room: string;
}

interface Student {
  id: number;
  person: PersonName;
  familySurname: string;
  birthDate: string;
  /** Typical mark, 2.6 … 5.0. */
  ability: number;
  /** Per subject a small lift or dip: strong in maths, weaker in languages… */
  subjectBias: number[];
  consentMissing: boolean;
  studentConsentGiven: boolean;
}

interface Membership {
  student: Student;
  enrollmentId: number;
  from: string;
  /** departed_on: the student is in the class on days before it. */
  to: string | null;
  arrivalOrder: string;
  departureOrder: string;
}

interface ClassYear {
  id: number;
  grade: number;
  letter: string;
  name: string;
  /** The year the class entered grade 1: with the letter it follows the class up the grades. */
  cohort: string;
  classTeacher: StaffMember;
  room: string;
  members: Membership[];
}

interface Load {
  id: number;
  classYear: ClassYear;
  subject: SubjectPlan;
  subjectIndex: number;
  subgroupId: number | null;
  groupNumber: number; // 0 for the whole class
  teacherId: number;
  alternatives: number[];
  hours: number;
  members: Membership[];
  memberSet: Set<Membership>;
  weekdays: Set<number>;
  lessonsGiven: number;
}

const LETTERS = ['А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'И', 'К', 'Л', 'М', 'Н'];
const TEACHER_NORM_HOURS = 20; // the usual «ставка» is 18; demo teachers carry a little more
const TEACHER_MAX_HOURS = 27;
const TARGET_CLASS_SIZE = 25;

const workTypeIndex = new Map<WorkTypeKey, number>(workTypes.map((w, i) => [w.key, i]));

/** Parallels in grades 1–9 and in 10–11 (fewer: many leave after grade 9) for about 25 a class. */
export function classStructure(students: number): { lower: number; upper: number } {
  let best = { lower: 1, upper: 1, error: Infinity };
  for (let lower = 1; lower <= LETTERS.length; lower++) {
    for (let upper = 1; upper <= lower; upper++) {
      const error = Math.abs(TARGET_CLASS_SIZE * (9 * lower + 2 * upper) - students);
      if (error <= best.error) best = { lower, upper, error };
    }
  }
  return { lower: best.lower, upper: best.upper };
}

const parallelsOf = (grade: number, structure: { lower: number; upper: number }) => (grade <= 9 ? structure.lower : structure.upper);

/** «1 234 567». */
const count = (n: number) => new Intl.NumberFormat('ru-RU').format(n).replace(/\u00a0/g, ' ');

// ---------------------------------------------------------------------------------------

/**
 * Creates the demo school in an empty database: staff, `years` school years up to the
 * current one (the one containing `today`), and in each the lessons of every past school
 * day with topics, homework, marks, absences and finals. One transaction: the school is
 * there whole or not at all. The same seed and `today` give the same rows.
 */
export async function generateDemoSchool(store: Store, options: DemoOptions = {}, onProgress: DemoProgress = () => {}): Promise<DemoResult> {
  const studentsWanted = Math.max(11, Math.round(options.students ?? 700));
  const yearCount = Math.max(1, Math.min(11, Math.round(options.years ?? 1)));
  const seed = options.seed ?? 1;
  const today = options.today ?? localDate(new Date(), DEMO_TIME_ZONE);
  const auditAt = options.auditAt ?? instantAt(today, 12 * 60);

  await refuseIfSchoolExists(store);
  // One hash for every demo account: argon2 is deliberately slow.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  // One transaction, so a single commit and a single fsync: `synchronous` stays FULL.
  // SQLite gets a larger page cache meanwhile: the long transaction revisits index pages
  // (marks by student, attendance) that the default 2 MB cache would re-read from the WAL.
  const restoreCache = store.engine === 'sqlite' ? await widenSqliteCache(store) : null;
  try {
    return await writeSchool(store, { studentsWanted, yearCount, seed, today, passwordHash }, auditAt, onProgress);
  } finally {
    await restoreCache?.();
  }
}

async function widenSqliteCache(store: Store): Promise<() => Promise<void>> {
  const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(store.db);
  const previous = Number(rows[0]?.cache_size ?? -2000);
  await sql`pragma cache_size = -262144`.execute(store.db); // KiB: 256 MiB
  return async () => {
    await sql.raw(`pragma cache_size = ${previous}`).execute(store.db);
  };
}

async function writeSchool(store: Store, settings: Settings, auditAt: string, onProgress: DemoProgress): Promise<DemoResult> {
  const { studentsWanted, yearCount, seed, today } = settings;
  return store.db.transaction().execute(async (tx) => {
    await refuseIfSchoolExists(store, tx);
    const generator = new Generator(tx, store.engine, settings, onProgress);
    const result = await generator.run();
    await appendAudit(tx, store, {
      at: auditAt,
      userId: null,
      action: 'demo.create',
      entity: 'school',
      entityId: 1,
      after: { students: studentsWanted, years: yearCount, seed, today, counts: result.counts },
      reason: 'Создана демонстрационная школа',
    });
    // The login screen lists the sample accounts on every start, not only the first.
    await tx.insertInto('school_setting').values({ key: DEMO_LOGINS_KEY, value: JSON.stringify(result.accounts) }).execute();
    if (store.engine === 'postgres') await generator.advanceSequences();
    return result;
  });
}

async function refuseIfSchoolExists(store: Store, tx?: Tx): Promise<void> {
  const db = tx ?? store.db;
  const school = await db.selectFrom('school').select('id').executeTakeFirst();
  const user = await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
  if (school || user) throw conflict('Школа в этой базе уже создана: демонстрационную школу можно открыть только в новой, пустой базе.');
}

/** School-local wall-clock time on a date → ISO instant in UTC. */
const offsetCache = new Map<string, number>();
function instantAt(date: string, minutesOfDay: number): string {
  let offset = offsetCache.get(date);
  if (offset === undefined) {
    offset = zoneOffsetOn(DEMO_TIME_ZONE, date);
    offsetCache.set(date, offset);
  }
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + (minutesOfDay - offset) * 60_000;
  return new Date(ms).toISOString();
}

/** Names of the further lessons on one topic. */
function followUps(subject: SubjectPlan): readonly string[] {
  if (subject.homework === 'math') return ['Решение задач', 'Закрепление', 'Практикум'];
  if (subject.homework === 'none' || subject.homework === 'creative') return ['Закрепление', 'Совершенствование'];
  return ['Закрепление', 'Практикум', 'Обобщение'];
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

interface Settings {
  studentsWanted: number;
  yearCount: number;
  seed: number;
  today: string;
  passwordHash: string;
}

class Generator {
  private readonly random: Random;
  private readonly out: BulkWriter;
  private readonly ids = new Map<string, number>();
  private readonly structure: { lower: number; upper: number };
  private readonly classSize: number;
  private readonly staff: StaffMember[] = [];
  private readonly teachersBySpecialty = new Map<Specialty, StaffMember[]>();
  private readonly subjectIds: number[] = [];
  private readonly workTypeIds: number[] = [];
  private readonly takenLogins = new Set<string>();
  /** The class teacher of each class, kept as the class moves up (a cohort key). */
  private readonly cohortTeacher = new Map<string, StaffMember>();
  /** Last year's teacher of a cohort × subject × group: teachers keep their classes. */
  private readonly previousTeacher = new Map<string, number>();
  private readonly years: string[] = [];
  private previousClasses: ClassYear[] = [];
  private orderNumber = 0;
  private unplacedHours = 0;
  /** Whether the schema has the lateness flags of migration 0005 (older schemas lack them). */
  private lateness = false;
  /** The database has the КТП tables (migration 0016): the demo loads get approved plans. */
  private withPlans = false;
  private currentClasses: ClassYear[] = [];
  private currentPlan: YearPlan | null = null;
  /** The timetable of the year being generated (at the end: the current year's). */
  private yearPlacements: Array<{ load: Load; weekday: number; lessonNumber: number }> = [];
  private director!: StaffMember;
  private deputy!: StaffMember;
  private administrator!: StaffMember;

  constructor(
    private readonly tx: Tx,
    private readonly engine: Store['engine'],
    private readonly settings: Settings,
    private readonly progress: DemoProgress,
  ) {
    this.random = new Random(settings.seed);
    this.out = new BulkWriter(tx, engine);
    this.structure = classStructure(settings.studentsWanted);
    this.classSize = settings.studentsWanted / (9 * this.structure.lower + 2 * this.structure.upper);
  }

  private nextId(table: string): number {
    const id = (this.ids.get(table) ?? 0) + 1;
    this.ids.set(table, id);
    return id;
  }

  async run(): Promise<DemoResult> {
    const { today, yearCount } = this.settings;
    const currentStart = schoolYearStartOf(today);
    const firstStart = currentStart - (yearCount - 1);
    const tables = await this.tx.introspection.getTables();
    const hasColumn = (table: string, column: string) => tables.some((t) => t.name === table && t.columns.some((c) => c.name === column));
    this.lateness = hasColumn('lesson', 'topic_late') && hasColumn('lesson', 'homework_late') && hasColumn('mark', 'late');
    this.withPlans = hasColumn('lesson', 'plan_row_id');
    await this.startIdsAfterExistingRows();

    const createdAt = instantAt(`${firstStart}-08-25`, 9 * 60);
    await this.out.insert('school', ['id', 'name', 'time_zone', 'created_at', 'signing_key_private', 'signing_key_public'], [
      [1, DEMO_SCHOOL_NAME, DEMO_TIME_ZONE, createdAt, null, null],
    ]);
    await this.createStaff(createdAt);
    await this.createReferenceData();

    for (let startYear = firstStart; startYear <= currentStart; startYear++) {
      await this.generateYear(planYear(startYear), startYear === currentStart);
    }

    const counts = Object.fromEntries([...this.out.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    const currentStudents = new Set(this.currentClasses.flatMap((c) => c.members.filter((m) => !m.to || m.to > today).map((m) => m.student.id)));
    return {
      schoolName: DEMO_SCHOOL_NAME,
      timeZone: DEMO_TIME_ZONE,
      today,
      years: this.years,
      classes: this.currentClasses.length,
      students: currentStudents.size,
      staff: this.staff.length,
      teachers: this.staff.filter((s) => s.specialty).length,
      counts,
      rows: this.out.total,
      unplacedHours: this.unplacedHours,
      accounts: this.sampleAccounts(),
      password: DEMO_PASSWORD,
    };
  }

  /** Ids are given here, not by the database, so rows can refer to each other before insert. */
  private async startIdsAfterExistingRows(): Promise<void> {
    const tables = ['app_user', 'academic_year', 'study_period', 'holiday', 'subject', 'school_class', 'student', 'enrollment', 'consent',
      'subgroup', 'subgroup_member', 'teaching_load', 'timetable_entry', 'work_type', 'lesson', 'mark', 'final_mark', 'period_lock'] as const;
    const planTables = this.withPlans ? (['plan', 'plan_row'] as const) : [];
    for (const table of [...tables, ...planTables]) {
      const row = await this.tx.selectFrom(table).select((eb) => eb.fn.max<number>('id').as('max')).executeTakeFirst();
      this.ids.set(table, Number(row?.max ?? 0));
    }
  }

  /** PostgreSQL's serial counters do not see explicit ids: move them past the demo rows. */
  async advanceSequences(): Promise<void> {
    for (const [table, last] of this.ids) {
      if (last > 0) await sql`select setval(pg_get_serial_sequence(${table}, 'id'), ${last})`.execute(this.tx);
    }
  }

  // -------------------------------------------------------------------------------------
  // Staff

  private async createStaff(createdAt: string): Promise<void> {
    const random = this.random.fork('staff');
    const add = (position: string, roles: Role[], specialty: Specialty | null, gender: Gender = random.chance(0.8) ? 'ж' : 'м') => {
      const person = randomPerson(random, gender, undefined, true);
      const member: StaffMember = { id: this.nextId('app_user'), person, login: uniqueLogin(person, this.takenLogins), position, roles, specialty, room: '' };
      this.staff.push(member);
      return member;
    };
    this.director = add('Директор', ['director'], null);
    this.deputy = add('Заместитель директора по учебно-воспитательной работе', ['deputy'], null);
    add('Заместитель директора по учебно-воспитательной работе', ['deputy'], null);
    this.administrator = add('Администратор электронного журнала', ['administrator'], null);
    add('Секретарь учебной части', ['secretary'], null, 'ж');
    add('Педагог-психолог', ['psychologist'], null);
    add('Медицинская сестра', ['medical'], null, 'ж');

    // Teachers by specialty, as many as the curriculum's hours need.
    const hours = new Map<Specialty, number>();
    let primaryClasses = 0;
    for (let grade = 1; grade <= 11; grade++) {
      const parallels = parallelsOf(grade, this.structure);
      if (grade <= 4) primaryClasses += parallels;
      for (const subject of subjects) {
        const h = subject.hours[grade];
        if (!h) continue;
        const specialty = subject.specialty(grade);
        if (specialty === 'primary') continue;
        const groups = subject.subgroupsFrom !== undefined && grade >= subject.subgroupsFrom ? 2 : 1;
        hours.set(specialty, (hours.get(specialty) ?? 0) + h * groups * parallels);
      }
    }
    const floorCounters = new Map<string, number>();
    const roomFor = (specialty: Specialty) => {
      const prefix = specialtyRoomPrefix[specialty];
      const n = (floorCounters.get(prefix) ?? 0) + 1;
      floorCounters.set(prefix, n);
      return /^\d$/.test(prefix) ? `${prefix}${String(n).padStart(2, '0')}` : `${prefix}${n}`;
    };
    const hire = (specialty: Specialty, howMany: number) => {
      const list: StaffMember[] = [];
      for (let i = 0; i < howMany; i++) {
        const gender: Gender = specialty === 'pe' || specialty === 'safety' || specialty === 'technology' ? (random.chance(0.6) ? 'м' : 'ж') : random.chance(0.85) ? 'ж' : 'м';
        const teacher = add(specialtyPositions[specialty], ['teacher'], specialty, gender);
        teacher.room = roomFor(specialty);
        list.push(teacher);
      }
      this.teachersBySpecialty.set(specialty, list);
    };
    hire('primary', primaryClasses);
    for (const [specialty, total] of [...hours.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const split = subjects.some((s) => s.subgroupsFrom !== undefined && s.specialty(11) === specialty) ? 2 : 1;
      hire(specialty, Math.max(split, Math.ceil(total / TEACHER_NORM_HOURS)));
    }

    const userRows = this.staff.map((s) => [s.id, s.login, fullName(s.person), s.position, this.settings.passwordHash, 0, 1, 0, createdAt, 1]);
    await this.out.insert('app_user', ['id', 'login', 'full_name', 'position', 'password_hash', 'must_change_password', 'active', 'failed_attempts', 'created_at', 'version'], userRows);
    await this.out.insert('user_role', ['user_id', 'role'], this.staff.flatMap((s) => s.roles.map((role) => [s.id, role])));
    this.progress(`Сотрудники: ${count(this.staff.length)}, из них учителей ${count(this.staff.filter((s) => s.specialty).length)}`);
  }

  private async createReferenceData(): Promise<void> {
    const subjectRows = subjects.map((subject, index) => {
      const grades = Object.keys(subject.hours).map(Number);
      const id = this.nextId('subject');
      this.subjectIds.push(id);
      return [id, subject.name, subject.shortName, Math.min(...grades), Math.max(...grades), (index + 1) * 10];
    });
    await this.out.insert('subject', ['id', 'name', 'short_name', 'grade_from', 'grade_to', 'sort_order'], subjectRows);
    const workTypeRows = workTypes.map((w, index) => {
      const id = this.nextId('work_type');
      this.workTypeIds.push(id);
      return [id, w.name, w.weight, w.dueDays, (index + 1) * 10, 1];
    });
    await this.out.insert('work_type', ['id', 'name', 'weight', 'mark_due_days', 'sort_order', 'active'], workTypeRows);
    await this.out.insert('bell', ['lesson_number', 'starts_at', 'ends_at'], bells.map(([from, to], i) => [i + 1, from, to]));
  }

  // -------------------------------------------------------------------------------------
  // A school year

  private async generateYear(plan: YearPlan, isCurrent: boolean): Promise<void> {
    const { today } = this.settings;
    const random = this.random.fork(`year ${plan.startYear}`);
    this.years.push(plan.name);
    const yearId = this.nextId('academic_year');
    const closedAt = plan.endsOn < today ? instantAt(plan.endsOn, 10 * 60) : null;
    await this.out.insert('academic_year', ['id', 'name', 'starts_on', 'ends_on', 'closed_at'], [[yearId, plan.name, plan.startsOn, plan.endsOn, closedAt]]);
    const periodIds = new Map<PeriodPlan, number>();
    await this.out.insert('study_period', ['id', 'year_id', 'kind', 'number', 'name', 'starts_on', 'ends_on', 'grade_from', 'grade_to'],
      plan.periods.map((p) => {
        const id = this.nextId('study_period');
        periodIds.set(p, id);
        return [id, yearId, p.kind, p.number, p.name, p.startsOn, p.endsOn, p.gradeFrom, p.gradeTo];
      }));
    await this.out.insert('holiday', ['id', 'year_id', 'name', 'starts_on', 'ends_on'],
      plan.holidays.map((h) => [this.nextId('holiday'), yearId, h.name, h.startsOn, h.endsOn]));
    const curriculumRows: Array<Array<string | number>> = [];
    subjects.forEach((subject, index) => {
      for (const [grade, h] of Object.entries(subject.hours)) curriculumRows.push([yearId, this.subjectIds[index]!, Number(grade), h!]);
    });
    await this.out.insert('curriculum_hours', ['year_id', 'subject_id', 'grade', 'hours_per_week'], curriculumRows);

    const allDays = schoolDays(plan, plan.firstSchoolDay, plan.lastSchoolDay);
    const pastDays = allDays.filter((d) => d < today);
    const classes = await this.createClasses(plan, yearId, random, pastDays);
    const loads = await this.createLoads(plan, yearId, classes, random);
    this.previousClasses = classes;
    if (isCurrent) {
      this.currentClasses = classes;
      this.currentPlan = plan;
    }
    const studentsNow = new Set(classes.flatMap((c) => c.members.map((m) => m.student.id))).size;
    this.progress(`${plan.name}: ${classes.length} классов, ${count(studentsNow)} учащихся, ${count(loads.length)} строк нагрузки`);

    await this.createJournal(plan, yearId, classes, loads, allDays, pastDays, periodIds, random);
  }

  private newOrder(date: string): string {
    this.orderNumber += 1;
    return `Приказ № ${this.orderNumber}-у от ${russianDate(date)}`;
  }

  private newStudent(random: Random, grade: number, startYear: number): Student {
    const gender: Gender = random.chance(0.5) ? 'м' : 'ж';
    const familySurname = randomMasculineSurname(random);
    const person = randomPerson(random, gender, familySurname);
    const bornFrom = Date.UTC(startYear - 7 - grade, 8, 1);
    const birthDate = new Date(bornFrom + random.int(0, 364) * 86_400_000).toISOString().slice(0, 10);
    const ability = Math.max(2.8, Math.min(5, 4.05 + random.normal() * 0.5));
    return {
      id: this.nextId('student'),
      person,
      familySurname,
      birthDate,
      ability,
      subjectBias: subjects.map(() => random.normal() * 0.2),
      consentMissing: random.chance(0.02),
      studentConsentGiven: false,
    };
  }

  /** Classes of the year: last year's classes one grade up, new first grades, newcomers and leavers. */
  private async createClasses(plan: YearPlan, yearId: number, random: Random, pastDays: string[]): Promise<ClassYear[]> {
    const startYear = plan.startYear;
    const first = plan.firstSchoolDay;
    const newStudents: Student[] = [];
    const rosters = new Map<string, Membership[]>(); // by class name
    const promotionOrder = this.previousClasses.length > 0 ? this.newOrder(addDays(plan.startsOn, -2)) : '';
    const admissionOrder = this.newOrder(addDays(plan.startsOn, -6));
    const join = (className: string, student: Student, from: string, order: string) => {
      const list = rosters.get(className) ?? [];
      list.push({ student, enrollmentId: 0, from, to: null, arrivalOrder: order, departureOrder: '' });
      rosters.set(className, list);
    };

    // Last year's students who stayed to the end move up a grade; 11th graders graduate,
    // and after grade 9 only the upper classes' places remain.
    const stayed = (c: ClassYear) => c.members.filter((m) => m.to === null).map((m) => m.student);
    const ninth: Student[] = [];
    for (const previous of this.previousClasses) {
      if (previous.grade === 11) continue;
      if (previous.grade === 9) ninth.push(...stayed(previous));
      else for (const student of stayed(previous)) join(`${previous.grade + 1}${previous.letter}`, student, first, promotionOrder);
    }
    const upperPlaces = Math.round(this.classSize * this.structure.upper);
    random.shuffle(ninth).sort((a, b) => b.ability - a.ability + (random.next() - 0.5) * 1.5);
    ninth.slice(0, upperPlaces).forEach((student, i) => join(`10${LETTERS[i % this.structure.upper]}`, student, first, promotionOrder));

    const classes: ClassYear[] = [];
    for (let grade = 1; grade <= 11; grade++) {
      const parallels = parallelsOf(grade, this.structure);
      for (let p = 0; p < parallels; p++) {
        const letter = LETTERS[p]!;
        const name = `${grade}${letter}`;
        const members = rosters.get(name) ?? [];
        // Fill to size: the whole school in the first year, new first grades and a few newcomers later.
        const size = Math.floor(this.classSize * (p + 1 + grade * parallels)) - Math.floor(this.classSize * (p + grade * parallels));
        while (members.length < size) {
          const student = this.newStudent(random, grade, startYear);
          newStudents.push(student);
          members.push({ student, enrollmentId: 0, from: first, to: null, arrivalOrder: this.previousClasses.length === 0 && grade > 1 ? '' : admissionOrder, departureOrder: '' });
        }
        classes.push({
          id: this.nextId('school_class'), grade, letter, name, cohort: `${startYear - grade + 1}${letter}`,
          classTeacher: undefined as unknown as StaffMember, room: '', members,
        });
      }
    }

    // During the year (only up to today): a few leave and a few arrive, each by an order.
    const movementDays = pastDays.filter((d) => d > addDays(first, 20) && d < addDays(plan.lastSchoolDay, -20));
    if (movementDays.length > 0) {
      const moves = Math.max(1, Math.round(this.settings.studentsWanted * 0.015));
      for (let i = 0; i < moves; i++) {
        const leaving = random.pick(classes);
        const candidates = leaving.members.filter((m) => m.to === null && m.from === first);
        if (candidates.length > 0) {
          const member = random.pick(candidates);
          member.to = random.pick(movementDays);
          member.departureOrder = this.newOrder(member.to);
        }
        const arriving = random.pick(classes);
        const student = this.newStudent(random, arriving.grade, startYear);
        newStudents.push(student);
        const from = random.pick(movementDays);
        arriving.members.push({ student, enrollmentId: 0, from, to: null, arrivalOrder: this.newOrder(from), departureOrder: '' });
      }
    }
    for (const c of classes) {
      c.members.sort((a, b) => a.student.person.surname.localeCompare(b.student.person.surname, 'ru') || a.student.person.name.localeCompare(b.student.person.name, 'ru') || a.student.id - b.student.id);
      for (const m of c.members) m.enrollmentId = this.nextId('enrollment');
    }

    this.assignClassTeachers(classes, random);

    await this.out.insert('school_class', ['id', 'year_id', 'grade', 'letter', 'name', 'class_teacher_id', 'room', 'no_marks'],
      classes.map((c) => [c.id, yearId, c.grade, c.letter, c.name, c.classTeacher.id, c.room, c.grade <= 1 ? 1 : 0]));
    // A student's card is made on the day of arrival (the admission order for the first grades).
    const arrivalOf = new Map<Student, string>();
    for (const c of classes) for (const m of c.members) arrivalOf.set(m.student, m.from);
    newStudents.sort((a, b) => a.id - b.id);
    await this.out.insert('student', ['id', 'surname', 'name', 'patronymic', 'birth_date', 'gender', 'created_at'],
      newStudents.map((s) => [s.id, s.person.surname, s.person.name, s.person.patronymic, s.birthDate, s.person.gender,
        instantAt(arrivalOf.get(s) === first ? addDays(plan.startsOn, -6) : arrivalOf.get(s)!, 10 * 60)]));
    await this.out.insert('enrollment', ['id', 'student_id', 'class_id', 'arrived_on', 'arrival_order', 'departed_on', 'departure_order'],
      classes.flatMap((c) => c.members.map((m) => [m.enrollmentId, m.student.id, c.id, m.from, m.arrivalOrder, m.to, m.departureOrder])));

    // Consent (152-ФЗ): a parent for every new student, the student too from age 14 (grade 8);
    // a few are missing so that the gap shows.
    const consentRows: Array<Array<string | number | null>> = [];
    const isNew = new Set(newStudents);
    for (const c of classes) {
      for (const m of c.members) {
        const s = m.student;
        if (s.consentMissing) continue;
        if (isNew.has(s)) {
          const mother = randomPerson(random, 'ж', s.familySurname, true);
          consentRows.push([this.nextId('consent'), s.id, 'parent', fullName(mother), addDays(m.from, -random.int(0, 5)), null]);
        }
        if (c.grade >= 8 && !s.studentConsentGiven) {
          s.studentConsentGiven = true;
          consentRows.push([this.nextId('consent'), s.id, 'student', fullName(s.person), addDays(m.from, random.int(0, 4)), null]);
        }
      }
    }
    consentRows.sort((a, b) => Number(a[0]) - Number(b[0]));
    await this.out.insert('consent', ['id', 'student_id', 'given_by', 'giver_name', 'given_on', 'withdrawn_on'], consentRows);
    return classes;
  }

  /** Primary teachers lead their class through grades 1–4; from grade 5 a subject teacher does, to graduation. */
  private assignClassTeachers(classes: ClassYear[], random: Random): void {
    const primary = this.teachersBySpecialty.get('primary') ?? [];
    const used = new Set<number>();
    for (const c of classes) {
      const kept = this.cohortTeacher.get(c.cohort);
      const fits = kept && (c.grade <= 4 ? kept.specialty === 'primary' : kept.specialty !== 'primary');
      if (kept && fits && !used.has(kept.id)) {
        c.classTeacher = kept;
        used.add(kept.id);
      }
    }
    for (const c of classes) {
      if (c.classTeacher) continue;
      const pool = c.grade <= 4 ? primary : this.staff.filter((s) => s.specialty && s.specialty !== 'primary' && s.specialty !== 'safety');
      const free = pool.filter((s) => !used.has(s.id));
      // Teachers of the main subjects see their class most and lead it more often.
      const lead = (s: StaffMember) => (s.specialty === 'math' || s.specialty === 'russian' ? 5 : s.specialty === 'english' || s.specialty === 'history' ? 2 : 1);
      const teacher = free.length > 0 ? random.weighted(free.map((s) => [s, lead(s)] as const)) : random.pick(pool);
      c.classTeacher = teacher;
      used.add(teacher.id);
      this.cohortTeacher.set(c.cohort, teacher);
    }
    for (const c of classes) c.room = c.classTeacher.room;
  }

  /** Teaching load: who teaches each subject (and group) of each class, then the timetable. */
  private async createLoads(plan: YearPlan, yearId: number, classes: ClassYear[], random: Random): Promise<Load[]> {
    const hoursOf = new Map<number, number>();
    const loads: Load[] = [];
    const subgroupRows: Array<Array<string | number>> = [];
    const memberRows: Array<Array<string | number | null>> = [];

    const chooseTeacher = (specialty: Specialty, c: ClassYear, key: string, hours: number, exclude: number | null): StaffMember => {
      if (specialty === 'primary') return c.classTeacher.specialty === 'primary' ? c.classTeacher : this.teachersBySpecialty.get('primary')![0]!;
      const pool = this.teachersBySpecialty.get(specialty)!.filter((t) => t.id !== exclude);
      const previous = this.previousTeacher.get(key);
      const keep = pool.find((t) => t.id === previous && (hoursOf.get(t.id) ?? 0) + hours <= TEACHER_MAX_HOURS);
      if (keep) return keep;
      // A class's own class teacher takes their subject in it when they can.
      if (c.classTeacher.specialty === specialty && pool.includes(c.classTeacher) && (hoursOf.get(c.classTeacher.id) ?? 0) + hours <= TEACHER_MAX_HOURS + 3) {
        return c.classTeacher;
      }
      return pool.reduce((best, t) => ((hoursOf.get(t.id) ?? 0) < (hoursOf.get(best.id) ?? 0) ? t : best));
    };

    for (const c of classes) {
      // All subjects of one specialty in a class go to one teacher (algebra, geometry and statistics).
      const wholeClassTeacher = new Map<Specialty, StaffMember>();
      subjects.forEach((subject, subjectIndex) => {
        const hours = subject.hours[c.grade];
        if (!hours) return;
        const specialty = subject.specialty(c.grade);
        const grouped = subject.subgroupsFrom !== undefined && c.grade >= subject.subgroupsFrom && c.members.length >= 8;
        let firstGroupTeacher: number | null = null;
        for (let group = grouped ? 1 : 0; group <= (grouped ? 2 : 0); group++) {
          const key = `${c.cohort}:${subjectIndex}:${group}`;
          let teacher: StaffMember;
          if (!grouped && wholeClassTeacher.has(specialty)) teacher = wholeClassTeacher.get(specialty)!;
          else teacher = chooseTeacher(specialty, c, group === 0 ? `${c.cohort}:${specialty}` : key, hours, firstGroupTeacher);
          if (!grouped) wholeClassTeacher.set(specialty, teacher);
          if (group === 1) firstGroupTeacher = teacher.id;
          this.previousTeacher.set(group === 0 ? `${c.cohort}:${specialty}` : key, teacher.id);
          hoursOf.set(teacher.id, (hoursOf.get(teacher.id) ?? 0) + hours);

          let subgroupId: number | null = null;
          let members = c.members;
          if (grouped) {
            subgroupId = this.nextId('subgroup');
            subgroupRows.push([subgroupId, c.id, this.subjectIds[subjectIndex]!, `${group} группа`]);
            members = this.groupMembers(c, subject, group, plan.firstSchoolDay);
            for (const m of members) memberRows.push([this.nextId('subgroup_member'), subgroupId, m.student.id, m.from, m.to]);
          }
          loads.push({
            id: this.nextId('teaching_load'), classYear: c, subject, subjectIndex, subgroupId, groupNumber: group,
            teacherId: teacher.id,
            alternatives: specialty === 'primary' ? [] : this.teachersBySpecialty.get(specialty)!.map((t) => t.id),
            hours, members, memberSet: new Set(members), weekdays: new Set(), lessonsGiven: 0,
          });
        }
      });
    }

    // The weekly timetable from the loads.
    const unitsByClass = classes.map((c) => {
      const units: Array<TimetableUnit<Load>> = [];
      const bySubject = new Map<number, Load[]>();
      for (const load of loads) if (load.classYear === c) bySubject.set(load.subjectIndex, [...(bySubject.get(load.subjectIndex) ?? []), load]);
      for (const [subjectIndex, subjectLoads] of bySubject) {
        for (let h = 0; h < subjectLoads[0]!.hours; h++) units.push({ classKey: c.id, subjectKey: subjectIndex, loads: subjectLoads });
      }
      return units;
    });
    const timetable = buildTimetable(unitsByClass, random);
    this.unplacedHours += timetable.unplaced;
    for (const p of timetable.placements) p.load.weekdays.add(p.weekday);
    // Teachers may have changed while the timetable was built: remember the final ones.
    for (const load of loads) {
      const key = load.groupNumber === 0 ? `${load.classYear.cohort}:${load.subject.specialty(load.classYear.grade)}` : `${load.classYear.cohort}:${load.subjectIndex}:${load.groupNumber}`;
      this.previousTeacher.set(key, load.teacherId);
    }
    this.yearPlacements = timetable.placements;

    await this.out.insert('subgroup', ['id', 'class_id', 'subject_id', 'name'], subgroupRows);
    await this.out.insert('subgroup_member', ['id', 'subgroup_id', 'student_id', 'from_date', 'to_date'], memberRows);
    await this.out.insert('teaching_load', ['id', 'year_id', 'class_id', 'subject_id', 'subgroup_id', 'teacher_id', 'hours_per_week'],
      loads.map((l) => [l.id, yearId, l.classYear.id, this.subjectIds[l.subjectIndex]!, l.subgroupId, l.teacherId, l.hours]));
    const staffById = new Map(this.staff.map((s) => [s.id, s]));
    const entries = [...timetable.placements].sort((a, b) => a.load.id - b.load.id || a.weekday - b.weekday || a.lessonNumber - b.lessonNumber);
    await this.out.insert('timetable_entry', ['id', 'load_id', 'weekday', 'lesson_number', 'room', 'valid_from', 'valid_to'],
      entries.map((e) => {
        const teacher = staffById.get(e.load.teacherId)!;
        const room = teacher.specialty === 'primary' ? e.load.classYear.room : teacher.room;
        return [this.nextId('timetable_entry'), e.load.id, e.weekday, e.lessonNumber, room, plan.startsOn, plan.endsOn];
      }));
    return loads;
  }

  /** English and informatics groups split the class list in half; labour lessons split boys and girls. */
  private groupMembers(c: ClassYear, subject: SubjectPlan, group: number, firstSchoolDay: string): Membership[] {
    if (subject.name === 'Труд (технология)') {
      const boys = c.members.filter((m) => m.student.person.gender === 'м');
      const girls = c.members.filter((m) => m.student.person.gender === 'ж');
      if (boys.length >= 3 && girls.length >= 3) return group === 1 ? boys : girls;
    }
    const atStart = c.members.filter((m) => m.from === firstSchoolDay);
    const firstHalf = new Set(atStart.slice(0, Math.ceil(atStart.length / 2)));
    const newcomers = c.members.filter((m) => m.from !== firstSchoolDay);
    return c.members.filter((m) => {
      if (m.from !== firstSchoolDay) return newcomers.indexOf(m) % 2 === (group === 1 ? 1 : 0); // alternate groups
      return firstHalf.has(m) === (group === 1);
    });
  }

  // -------------------------------------------------------------------------------------
  // The journal: lessons of every past school day, marks, absences, finals

  /**
   * The КТП of every load (D-15), approved before the year: one row per lesson of the year —
   * weekly hours × teaching weeks — with the topic its lesson gets, by teaching week.
   */
  private async createPlans(
    plan: YearPlan, yearId: number, loads: Load[], allDays: string[],
    lessonTopic: (load: Load, lessonIndex: number) => { topic: string; isControl: boolean; section: string },
  ): Promise<Map<Load, number[]>> {
    const ids = new Map<Load, number[]>();
    const planRows: Array<Array<string | number | null>> = [];
    const rowRows: Array<Array<string | number | null>> = [];
    const firstMonday = weekMonday(plan.startsOn, 1);
    const weekOf = (date: string) => Math.floor(daysBetween(firstMonday, date) / 7) + 1;
    const weeksByGrade = new Map<number, number[]>();
    const teachingWeeksOf = (grade: number) => {
      let weeks = weeksByGrade.get(grade);
      if (!weeks) {
        const periods = plan.periods.filter((p) => grade >= p.gradeFrom && grade <= p.gradeTo);
        weeks = [...new Set(allDays.filter((d) => periods.some((p) => p.startsOn <= d && d <= p.endsOn)).map(weekOf))];
        weeksByGrade.set(grade, weeks);
      }
      return weeks;
    };
    const decidedAt = instantAt(`${plan.startYear}-08-31`, 10 * 60);
    for (const load of loads) {
      const planId = this.nextId('plan');
      planRows.push([planId, load.id, yearId, 'approved', '', '', decidedAt, load.teacherId, decidedAt, null, decidedAt, load.teacherId, decidedAt, load.teacherId, 1]);
      const weeks = teachingWeeksOf(load.classYear.grade);
      const periods = plan.periods.filter((p) => load.classYear.grade >= p.gradeFrom && load.classYear.grade <= p.gradeTo);
      const count = curriculumHours(load.hours, teachingWeeks(periods.map((p) => ({ starts_on: p.startsOn, ends_on: p.endsOn })), plan.holidays.map((h) => ({ starts_on: h.startsOn, ends_on: h.endsOn }))));
      const rowIds: number[] = [];
      for (let i = 0; i < count; i++) {
        const rowId = this.nextId('plan_row');
        rowIds.push(rowId);
        const { topic, isControl, section } = lessonTopic(load, i);
        const week = weeks[Math.min(weeks.length - 1, Math.floor(i / Math.max(1, load.hours)))] ?? null;
        rowRows.push([rowId, planId, i + 1, section, topic, 1, null, week, isControl ? 1 : 0, null, homeworkText(load.subject.homework, i, (n) => i % n)]);
      }
      ids.set(load, rowIds);
    }
    await this.out.insert('plan', ['id', 'load_id', 'year_id', 'status', 'hours_note', 'review_comment', 'submitted_at', 'submitted_by', 'decided_at', 'decided_by', 'created_at', 'created_by', 'updated_at', 'updated_by', 'version'], planRows);
    for (let at = 0; at < rowRows.length; at += 20_000) {
      await this.out.insert('plan_row', ['id', 'plan_id', 'number', 'section', 'topic', 'hours', 'planned_date', 'planned_week', 'control_work', 'work_type_id', 'homework'], rowRows.slice(at, at + 20_000));
    }
    return ids;
  }

  private async createJournal(
    plan: YearPlan, yearId: number, classes: ClassYear[], loads: Load[], allDays: string[], pastDays: string[],
    periodIds: Map<PeriodPlan, number>, random: Random,
  ): Promise<void> {
    const { today } = this.settings;
    const staffById = new Map(this.staff.map((s) => [s.id, s]));
    const busyAt = new Set(this.yearPlacements.map((p) => `${p.load.teacherId}:${p.weekday}:${p.lessonNumber}`));
    const entriesByClassDay = new Map<ClassYear, Array<Array<{ load: Load; lessonNumber: number }>>>();
    for (const c of classes) entriesByClassDay.set(c, Array.from({ length: 6 }, () => []));
    for (const p of this.yearPlacements) entriesByClassDay.get(p.load.classYear)![p.weekday]!.push({ load: p.load, lessonNumber: p.lessonNumber });
    for (const days of entriesByClassDay.values()) for (const list of days) list.sort((a, b) => a.lessonNumber - b.lessonNumber || (a.load.groupNumber - b.load.groupNumber));

    // Whole-day absences: illness spells of several days, and single excused days.
    const dayAbsence = new Map<number, Map<string, string>>();
    const dayIndex = new Map(allDays.map((d, i) => [d, i]));
    for (const c of classes) {
      for (const m of c.members) {
        const days = new Map<string, string>();
        const spells = random.weighted([[0, 0.25], [1, 0.35], [2, 0.27], [3, 0.13]] as const);
        for (let s = 0; s < spells; s++) {
          const start = random.int(0, allDays.length - 1);
          const length = random.int(3, 8);
          for (let i = start; i < Math.min(allDays.length, start + length); i++) days.set(allDays[i]!, 'Б');
        }
        const excused = random.int(0, 4);
        for (let s = 0; s < excused; s++) days.set(random.pick(allDays), random.chance(0.85) ? 'УП' : 'НП');
        if (days.size > 0) dayAbsence.set(m.student.id, days);
      }
    }
    // The class teacher has not yet turned every «ОТ» of the last two days into a reason (D-28).
    const unresolvedSince = pastDays.length >= 2 ? pastDays[pastDays.length - 2]! : '9999-12-31';
    const recentDays = new Set(pastDays.slice(-5));

    const periodsFor = (grade: number) => plan.periods.filter((p) => grade >= p.gradeFrom && grade <= p.gradeTo);
    const periodIndexOf = (periods: PeriodPlan[], date: string) => periods.findIndex((p) => date >= p.startsOn && date <= p.endsOn);
    // Weighted sums per load, student and period for the finals.
    const sums = new Map<Load, Map<number, Array<[number, number]>>>();
    const markCounts = new Map<Load, Map<number, number>>();
    for (const load of loads) {
      sums.set(load, new Map());
      markCounts.set(load, new Map());
    }
    const weightOf = workTypes.map((w) => w.weight);

    let lessonRows: Array<Array<string | number | null>> = [];
    let markRows: Array<Array<string | number | null>> = [];
    let attendanceRows: Array<Array<string | number | null>> = [];
    let written = { lessons: 0, marks: 0, attendance: 0 };
    const lessonColumns = ['id', 'load_id', 'date', 'lesson_number', 'topic', 'homework', 'homework_for', 'work_types', 'given_by', 'substitution', 'created_at', 'created_by', 'topic_entered_at', 'homework_entered_at'] as const;
    const markColumns = ['id', 'lesson_id', 'student_id', 'value', 'work_type_id', 'created_at', 'created_by', 'updated_at', 'updated_by'] as const;
    const flush = async () => {
      const withLateness = this.lateness ? ([...lessonColumns, 'topic_late', 'homework_late'] as const) : lessonColumns;
      await this.out.insert('lesson', this.withPlans ? [...withLateness, 'plan_row_id'] : withLateness, lessonRows);
      await this.out.insert('mark', this.lateness ? [...markColumns, 'late'] : markColumns, markRows);
      await this.out.insert('attendance', ['lesson_id', 'student_id', 'code', 'updated_at', 'updated_by'], attendanceRows);
      written = { lessons: written.lessons + lessonRows.length, marks: written.marks + markRows.length, attendance: written.attendance + attendanceRows.length };
      lessonRows = [];
      markRows = [];
      attendanceRows = [];
    };

    const nextLessonDate = (load: Load, date: string): string | null => {
      for (let i = (dayIndex.get(date) ?? allDays.length) + 1; i < allDays.length; i++) {
        if (load.weekdays.has(weekday(allDays[i]!))) return allDays[i]!;
      }
      return null;
    };

    /** The topic of a load's n-th lesson: the topic list spread over the year like a КТП, control works every few lessons. */
    const lessonTopic = (load: Load, lessonIndex: number) => {
      const c = load.classYear;
      const subject = load.subject;
      const topics = topicsFor(subject, c.grade);
      // Parallel grades start at different points of the list.
      const lessonsPerTopic = (load.hours * 33) / topics.length;
      const topicNumber = Math.floor(lessonIndex / lessonsPerTopic);
      const baseTopic = topics[(topicNumber + c.grade * 5) % topics.length]!;
      const lessonOfTopic = lessonIndex - Math.ceil(topicNumber * lessonsPerTopic);
      const cycle = load.hours >= 4 ? 12 : load.hours >= 2 ? 9 : 7;
      const marksAllowed = c.grade >= 2 && !subject.noMarks;
      const writtenSubject = subject.homework !== 'none' && subject.homework !== 'creative';
      const isControl = marksAllowed && writtenSubject && lessonIndex % cycle === cycle - 1;
      let controlType: WorkTypeKey = load.hours <= 1 ? 'test' : 'control';
      if (isControl && subject.name === 'Русский язык') controlType = lessonIndex % (cycle * 3) === cycle - 1 && c.grade >= 5 ? 'essay' : lessonIndex % (cycle * 2) === cycle - 1 ? 'dictation' : 'control';
      if (isControl && subject.name === 'Литература') controlType = 'essay';
      const theme = topicNumber >= topics.length ? `Повторение. ${baseTopic}` : baseTopic;
      const topic = isControl
        ? `${controlType === 'dictation' ? 'Контрольный диктант' : controlType === 'essay' ? (subject.name === 'Литература' ? 'Сочинение' : 'Изложение') : controlType === 'test' ? 'Тест' : 'Контрольная работа'} по теме «${baseTopic}»`
        : lessonOfTopic <= 0 ? theme : `${theme}. ${followUps(subject)[(lessonOfTopic - 1) % followUps(subject).length]}`;
      return { topic, isControl, controlType, marksAllowed, writtenSubject, section: baseTopic };
    };
    const planRowIds = this.withPlans ? await this.createPlans(plan, yearId, loads, allDays, lessonTopic) : new Map<Load, number[]>();

    for (const date of pastDays) {
      const day = weekday(date);
      const recent = recentDays.has(date);
      for (const c of classes) {
        const present = c.members.filter((m) => m.from <= date && (m.to === null || date < m.to));
        const entries = entriesByClassDay.get(c)![day]!;
        let firstLessonOfDay = true;
        for (const { load, lessonNumber } of entries) {
          const lessonId = this.nextId('lesson');
          const lessonIndex = load.lessonsGiven++;
          const subject = load.subject;
          const teacher = load.teacherId;
          const lessonEnd = minutesOf(bells[lessonNumber - 1]![1]);

          // Rarely a colleague free at that hour stands in, and the lesson says so.
          let givenBy = teacher;
          let substitution = 0;
          if (random.chance(0.004)) {
            const specialty = staffById.get(teacher)!.specialty;
            const free = this.staff.filter((s) => s.specialty && s.id !== teacher && (s.specialty === specialty || specialty === 'primary') && !busyAt.has(`${s.id}:${day}:${lessonNumber}`));
            if (free.length > 0) {
              givenBy = random.pick(free).id;
              substitution = 1;
            }
          }

          // Topic and homework; control works every few lessons (the same as the load's КТП row).
          const { topic: plannedTopic, isControl, controlType, marksAllowed, writtenSubject } = lessonTopic(load, lessonIndex);
          let topic = plannedTopic;
          let homework = homeworkText(subject.homework, lessonIndex, (n) => random.int(0, n - 1));
          let topicAt: string | null = instantAt(date, lessonEnd + random.int(2, 60));
          let homeworkAt: string | null = homework ? instantAt(date, lessonEnd + random.int(5, 80)) : null;
          // Timeliness (D-18): mostly on time, a few entered a day or more later.
          // A late entry is one made on a later day (src-shared/rules/lateness.ts).
          let topicLate = 0;
          let homeworkLate = 0;
          if (random.chance(0.03)) {
            const late = addDays(date, random.int(1, 3));
            if (late < today) {
              topicAt = instantAt(late, random.int(15 * 60, 21 * 60));
              topicLate = 1;
            }
          }
          if (homework && random.chance(0.04)) {
            const late = addDays(date, random.int(1, 2));
            if (late < today) {
              homeworkAt = instantAt(late, random.int(15 * 60, 21 * 60));
              homeworkLate = 1;
            }
          }
          // The last days of the current year still have gaps for the deputy to find.
          if (recent && random.chance(0.03)) {
            topic = '';
            topicAt = null;
            topicLate = 0;
          }
          if (recent && homework && random.chance(0.05)) {
            homework = '';
            homeworkAt = null;
            homeworkLate = 0;
          }
          const createdAt = topicAt ?? instantAt(date, lessonEnd + random.int(2, 30));

          // Attendance of the lesson's students.
          const students = load.subgroupId === null ? present : present.filter((m) => load.memberSet.has(m));
          const here: Student[] = [];
          for (const m of students) {
            const s = m.student;
            let code = dayAbsence.get(s.id)?.get(date) ?? null;
            if (!code) {
              const roll = random.next();
              if (roll < 0.002) code = 'НП';
              else if (roll < 0.006) code = 'УП';
              else if (roll < (firstLessonOfDay ? 0.028 : 0.009)) code = 'ОП';
            }
            if (code && code !== 'ОП') {
              const resolved = date < unresolvedSince || random.chance(0.5);
              attendanceRows.push([lessonId, s.id, resolved ? code : 'ОТ', resolved ? instantAt(date, 16 * 60 + random.int(0, 120)) : instantAt(date, lessonEnd), resolved ? c.classTeacher.id : givenBy]);
              continue;
            }
            if (code === 'ОП') attendanceRows.push([lessonId, s.id, 'ОП', instantAt(date, lessonEnd), givenBy]);
            here.push(s);
          }
          firstLessonOfDay = false;

          // Marks: the whole class on a control work, a few students otherwise.
          const usedTypes = new Set<number>();
          if (marksAllowed && here.length > 0) {
            const periods = periodsFor(c.grade);
            const periodIndex = periodIndexOf(periods, date);
            const counts = markCounts.get(load)!;
            let marked: Student[];
            if (isControl) {
              marked = here;
            } else {
              // More marks a lesson where there are few lessons a week, so everyone has some.
              const howMany = Math.min(here.length, random.int(2, 6) + (load.hours <= 1 ? 3 : 0));
              marked = here
                .map((s) => [s, (counts.get(s.id) ?? 0) + random.next() * 1.5] as const)
                .sort((a, b) => a[1] - b[1])
                .slice(0, howMany)
                .map(([s]) => s);
            }
            const lessonTypes: WorkTypeKey[] = isControl
              ? [controlType]
              : writtenSubject
                ? [random.weighted([['oral', 0.55], ['homework', 0.2], ['independent', 0.13], ['test', 0.08], ['project', 0.04]] as const)]
                : ['oral'];
            if (!isControl && writtenSubject && random.chance(0.3)) lessonTypes.push('oral');
            for (const s of marked) {
              const type = lessonTypes[marked.indexOf(s) % lessonTypes.length]!;
              const typeIndex = workTypeIndex.get(type)!;
              const level = s.ability + s.subjectBias[load.subjectIndex]! + random.normal() * 0.6 - (isControl ? 0.2 : 0);
              const value = Math.max(2, Math.min(5, Math.round(level)));
              const due = workTypes[typeIndex]!.dueDays;
              // Written work is checked within its due days (the lesson's day is the first); a few late.
              let markDate = due <= 1 ? date : addDays(date, random.int(0, due - 1));
              if (due > 1 && random.chance(0.03)) markDate = addDays(date, due - 1 + random.int(1, 4));
              if (markDate >= today) markDate = date;
              const markLate = markDate > addDays(date, Math.max(1, due) - 1) ? 1 : 0;
              const at = instantAt(markDate, markDate === date ? lessonEnd + random.int(1, 90) : random.int(15 * 60, 21 * 60));
              const markRow: Array<string | number> = [this.nextId('mark'), lessonId, s.id, String(value), this.workTypeIds[typeIndex]!, at, givenBy, at, givenBy];
              if (this.lateness) markRow.push(markLate);
              markRows.push(markRow);
              usedTypes.add(this.workTypeIds[typeIndex]!);
              counts.set(s.id, (counts.get(s.id) ?? 0) + 1);
              if (periodIndex >= 0) {
                const perStudent = sums.get(load)!;
                let bins = perStudent.get(s.id);
                if (!bins) perStudent.set(s.id, (bins = periods.map(() => [0, 0] as [number, number])));
                bins[periodIndex]![0] += weightOf[typeIndex]!;
                bins[periodIndex]![1] += weightOf[typeIndex]! * value;
              }
            }
          }
          const lessonRow: Array<string | number | null> = [
            lessonId, load.id, date, lessonNumber, topic, homework, homework ? nextLessonDate(load, date) : null,
            JSON.stringify([...usedTypes].sort((a, b) => a - b)), givenBy, substitution, createdAt, givenBy, topicAt, homeworkAt,
          ];
          if (this.lateness) lessonRow.push(topicLate, homeworkLate);
          // A lesson whose topic was entered took it from the КТП row of its number.
          if (this.withPlans) lessonRow.push(topic ? (planRowIds.get(load)?.[lessonIndex] ?? null) : null);
          lessonRows.push(lessonRow);
        }
      }
      if (markRows.length > 30_000) await flush();
    }
    await flush();
    this.progress(`${plan.name}: ${count(written.lessons)} уроков, ${count(written.marks)} отметок, ${count(written.attendance)} отметок посещаемости`);

    await this.createFinals(plan, loads, periodIds, sums, random);
  }

  /** Period finals for finished periods from the weighted average; year finals for a finished year. */
  private async createFinals(
    plan: YearPlan, loads: Load[], periodIds: Map<PeriodPlan, number>,
    sums: Map<Load, Map<number, Array<[number, number]>>>, random: Random,
  ): Promise<void> {
    const { today } = this.settings;
    const finalRows: Array<Array<string | number | null>> = [];
    const lockRows: Array<Array<string | number | null>> = [];
    const yearFinished = plan.lastSchoolDay < today;
    for (const load of loads) {
      const grade = load.classYear.grade;
      if (grade < 2) continue; // D-19: no marks, no finals
      const periods = plan.periods.filter((p) => grade >= p.gradeFrom && grade <= p.gradeTo);
      const perStudent = sums.get(load)!;
      const yearValues = new Map<number, number[]>();
      periods.forEach((period, index) => {
        if (period.endsOn >= today) return;
        const at = instantAt(period.endsOn, 16 * 60 + random.int(0, 150));
        for (const m of load.members) {
          if (m.from > period.endsOn || (m.to !== null && m.to <= period.endsOn)) continue;
          let value: string;
          let suggested: string;
          if (load.subject.noMarks) {
            value = 'зач';
            suggested = '';
          } else {
            const bin = perStudent.get(m.student.id)?.[index];
            if (!bin || bin[0] === 0) {
              value = 'н/а';
              suggested = '';
            } else {
              const average = bin[1] / bin[0];
              const rounded = Math.min(5, Math.max(2, Math.floor(average + 0.5)));
              suggested = String(rounded);
              // Near the half the teacher sometimes decides the other way.
              const fraction = average - Math.floor(average);
              value = fraction > 0.4 && fraction < 0.6 && random.chance(0.15) ? String(Math.min(5, Math.max(2, fraction >= 0.5 ? rounded - 1 : rounded + 1))) : suggested;
              const list = yearValues.get(m.student.id) ?? [];
              list.push(Number(value));
              yearValues.set(m.student.id, list);
            }
          }
          finalRows.push([this.nextId('final_mark'), load.id, m.student.id, 'period', periodIds.get(period)!, value, suggested, 0, at, load.teacherId]);
        }
        lockRows.push([this.nextId('period_lock'), load.id, periodIds.get(period)!, at, load.teacherId]);
      });
      if (yearFinished) {
        const at = instantAt(plan.lastSchoolDay, 17 * 60 + random.int(0, 60));
        for (const m of load.members) {
          if (m.to !== null) continue;
          if (load.subject.noMarks) {
            finalRows.push([this.nextId('final_mark'), load.id, m.student.id, 'year', null, 'зач', '', 0, at, load.teacherId]);
            continue;
          }
          const values = yearValues.get(m.student.id);
          if (!values || values.length === 0) continue;
          const average = values.reduce((a, b) => a + b, 0) / values.length;
          const value = String(Math.min(5, Math.max(2, Math.floor(average + 0.5))));
          finalRows.push([this.nextId('final_mark'), load.id, m.student.id, 'year', null, value, value, 0, at, load.teacherId]);
        }
      }
    }
    await this.out.insert('final_mark', ['id', 'load_id', 'student_id', 'kind', 'period_id', 'value', 'suggested', 'deferred', 'updated_at', 'updated_by'], finalRows);
    await this.out.insert('period_lock', ['id', 'load_id', 'period_id', 'locked_at', 'locked_by'], lockRows);
    if (finalRows.length > 0) this.progress(`${plan.name}: ${count(finalRows.length)} итоговых отметок`);
  }

  // -------------------------------------------------------------------------------------

  /** Accounts to try first: their notes say who they are and where to look. */
  private sampleAccounts(): DemoAccount[] {
    const { today } = this.settings;
    const classOf = new Map<number, ClassYear>();
    for (const c of this.currentClasses) if (!classOf.has(c.classTeacher.id)) classOf.set(c.classTeacher.id, c);
    const describe = (s: StaffMember) => {
      const led = classOf.get(s.id);
      return led ? `${s.position}, классный руководитель ${led.name}` : s.position;
    };
    const account = (s: StaffMember, note: string): DemoAccount => ({ login: s.login, fullName: fullName(s.person), roles: s.roles, note });

    // A maths teacher with lessons today (or on Monday when today is no school day), preferably a class teacher.
    const schoolToday = this.currentPlan !== null && schoolDays(this.currentPlan, today, today).length === 1;
    const day = schoolToday ? weekday(today) : 1;
    const lessonsToday = new Map<number, number>();
    for (const p of this.yearPlacements) if (p.weekday === day) lessonsToday.set(p.load.teacherId, (lessonsToday.get(p.load.teacherId) ?? 0) + 1);
    const mathTeachers = (this.teachersBySpecialty.get('math') ?? []).filter((t) => (lessonsToday.get(t.id) ?? 0) > 0);
    const math = [...mathTeachers].sort((a, b) => Number(classOf.has(b.id)) - Number(classOf.has(a.id)) || (lessonsToday.get(b.id) ?? 0) - (lessonsToday.get(a.id) ?? 0) || a.id - b.id)[0]
      ?? this.teachersBySpecialty.get('math')?.[0];
    const middleClass = this.currentClasses.find((c) => c.grade >= 5 && c.grade <= 9 && c.classTeacher.id !== math?.id)
      ?? this.currentClasses.find((c) => c.classTeacher.id !== math?.id);

    const accounts = [account(this.administrator, 'Администратор электронного журнала: учётные записи, учебный год, расписание')];
    accounts.push(account(this.deputy, 'Заместитель директора по УВР: контроль заполнения журнала, отчёты'));
    if (math) {
      const todayNote = schoolToday && (lessonsToday.get(math.id) ?? 0) > 0 ? `; сегодня уроков: ${lessonsToday.get(math.id)}` : '';
      accounts.push(account(math, `${describe(math)}${todayNote}`));
    }
    if (middleClass) accounts.push(account(middleClass.classTeacher, describe(middleClass.classTeacher)));
    accounts.push(account(this.director, 'Директор: просмотр журнала и отчётов всей школы'));
    return accounts;
  }
}
