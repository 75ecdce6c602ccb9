import { sql, type RawBuilder } from 'kysely';
import { selectArrays, writeAtCommit, type Db, type Tx } from '../store/database';
import { preparedQuery } from '../store/prepared';
import { loadContextQuery, type LoadContext } from '../load/repository';
import { journalSettingsFrom, type JournalSettings } from '../../src-shared/rules/journal-settings';
import type { MarkView } from '../../src-shared/contract/journal';
import { studentLabels, type LabelOptions } from '../../src-shared/rules/student-labels';

// The journal's shared and hot queries (where queries live: docs/architecture.md, Domains).
// Reads that feed the page are one query per kind of row (no N+1): the page must open in a
// few milliseconds.

/** Loads a teacher teaches, or of classes they lead, or where they substitute (assigned, or gave a lesson). */
export async function loadsVisibleTo(db: Db, userId: number, everything: boolean): Promise<LoadContext[]> {
  let query = loadContextQuery(db).where('y.closed_at', 'is', null);
  if (!everything) {
    query = query.where((eb) =>
      eb.or([
        eb('tl.teacher_id', '=', userId),
        eb('c.class_teacher_id', '=', userId),
        eb.exists(eb.selectFrom('lesson as l').select('l.id').whereRef('l.load_id', '=', 'tl.id').where('l.given_by', '=', userId)),
        eb.exists(
          eb.selectFrom('substitution as r').select('r.id').whereRef('r.load_id', '=', 'tl.id').where('r.substitute_id', '=', userId).where('r.kind', 'in', ['subject', 'merge']).where('r.removed_at', 'is', null),
        ),
      ]),
    );
  }
  return query.orderBy('c.grade').orderBy('c.letter').orderBy('s.sort_order').orderBy('s.name').orderBy('sg.name').execute();
}

export async function gaveLessonIn(db: Db, loadId: number, userId: number): Promise<boolean> {
  const row = await db.selectFrom('lesson').select('id').where('load_id', '=', loadId).where('given_by', '=', userId).limit(1).executeTakeFirst();
  return Boolean(row);
}

export interface LessonRow {
  id: number;
  load_id: number;
  date: string;
  lesson_number: number | null;
  topic: string;
  material: string;
  homework: string;
  homework_for: string | null;
  work_types: string;
  comment: string;
  given_by: number;
  substitution: number;
  created_at: string;
  created_by: number;
  topic_entered_at: string | null;
  homework_entered_at: string | null;
  topic_late: number;
  homework_late: number;
  version: number;
}

export async function findLesson(db: Db, lessonId: number): Promise<LessonRow | undefined> {
  return db.selectFrom('lesson').selectAll().where('id', '=', lessonId).executeTakeFirst();
}

/** A lesson joined to its load's context; the queries below add their `where`. */
function lessonWithLoadQuery(db: Db) {
  return loadContextQuery(db)
    .innerJoin('lesson as l', 'l.load_id', 'tl.id')
    .select([
      'l.id as lesson_id',
      'l.date as lesson_date',
      'l.lesson_number as lesson_number',
      'l.topic as lesson_topic',
      'l.material as lesson_material',
      'l.homework as lesson_homework',
      'l.homework_for as lesson_homework_for',
      'l.work_types as lesson_work_types',
      'l.comment as lesson_comment',
      'l.given_by as lesson_given_by',
      'l.substitution as lesson_substitution',
      'l.created_at as lesson_created_at',
      'l.created_by as lesson_created_by',
      'l.topic_entered_at as lesson_topic_entered_at',
      'l.homework_entered_at as lesson_homework_entered_at',
      'l.topic_late as lesson_topic_late',
      'l.homework_late as lesson_homework_late',
      'l.version as lesson_version',
    ]);
}

type LessonWithLoadRow = Awaited<ReturnType<typeof lessonWithLoad>>[number];

function splitLessonAndLoad(row: LessonWithLoadRow): { lesson: LessonRow; load: LoadContext } {
  const lesson: LessonRow = {
    id: row.lesson_id,
    load_id: row.id,
    date: row.lesson_date,
    lesson_number: row.lesson_number,
    topic: row.lesson_topic,
    material: row.lesson_material,
    homework: row.lesson_homework,
    homework_for: row.lesson_homework_for,
    work_types: row.lesson_work_types,
    comment: row.lesson_comment,
    given_by: row.lesson_given_by,
    substitution: row.lesson_substitution,
    created_at: row.lesson_created_at,
    created_by: row.lesson_created_by,
    topic_entered_at: row.lesson_topic_entered_at,
    homework_entered_at: row.lesson_homework_entered_at,
    topic_late: row.lesson_topic_late,
    homework_late: row.lesson_homework_late,
    version: row.lesson_version,
  };
  const load: LoadContext = {
    id: row.id,
    year_id: row.year_id,
    class_id: row.class_id,
    subject_id: row.subject_id,
    subgroup_id: row.subgroup_id,
    teacher_id: row.teacher_id,
    class_name: row.class_name,
    grade: row.grade,
    no_marks: row.no_marks,
    class_teacher_id: row.class_teacher_id,
    subject_name: row.subject_name,
    subgroup_name: row.subgroup_name,
    teacher_name: row.teacher_name,
    year_closed_at: row.year_closed_at,
    year_starts_on: row.year_starts_on,
    year_ends_on: row.year_ends_on,
  };
  return { lesson, load };
}

const lessonWithLoad = preparedQuery((db, p: { lessonId: number }) => lessonWithLoadQuery(db).where('l.id', '=', p.lessonId));

/** A lesson with its load's context in one read. */
export async function findLessonWithLoad(db: Db, lessonId: number): Promise<{ lesson: LessonRow; load: LoadContext } | undefined> {
  const [row] = await lessonWithLoad(db, { lessonId });
  return row ? splitLessonAndLoad(row) : undefined;
}

/** What a page shows of its lessons (lessonView), read as arrays (see selectArrays). */
export async function lessonsOfLoad(db: Db, loadId: number, from: string, to: string) {
  const query = db
    .selectFrom('lesson as l')
    .innerJoin('app_user as u', 'u.id', 'l.given_by')
    .select(['l.id', 'l.load_id', 'l.date', 'l.lesson_number', 'l.topic', 'l.material', 'l.homework', 'l.homework_for', 'l.work_types', 'l.comment', 'l.given_by', 'l.substitution', 'l.topic_late', 'l.homework_late', 'l.version', 'u.full_name'])
    .where('l.load_id', '=', loadId)
    .where('l.date', '>=', from)
    .where('l.date', '<=', to)
    .orderBy('l.date')
    .orderBy('l.lesson_number')
    .orderBy('l.id');
  type LessonTuple = [number, number, string, number | null, string, string, string, string | null, string, string, number, number, number, number, number, string];
  const rows = await selectArrays<LessonTuple>(db, query);
  return rows.map(([id, load_id, date, lesson_number, topic, material, homework, homework_for, work_types, comment, given_by, substitution, topic_late, homework_late, version, given_by_name]) => ({
    id, load_id, date, lesson_number, topic, material, homework, homework_for, work_types, comment, given_by, substitution, topic_late, homework_late, version, given_by_name,
  }));
}

export type WorkTypeRow = Awaited<ReturnType<typeof workTypes>>[number];

export interface Environment {
  timeZone: string;
  settings: JournalSettings;
  /** Every work type, active or not, by id. */
  workTypes: ReadonlyMap<number, WorkTypeRow>;
}

/** The school's time zone, journal settings and work types (three tiny reads). */
export async function journalEnvironment(db: Db): Promise<Environment> {
  const [school, stored, types] = await Promise.all([
    db.selectFrom('school').select('time_zone').where('id', '=', 1).executeTakeFirst(),
    db.selectFrom('school_setting').select('value').where('key', '=', 'school').executeTakeFirst(),
    workTypes(db),
  ]);
  return {
    timeZone: school?.time_zone ?? 'Europe/Moscow',
    settings: journalSettingsFrom(stored ? JSON.parse(stored.value) : {}),
    workTypes: new Map(types.map((type) => [type.id, type])),
  };
}

export interface PeriodRow {
  id: number;
  name: string;
  kind: string;
  starts_on: string;
  ends_on: string;
}

export async function periodsOf(db: Db, yearId: number, grade: number): Promise<PeriodRow[]> {
  return db
    .selectFrom('study_period')
    .select(['id', 'name', 'kind', 'starts_on', 'ends_on'])
    .where('year_id', '=', yearId)
    .where('grade_from', '<=', grade)
    .where('grade_to', '>=', grade)
    .orderBy('starts_on')
    .execute();
}

export async function periodContaining(db: Db, yearId: number, grade: number, date: string): Promise<PeriodRow | undefined> {
  return db
    .selectFrom('study_period')
    .select(['id', 'name', 'kind', 'starts_on', 'ends_on'])
    .where('year_id', '=', yearId)
    .where('grade_from', '<=', grade)
    .where('grade_to', '>=', grade)
    .where('starts_on', '<=', date)
    .where('ends_on', '>=', date)
    .orderBy('starts_on')
    .executeTakeFirst();
}

/** The latest lock of a load's period; it holds while not reopened. */
export async function periodLockOf(db: Db, loadId: number, periodId: number) {
  return db
    .selectFrom('period_lock as p')
    .innerJoin('app_user as u', 'u.id', 'p.locked_by')
    .select(['p.id', 'p.locked_at', 'u.full_name as locked_by_name', 'p.reopened_at', 'p.reopen_reason'])
    .where('p.load_id', '=', loadId)
    .where('p.period_id', '=', periodId)
    .orderBy('p.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface StudentSpan {
  id: number;
  fullName: string;
  /** First and last day on this page's list (null: still there). */
  from: string;
  to: string | null;
}

const maxDate = (a: string, b: string) => (a > b ? a : b);
const earlierEnd = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
const laterEnd = (a: string | null, b: string | null) => (a === null || b === null ? null : a > b ? a : b);

/**
 * Students of the load's class — and subgroup — at some time between `from` and `to`.
 * A student who left keeps the dates, so their earlier marks stay on the page (D-13).
 */
export async function studentsOfLoad(
  db: Db,
  load: Pick<LoadContext, 'class_id' | 'subgroup_id'>,
  from: string,
  to: string,
  labels: LabelOptions = { birthDates: false },
): Promise<StudentSpan[]> {
  const rows = await (load.subgroup_id === null
    ? db
        .selectFrom('enrollment as e')
        .innerJoin('student as s', 's.id', 'e.student_id')
        .select(['s.id', 's.surname', 's.name', 's.patronymic', 's.birth_date', 'e.arrived_on as from', 'e.departed_on as to'])
        .where('e.class_id', '=', load.class_id)
        .where('e.arrived_on', '<=', to)
        .where((eb) => eb.or([eb('e.departed_on', 'is', null), eb('e.departed_on', '>=', from)]))
        .execute()
    : db
        .selectFrom('enrollment as e')
        .innerJoin('student as s', 's.id', 'e.student_id')
        .innerJoin('subgroup_member as m', (join) => join.onRef('m.student_id', '=', 'e.student_id').on('m.subgroup_id', '=', load.subgroup_id!))
        .select(['s.id', 's.surname', 's.name', 's.patronymic', 's.birth_date', 'e.arrived_on', 'e.departed_on', 'm.from_date', 'm.to_date'])
        .where('e.class_id', '=', load.class_id)
        .where('e.arrived_on', '<=', to)
        .where((eb) => eb.or([eb('e.departed_on', 'is', null), eb('e.departed_on', '>=', from)]))
        .where('m.from_date', '<=', to)
        .where((eb) => eb.or([eb('m.to_date', 'is', null), eb('m.to_date', '>=', from)]))
        .execute()
        .then((found) =>
          found
            .map((r) => ({ id: r.id, surname: r.surname, name: r.name, patronymic: r.patronymic, birth_date: r.birth_date, from: maxDate(r.arrived_on, r.from_date), to: earlierEnd(r.departed_on, r.to_date) }))
            .filter((r) => r.to === null || r.to >= r.from),
        ));
  // Namesakes on one page are told apart (the birth date only where the reader may see it).
  const once = new Map(rows.map((r) => [r.id, { id: r.id, surname: r.surname, name: r.name, patronymic: r.patronymic, birthDate: r.birth_date }]));
  const names = studentLabels([...once.values()], labels);
  const byStudent = new Map<number, StudentSpan & { sortKey: string }>();
  for (const row of rows) {
    const known = byStudent.get(row.id);
    if (known) {
      // Left and came back, or moved between subgroups and back: one row spanning both.
      known.from = known.from < row.from ? known.from : row.from;
      known.to = laterEnd(known.to, row.to);
    } else {
      byStudent.set(row.id, { id: row.id, fullName: names.get(row.id)!, from: row.from, to: row.to, sortKey: `${row.surname} ${row.name} ${row.patronymic}` });
    }
  }
  return [...byStudent.values()]
    .sort((a, b) => a.sortKey.localeCompare(b.sortKey, 'ru') || a.id - b.id)
    .map(({ sortKey: _sortKey, ...student }) => student);
}

/**
 * The student is on the list of the load `tl` on the date: enrolled in its class then, and
 * in its subgroup then if it has one. A condition over a query that reads `teaching_load as tl`.
 */
function onListOfLoad(studentId: number, date: string | RawBuilder<string>) {
  return sql<boolean | number>`exists (
    select 1 from enrollment e
    where e.student_id = ${studentId} and e.class_id = tl.class_id
      and e.arrived_on <= ${date} and (e.departed_on is null or e.departed_on >= ${date})
      and (tl.subgroup_id is null or exists (
        select 1 from subgroup_member m
        where m.subgroup_id = tl.subgroup_id and m.student_id = ${studentId}
          and m.from_date <= ${date} and (m.to_date is null or m.to_date >= ${date}))))`;
}

/** Is the student on this load's list on that date (class and subgroup)? */
export async function studentOnList(db: Db, load: Pick<LoadContext, 'id'>, studentId: number, date: string): Promise<boolean> {
  const row = await db.selectFrom('teaching_load as tl').select(onListOfLoad(studentId, date).as('on_list')).where('tl.id', '=', load.id).executeTakeFirst();
  return Boolean(Number(row?.on_list ?? 0)); // SQLite answers 0/1, PostgreSQL true/false
}

export type AttendanceRow = { lesson_id: number; student_id: number; code: string; version: number; updated_at: string; updated_by: number };

/** What a save into one cell must know about it, read in one query. */
export interface CellFacts {
  /** The student is on the load's list on the lesson's date. */
  onList: boolean;
  attendance: AttendanceRow | undefined;
  /** The lesson's period is closed (finals set, not reopened). */
  periodLocked: boolean;
}

/** 1 when the period of lesson `l` of load `tl` is closed (its latest lock not reopened), else 0 or null. */
const periodLockedOfLesson = () =>
  sql<number | null>`(select case when p.reopened_at is null then 1 else 0 end
    from period_lock p inner join study_period sp on sp.id = p.period_id
    where p.load_id = tl.id and sp.starts_on <= l.date and sp.ends_on >= l.date
    order by p.id desc limit 1)`;

/** A save into one cell, in one read: the lesson, its load's context, and the cell's facts. */
const cellQuery = preparedQuery((db, p: { lessonId: number; studentId: number }) =>
  lessonWithLoadQuery(db)
    .leftJoin('attendance as a', (join) => join.onRef('a.lesson_id', '=', 'l.id').on('a.student_id', '=', p.studentId))
    .select(['a.code as attendance_code', 'a.version as attendance_version', 'a.updated_at as attendance_updated_at', 'a.updated_by as attendance_updated_by'])
    .select([
      onListOfLoad(p.studentId, sql.ref('l.date')).as('on_list'),
      periodLockedOfLesson().as('period_locked'),
    ])
    .where('l.id', '=', p.lessonId),
);

export async function findCell(db: Db, lessonId: number, studentId: number): Promise<{ lesson: LessonRow; load: LoadContext; facts: CellFacts } | undefined> {
  const [row] = await cellQuery(db, { lessonId, studentId });
  if (!row) return undefined;
  const attendance: AttendanceRow | undefined =
    row.attendance_code != null
      ? { lesson_id: lessonId, student_id: studentId, code: row.attendance_code, version: row.attendance_version!, updated_at: row.attendance_updated_at!, updated_by: row.attendance_updated_by! }
      : undefined;
  // SQLite answers 0/1, PostgreSQL true/false.
  const facts = { onList: Boolean(Number(row.on_list)), attendance, periodLocked: Number(row.period_locked ?? 0) === 1 };
  return { ...splitLessonAndLoad(row), facts };
}

export async function studentName(db: Db, studentId: number): Promise<string | null> {
  const row = await db.selectFrom('student').select(['surname', 'name']).where('id', '=', studentId).executeTakeFirst();
  return row ? `${row.surname} ${row.name}` : null;
}

export async function workTypes(db: Db) {
  return db.selectFrom('work_type').select(['id', 'name', 'weight', 'mark_due_days', 'active']).orderBy('sort_order').orderBy('name').execute();
}

export async function findWorkType(db: Db, id: number) {
  return db.selectFrom('work_type').select(['id', 'name', 'weight', 'mark_due_days', 'active']).where('id', '=', id).executeTakeFirst();
}

/** A page's marks, as the contract shows them, each with its work type's weight. */
export async function marksOfLoad(db: Db, loadId: number, from: string, to: string, weightOf: (workTypeId: number) => number): Promise<MarkView[]> {
  const query = db
    .selectFrom('mark as m')
    .innerJoin('lesson as l', 'l.id', 'm.lesson_id')
    .select(['m.id', 'm.lesson_id', 'm.student_id', 'm.value', 'm.work_type_id', 'm.comment', 'm.make_up', 'm.late', 'm.version'])
    .where('l.load_id', '=', loadId)
    .where('l.date', '>=', from)
    .where('l.date', '<=', to);
  // A page holds a thousand marks and more: read as arrays (see selectArrays) and shaped
  // here once; put in order here too — SQLite's sorter copies every row, costing more than the read.
  type MarkTuple = [number, number, number, string, number, string, number, number, number];
  const rows = (await selectArrays<MarkTuple>(db, query)).sort((a, b) => a[0] - b[0]);
  return rows.map(([id, lessonId, studentId, value, workTypeId, comment, makeUp, late, version]) => ({
    id,
    lessonId,
    studentId,
    value,
    workTypeId,
    weight: weightOf(workTypeId),
    comment,
    makeUp: makeUp === 1,
    late: late === 1,
    version,
  }));
}

export async function attendanceOfLoad(db: Db, loadId: number, from: string, to: string) {
  return db
    .selectFrom('attendance as a')
    .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
    .select(['a.lesson_id', 'a.student_id', 'a.code', 'a.version'])
    .where('l.load_id', '=', loadId)
    .where('l.date', '>=', from)
    .where('l.date', '<=', to)
    .execute();
}

/** Finals of the period and those not tied to a period (year, exam, final). */
export async function finalsOfLoad(db: Db, loadId: number, periodId: number | null) {
  return db
    .selectFrom('final_mark')
    .select(['id', 'student_id', 'kind', 'period_id', 'value', 'suggested', 'deferred', 'version'])
    .where('load_id', '=', loadId)
    .where((eb) => (periodId === null ? eb('period_id', 'is', null) : eb.or([eb('period_id', '=', periodId), eb('period_id', 'is', null)])))
    .execute();
}

export async function allPeriodFinalsOf(db: Db, loadId: number, studentId: number) {
  return db.selectFrom('final_mark').select(['value', 'period_id']).where('load_id', '=', loadId).where('student_id', '=', studentId).where('kind', '=', 'period').execute();
}

export async function findFinal(db: Db, loadId: number, studentId: number, kind: string, periodId: number | null) {
  return db
    .selectFrom('final_mark')
    .selectAll()
    .where('load_id', '=', loadId)
    .where('student_id', '=', studentId)
    .where('kind', '=', kind)
    .where((eb) => (periodId === null ? eb('period_id', 'is', null) : eb('period_id', '=', periodId)))
    .executeTakeFirst();
}

export async function findMark(db: Db, markId: number) {
  return db.selectFrom('mark').selectAll().where('id', '=', markId).executeTakeFirst();
}

export async function findAttendance(db: Db, lessonId: number, studentId: number) {
  return db.selectFrom('attendance').selectAll().where('lesson_id', '=', lessonId).where('student_id', '=', studentId).executeTakeFirst();
}

/** Marks of one student on one load in a date range, with weights: for the suggested final. */
export async function studentMarksWithWeights(db: Db, loadId: number, studentId: number, from: string, to: string) {
  return db
    .selectFrom('mark as m')
    .innerJoin('lesson as l', 'l.id', 'm.lesson_id')
    .innerJoin('work_type as w', 'w.id', 'm.work_type_id')
    .select(['m.value', 'w.weight'])
    .where('l.load_id', '=', loadId)
    .where('m.student_id', '=', studentId)
    .where('l.date', '>=', from)
    .where('l.date', '<=', to)
    .execute();
}

/** When the class's last lesson of the day ends by the timetable (D-18), or null without one. */
export async function lastLessonEnd(db: Db, classId: number, date: string, weekday: number): Promise<string | null> {
  const row = await db
    .selectFrom('timetable_entry as t')
    .innerJoin('teaching_load as tl', 'tl.id', 't.load_id')
    .innerJoin('bell as b', 'b.lesson_number', 't.lesson_number')
    .select((eb) => eb.fn.max('b.ends_at').as('ends_at'))
    .where('tl.class_id', '=', classId)
    .where('t.weekday', '=', weekday)
    .where('t.valid_from', '<=', date)
    .where((eb) => eb.or([eb('t.valid_to', 'is', null), eb('t.valid_to', '>=', date)]))
    .executeTakeFirst();
  return row?.ends_at ?? null;
}

/** Who changed an entity last, from the audit log (one indexed read). */
export async function lastChangeOf(db: Db, entities: string[], entityId: string) {
  const row = await db
    .selectFrom('audit_log as a')
    .leftJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['a.user_id', 'u.full_name', 'a.at'])
    .where('a.entity', 'in', entities)
    .where('a.entity_id', '=', entityId)
    .orderBy('a.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return { userId: row?.user_id ?? null, name: row?.full_name ?? null, at: row?.at ?? null };
}

export async function userName(db: Db, userId: number): Promise<string | null> {
  return (await db.selectFrom('app_user').select('full_name').where('id', '=', userId).executeTakeFirst())?.full_name ?? null;
}

const parseJson = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

/** A cell's history, newest first: one indexed query on (entity, entity_id). */
export async function historyOf(db: Db, entities: string[], entityId: string) {
  const rows = await db
    .selectFrom('audit_log as a')
    .leftJoin('app_user as u', 'u.id', 'a.user_id')
    .select(['a.id', 'a.at', 'a.user_id', 'u.full_name', 'a.action', 'a.entity', 'a.entity_id', 'a.before_json', 'a.after_json', 'a.reason'])
    .where('a.entity', 'in', entities)
    .where('a.entity_id', '=', entityId)
    .orderBy('a.id', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    userId: r.user_id,
    userName: r.full_name,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: parseJson(r.before_json),
    after: parseJson(r.after_json),
    reason: r.reason,
  }));
}

// ── idempotency ────────────────────────────────────────────────────────────────────────

export async function findIdempotent(db: Db, userId: number, key: string) {
  return db.selectFrom('journal_idempotency').select(['method', 'result']).where('user_id', '=', userId).where('key', '=', key).executeTakeFirst();
}

/** Stores a save's answer under its key; with `forgetBefore`, also drops keys older than that. */
export async function rememberIdempotent(tx: Tx, entry: { userId: number; key: string; method: string; result: unknown; at: string; forgetBefore: string | null }) {
  // A key used twice fails the commit (a retry of an applied save): saveOnce then answers from the stored result.
  await writeAtCommit(tx, tx.insertInto('journal_idempotency').values({ user_id: entry.userId, key: entry.key, method: entry.method, result: JSON.stringify(entry.result), created_at: entry.at }));
  // Keys live a few days: long enough for any retry, short enough to keep the table small.
  if (entry.forgetBefore) await tx.deleteFrom('journal_idempotency').where('created_at', '<', entry.forgetBefore).execute();
}

/** A UNIQUE or PRIMARY KEY violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export { sql };

/** Is the load's period that contains `date` closed (finals set, not reopened)? */
export async function periodLockedOn(db: Db, loadId: number, date: string): Promise<boolean> {
  const row = await db
    .selectFrom('period_lock as p')
    .innerJoin('study_period as sp', 'sp.id', 'p.period_id')
    .select(['p.reopened_at'])
    .where('p.load_id', '=', loadId)
    .where('sp.starts_on', '<=', date)
    .where('sp.ends_on', '>=', date)
    .orderBy('p.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return Boolean(row) && row!.reopened_at === null;
}

// ── a batch of cells, read at once ─────────────────────────────────────────────────────
// A backlog sent in one batch (the outbox after an outage) is checked cell by cell against
// the same facts findCell reads, but read for all its cells in a few queries.

/** Several lessons with their loads' context, and whether each one's period is closed. */
export async function findLessonsWithLoads(db: Db, lessonIds: readonly number[]): Promise<Map<number, { lesson: LessonRow; load: LoadContext; periodLocked: boolean }>> {
  const found = new Map<number, { lesson: LessonRow; load: LoadContext; periodLocked: boolean }>();
  if (lessonIds.length === 0) return found;
  const rows = await lessonWithLoadQuery(db)
    .select(periodLockedOfLesson().as('period_locked'))
    .where('l.id', 'in', [...lessonIds])
    .execute();
  for (const row of rows) found.set(row.lesson_id, { ...splitLessonAndLoad(row), periodLocked: Number(row.period_locked ?? 0) === 1 });
  return found;
}

type Span = { from: string; to: string | null };
const covers = (span: Span, date: string) => span.from <= date && (span.to === null || span.to >= date);

/**
 * The facts of many cells (lesson × student) of lessons already read: whether the student is
 * on the load's list on the lesson's date — enrolled in its class then and, for a subgroup's
 * load, in the subgroup then (as onListOfLoad asks it in SQL) — and the cell's attendance.
 */
export async function cellFactsOf(
  db: Db,
  cells: readonly { lessonId: number; studentId: number }[],
  lessons: ReadonlyMap<number, { lesson: Pick<LessonRow, 'date'>; load: Pick<LoadContext, 'class_id' | 'subgroup_id'>; periodLocked: boolean }>,
): Promise<Map<string, CellFacts>> {
  const facts = new Map<string, CellFacts>();
  const known = cells.filter((cell) => lessons.has(cell.lessonId));
  if (known.length === 0) return facts;
  const studentIds = [...new Set(known.map((cell) => cell.studentId))];
  const lessonIds = [...new Set(known.map((cell) => cell.lessonId))];
  const classIds = [...new Set(lessonIds.map((id) => lessons.get(id)!.load.class_id))];
  const subgroupIds = [...new Set(lessonIds.map((id) => lessons.get(id)!.load.subgroup_id).filter((id): id is number => id !== null))];
  const [enrollments, members, attendance] = await Promise.all([
    db.selectFrom('enrollment').select(['student_id', 'class_id', 'arrived_on', 'departed_on']).where('student_id', 'in', studentIds).where('class_id', 'in', classIds).execute(),
    subgroupIds.length === 0
      ? Promise.resolve([])
      : db.selectFrom('subgroup_member').select(['student_id', 'subgroup_id', 'from_date', 'to_date']).where('student_id', 'in', studentIds).where('subgroup_id', 'in', subgroupIds).execute(),
    db.selectFrom('attendance').select(['lesson_id', 'student_id', 'code', 'version', 'updated_at', 'updated_by']).where('lesson_id', 'in', lessonIds).where('student_id', 'in', studentIds).execute(),
  ]);
  const spans = new Map<string, Span[]>();
  const add = (key: string, span: Span) => spans.set(key, [...(spans.get(key) ?? []), span]);
  for (const e of enrollments) add(`c${e.class_id}:${e.student_id}`, { from: e.arrived_on, to: e.departed_on });
  for (const m of members) add(`g${m.subgroup_id}:${m.student_id}`, { from: m.from_date, to: m.to_date });
  const attendanceOf = new Map(attendance.map((row) => [`${row.lesson_id}:${row.student_id}`, row]));
  for (const cell of known) {
    const { lesson, load, periodLocked } = lessons.get(cell.lessonId)!;
    const inClass = (spans.get(`c${load.class_id}:${cell.studentId}`) ?? []).some((span) => covers(span, lesson.date));
    const inSubgroup = load.subgroup_id === null || (spans.get(`g${load.subgroup_id}:${cell.studentId}`) ?? []).some((span) => covers(span, lesson.date));
    const key = `${cell.lessonId}:${cell.studentId}`;
    facts.set(key, { onList: inClass && inSubgroup, attendance: attendanceOf.get(key), periodLocked });
  }
  return facts;
}

/** The answers already stored under any of these keys, by key. */
export async function findIdempotentMany(db: Db, userId: number, keys: readonly string[]): Promise<Map<string, { method: string; result: string }>> {
  if (keys.length === 0) return new Map();
  const rows = await db.selectFrom('journal_idempotency').select(['key', 'method', 'result']).where('user_id', '=', userId).where('key', 'in', [...keys]).execute();
  return new Map(rows.map((row) => [row.key, { method: row.method, result: row.result }]));
}

/** rememberIdempotent for several saves, in one statement sent with the COMMIT. */
export async function rememberIdempotentMany(tx: Tx, entries: readonly { userId: number; key: string; method: string; result: unknown; at: string }[], forgetBefore: string | null) {
  if (entries.length > 0) {
    await writeAtCommit(tx, tx.insertInto('journal_idempotency').values(entries.map((entry) => ({ user_id: entry.userId, key: entry.key, method: entry.method, result: JSON.stringify(entry.result), created_at: entry.at }))));
  }
  if (forgetBefore) await tx.deleteFrom('journal_idempotency').where('created_at', '<', forgetBefore).execute();
}
