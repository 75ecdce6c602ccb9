import { studentLabels } from '../../src-shared/rules/student-labels';
import { sql } from 'kysely';
import type { Db } from '../store/database';

// «Посещаемость класса по месяцам» (D-29, D-31): lessons missed per student by month, illness
// («Б») apart. A late arrival («ОП») is not a missed lesson. Students listed while enrolled
// at some day of the range; lessons of every subject of the class (a subgroup's lesson
// counts only for those marked in it).

export interface MonthlyAbsence {
  studentId: number;
  month: string; // 'YYYY-MM'
  missed: number;
  ill: number;
  excused: number;
  unexcused: number;
  unresolved: number;
}

export interface ClassStudent {
  id: number;
  name: string;
  arrivedOn: string;
  departedOn: string | null;
}

export async function classStudents(db: Db, classId: number, from: string, to: string): Promise<ClassStudent[]> {
  const rows = await db
    .selectFrom('enrollment as e')
    .innerJoin('student as s', 's.id', 'e.student_id')
    .select(['s.id', 's.surname', 's.name', 's.patronymic', 's.birth_date', 'e.arrived_on', 'e.departed_on'])
    .where('e.class_id', '=', classId)
    .where('e.arrived_on', '<=', to)
    .where((eb) => eb.or([eb('e.departed_on', 'is', null), eb('e.departed_on', '>=', from)]))
    .orderBy('s.surname')
    .orderBy('s.name')
    .orderBy('s.id')
    .execute();
  // Only the class teacher and the administration open class reports: they may see birth dates.
  const once = new Map(rows.map((r) => [r.id, { id: r.id, surname: r.surname, name: r.name, patronymic: r.patronymic, birthDate: r.birth_date }]));
  const names = studentLabels([...once.values()], { birthDates: true });
  return rows.map((r) => ({ id: r.id, name: names.get(r.id)!, arrivedOn: r.arrived_on, departedOn: r.departed_on }));
}

export async function monthlyAbsences(db: Db, classId: number, from: string, to: string): Promise<MonthlyAbsence[]> {
  const rows = await db
    .selectFrom('attendance as a')
    .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
    .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
    .select([
      'a.student_id as studentId',
      sql<string>`substr(l.date, 1, 7)`.as('month'),
      (eb) => eb.fn.countAll<number>().as('missed'),
      sql<number>`sum(case when a.code = 'Б' then 1 else 0 end)`.as('ill'),
      sql<number>`sum(case when a.code = 'УП' then 1 else 0 end)`.as('excused'),
      sql<number>`sum(case when a.code = 'НП' then 1 else 0 end)`.as('unexcused'),
      sql<number>`sum(case when a.code = 'ОТ' then 1 else 0 end)`.as('unresolved'),
    ])
    .where('tl.class_id', '=', classId)
    .where('a.code', '<>', 'ОП')
    .where('l.date', '>=', from)
    .where('l.date', '<=', to)
    .groupBy(['a.student_id', sql`substr(l.date, 1, 7)`])
    .execute();
  return rows.map((r) => ({
    studentId: r.studentId,
    month: r.month,
    missed: Number(r.missed),
    ill: Number(r.ill),
    excused: Number(r.excused),
    unexcused: Number(r.unexcused),
    unresolved: Number(r.unresolved),
  }));
}

const MONTHS = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

/** The months a range touches, in order: ['2026-09', '2026-10']. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    months.push(key);
    if (key >= last || months.length > 24) break;
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

export function monthTitle(month: string): string {
  return MONTHS[Number(month.slice(5, 7)) - 1] ?? month;
}

export interface SubjectAverage {
  studentId: number;
  subjectId: number;
  /** Σ(mark × weight) / Σ weight over numeric marks (D-22); null without one. */
  average: number | null;
  notAttested: number;
}

/** Current weighted averages per student and subject of a class over dates, counted by the database. */
export async function classAverages(db: Db, classId: number, from: string, to: string, numericValues: string[]): Promise<SubjectAverage[]> {
  const numeric = numericValues.length > 0 ? sql<number | null>`case when m.value in (${sql.join(numericValues)}) then cast(m.value as integer) end` : sql<number | null>`cast(null as integer)`;
  const rows = await db
    .selectFrom('mark as m')
    .innerJoin('lesson as l', 'l.id', 'm.lesson_id')
    .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
    .innerJoin('work_type as wt', 'wt.id', 'm.work_type_id')
    .select([
      'm.student_id as studentId',
      'tl.subject_id as subjectId',
      sql<number | null>`sum(${numeric} * wt.weight)`.as('weighted'),
      sql<number | null>`sum(case when ${numeric} is not null then wt.weight end)`.as('weights'),
      sql<number>`sum(case when m.value = 'н/а' then 1 else 0 end)`.as('notAttested'),
    ])
    .where('tl.class_id', '=', classId)
    .where('l.date', '>=', from)
    .where('l.date', '<=', to)
    .groupBy(['m.student_id', 'tl.subject_id'])
    .execute();
  return rows.map((r) => {
    const weights = Number(r.weights ?? 0);
    return { studentId: r.studentId, subjectId: r.subjectId, average: weights > 0 ? Number(r.weighted) / weights : null, notAttested: Number(r.notAttested) };
  });
}

export interface SubjectFinal {
  studentId: number;
  subjectId: number;
  /** «5», «н/а», «зач»…; empty while deferred. */
  value: string;
  deferred: boolean;
}

/** The period finals of a class, one per student and subject (after a subgroup move, the latest). */
export async function classFinals(db: Db, classId: number, periodId: number): Promise<SubjectFinal[]> {
  const rows = await db
    .selectFrom('final_mark as fm')
    .innerJoin('teaching_load as tl', 'tl.id', 'fm.load_id')
    .select(['fm.student_id as studentId', 'tl.subject_id as subjectId', 'fm.value', 'fm.deferred', 'fm.updated_at'])
    .where('tl.class_id', '=', classId)
    .where('fm.kind', '=', 'period')
    .where('fm.period_id', '=', periodId)
    .orderBy('fm.updated_at')
    .orderBy('fm.id')
    .execute();
  const latest = new Map<string, SubjectFinal>();
  for (const r of rows) latest.set(`${r.studentId}:${r.subjectId}`, { studentId: r.studentId, subjectId: r.subjectId, value: r.value, deferred: Number(r.deferred) === 1 });
  return [...latest.values()];
}

export interface ClassAttendance {
  classId: number;
  className: string;
  /** On the list on the last day of the dates. */
  students: number;
  missed: number;
  ill: number;
  excused: number;
  unexcused: number;
  unresolved: number;
  late: number;
}

/**
 * «Сводка посещаемости по школе» (D-29, D-31): lessons missed in each class of the year over
 * dates, by reason; a late arrival («ОП») counted apart, not as missed. Counted by the database.
 */
export async function schoolAttendance(db: Db, q: { yearId: number; from: string; to: string; classId?: number }): Promise<ClassAttendance[]> {
  const absences = db
    .selectFrom('attendance as a')
    .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
    .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
    .select([
      'tl.class_id',
      sql<number>`sum(case when a.code <> 'ОП' then 1 else 0 end)`.as('missed'),
      sql<number>`sum(case when a.code = 'Б' then 1 else 0 end)`.as('ill'),
      sql<number>`sum(case when a.code = 'УП' then 1 else 0 end)`.as('excused'),
      sql<number>`sum(case when a.code = 'НП' then 1 else 0 end)`.as('unexcused'),
      sql<number>`sum(case when a.code = 'ОТ' then 1 else 0 end)`.as('unresolved'),
      sql<number>`sum(case when a.code = 'ОП' then 1 else 0 end)`.as('late'),
    ])
    .where('tl.year_id', '=', q.yearId)
    .where('l.date', '>=', q.from)
    .where('l.date', '<=', q.to)
    .groupBy('tl.class_id');
  const onList = db
    .selectFrom('enrollment as e')
    .select(['e.class_id', sql<number>`count(distinct e.student_id)`.as('n')])
    .where('e.arrived_on', '<=', q.to)
    .where((eb) => eb.or([eb('e.departed_on', 'is', null), eb('e.departed_on', '>=', q.to)]))
    .groupBy('e.class_id');
  let query = db
    .selectFrom('school_class as c')
    .leftJoin(absences.as('ab'), 'ab.class_id', 'c.id')
    .leftJoin(onList.as('st'), 'st.class_id', 'c.id')
    .select(['c.id', 'c.name', 'st.n', 'ab.missed', 'ab.ill', 'ab.excused', 'ab.unexcused', 'ab.unresolved', 'ab.late'])
    .where('c.year_id', '=', q.yearId)
    .orderBy('c.grade')
    .orderBy('c.name');
  if (q.classId !== undefined) query = query.where('c.id', '=', q.classId);
  const rows = await query.execute();
  return rows.map((r) => ({
    classId: r.id,
    className: r.name,
    students: Number(r.n ?? 0),
    missed: Number(r.missed ?? 0),
    ill: Number(r.ill ?? 0),
    excused: Number(r.excused ?? 0),
    unexcused: Number(r.unexcused ?? 0),
    unresolved: Number(r.unresolved ?? 0),
    late: Number(r.late ?? 0),
  }));
}

export interface SubjectAbsence {
  studentId: number;
  subjectId: number;
  /** Lessons of the subject while the student was on the list (a subgroup's only for its members). */
  lessons: number;
  /** Of them missed, whatever the reason; a late arrival («ОП») is not missed. */
  missed: number;
}

/** Per student and subject of a class: the lessons they were due at over dates, and how many they missed. */
export async function subjectAbsences(db: Db, classId: number, from: string, to: string): Promise<SubjectAbsence[]> {
  const rows = await db
    .selectFrom('enrollment as e')
    .innerJoin('teaching_load as tl', 'tl.class_id', 'e.class_id')
    .innerJoin('lesson as l', 'l.load_id', 'tl.id')
    .leftJoin('attendance as a', (join) => join.onRef('a.lesson_id', '=', 'l.id').onRef('a.student_id', '=', 'e.student_id').on('a.code', '<>', 'ОП'))
    .select(['e.student_id as studentId', 'tl.subject_id as subjectId', sql<number>`count(distinct l.id)`.as('lessons'), sql<number>`count(distinct a.lesson_id)`.as('missed')])
    .where('e.class_id', '=', classId)
    .where('l.date', '>=', from)
    .where('l.date', '<=', to)
    .whereRef('l.date', '>=', 'e.arrived_on')
    .where((eb) => eb.or([eb('e.departed_on', 'is', null), eb('l.date', '<=', eb.ref('e.departed_on'))]))
    .where((eb) =>
      eb.or([
        eb('tl.subgroup_id', 'is', null),
        eb.exists(
          eb
            .selectFrom('subgroup_member as sm')
            .select('sm.id')
            .whereRef('sm.subgroup_id', '=', 'tl.subgroup_id')
            .whereRef('sm.student_id', '=', 'e.student_id')
            .whereRef('sm.from_date', '<=', 'l.date')
            .where((inner) => inner.or([inner('sm.to_date', 'is', null), inner('sm.to_date', '>=', inner.ref('l.date'))])),
        ),
      ]),
    )
    .groupBy(['e.student_id', 'tl.subject_id'])
    .execute();
  return rows.map((r) => ({ studentId: r.studentId, subjectId: r.subjectId, lessons: Number(r.lessons), missed: Number(r.missed) }));
}
