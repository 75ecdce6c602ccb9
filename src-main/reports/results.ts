import { sql, type RawBuilder } from 'kysely';
import type { ResultsGrouping } from '../../src-shared/contract/reports';
import { scaleRange, type MarkScale } from '../../src-shared/rules/marks';
import type { Db } from '../store/database';
import type { PeriodRef, RowScope } from './scope';

// «Итоги успеваемости за период» (D-32): from the period finals (final_mark, kind 'period').
// Students count while enrolled on the period's last day; a student counts once per subject
// (after a move between subgroups, the latest final); grades without marks (D-19) and
// deferred finals are left out. All counting is done by the database.

/** Where a numeric final falls: «5», «4», «3» or below on the school's scale. */
interface Thresholds {
  excellent: number;
  good: number;
  pass: number;
}

// Five-point is the Russian norm; the others are mapped to it proportionally.
const THRESHOLDS: Record<Exclude<MarkScale, 'passFail'>, Thresholds> = {
  five: { excellent: 5, good: 4, pass: 3 },
  ten: { excellent: 9, good: 7, pass: 4 },
  hundred: { excellent: 85, good: 65, pass: 50 },
};

/** Where «5», «4» and «3» begin on the school's scale. */
export function thresholdsFor(scale: MarkScale): Thresholds {
  return scale === 'passFail' ? { excellent: 1, good: 1, pass: 1 } : THRESHOLDS[scale];
}

export interface ResultsFigures {
  key: number;
  label: string;
  /** Students (class grouping) or students' finals in the subject / of the teacher. */
  students: number;
  excellent: number;
  good: number;
  oneThree: number;
  failing: number;
  notAttested: number;
  noFinals: number;
  passing: number;
  /** Finals by category: «5», «4», «3», «2», «н/а». */
  n5: number;
  n4: number;
  n3: number;
  n2: number;
  nna: number;
  numeric: number;
  sum: number;
}

export interface ResultsQuery {
  /** For year finals: the year's span (id unused), students on the list on its last day. */
  period: PeriodRef;
  /** 'year': the year finals instead of the period's. */
  finalKind?: 'period' | 'year';
  yearId: number;
  /** 'load': per teaching load (the subject teacher's report). */
  groupBy: ResultsGrouping | 'load';
  classId?: number;
  subjectId?: number;
  teacherId?: number;
  scope: RowScope;
  scale: MarkScale;
}

export function numericValues(scale: MarkScale): string[] {
  const range = scaleRange(scale);
  if (!range) return [];
  const values: string[] = [];
  for (let v = range.min; v <= range.max; v++) values.push(String(v));
  return values;
}

const and = (condition: RawBuilder<unknown> | null) => (condition ? sql` and ${condition}` : sql``);

export async function resultsFigures(db: Db, q: ResultsQuery): Promise<ResultsFigures[]> {
  const end = q.period.endsOn;
  const numbers = numericValues(q.scale);
  const t = thresholdsFor(q.scale);
  const me = q.scope.all ? null : q.scope.userId;
  // A class teacher sees the class whole; a subject teacher only their own finals.
  const rosterScope = me !== null && q.groupBy === 'class' ? sql`c.class_teacher_id = ${me}` : null;
  const whichFinals = q.finalKind === 'year' ? sql`fm.kind = 'year'` : sql`fm.kind = 'period' and fm.period_id = ${q.period.id}`;
  const finalsScope = me !== null && q.groupBy !== 'class' ? sql`(tl.teacher_id = ${me} or c.class_teacher_id = ${me})` : null;
  const numeric = numbers.length > 0 ? sql`case when f.value in (${sql.join(numbers)}) then cast(f.value as integer) end` : sql`cast(null as integer)`;

  const common = sql`
    with roster as (
      select e.student_id, e.class_id
      from enrollment e join school_class c on c.id = e.class_id
      where c.year_id = ${q.yearId} and c.no_marks = 0
        and c.grade >= ${q.period.gradeFrom} and c.grade <= ${q.period.gradeTo}
        and e.arrived_on <= ${end} and (e.departed_on is null or e.departed_on >= ${end})
        ${and(q.classId !== undefined ? sql`c.id = ${q.classId}` : null)}
        ${and(rosterScope)}
    ),
    ranked as (
      select r.student_id, r.class_id, tl.id as load_id, tl.subject_id, tl.teacher_id, fm.value,
        row_number() over (partition by fm.student_id, tl.subject_id order by fm.updated_at desc, fm.id desc) as rn
      from final_mark fm
        join teaching_load tl on tl.id = fm.load_id
        join school_class c on c.id = tl.class_id
        join roster r on r.student_id = fm.student_id and r.class_id = tl.class_id
      where ${whichFinals} and fm.deferred = 0 and fm.value <> ''
        ${and(q.subjectId !== undefined ? sql`tl.subject_id = ${q.subjectId}` : null)}
        ${and(q.teacherId !== undefined ? sql`tl.teacher_id = ${q.teacherId}` : null)}
        ${and(finalsScope)}
    ),
    graded as (
      select f.student_id, f.class_id, f.load_id, f.subject_id, f.teacher_id, f.value, ${numeric} as v
      from ranked f where f.rn = 1
    )`;
  const categories = (v: RawBuilder<unknown>, value: RawBuilder<unknown>) => sql`
      sum(case when ${v} >= ${t.excellent} then 1 else 0 end) as n5,
      sum(case when ${v} >= ${t.good} and ${v} < ${t.excellent} then 1 else 0 end) as n4,
      sum(case when ${v} >= ${t.pass} and ${v} < ${t.good} then 1 else 0 end) as n3,
      sum(case when ${v} < ${t.pass} then 1 else 0 end) as n2,
      sum(case when ${value} = 'н/а' then 1 else 0 end) as nna,
      count(${v}) as numeric,
      sum(${v}) as total`;

  type Raw = Record<string, number | string | null>;
  let rows: Raw[];
  if (q.groupBy === 'class') {
    const result = await sql<Raw>`${common},
      per_student as (
        select r.student_id, r.class_id, count(g.student_id) as finals, ${categories(sql.ref('g.v'), sql.ref('g.value'))}
        from roster r left join graded g on g.student_id = r.student_id and g.class_id = r.class_id
        group by r.student_id, r.class_id
      )
      select p.class_id as key, c.name as label, c.grade as grade,
        count(*) as students,
        sum(case when p.numeric > 0 and p.n5 = p.numeric and p.nna = 0 then 1 else 0 end) as excellent,
        sum(case when p.numeric > 0 and p.n4 > 0 and p.n3 = 0 and p.n2 = 0 and p.nna = 0 then 1 else 0 end) as good,
        sum(case when p.n3 = 1 and p.n2 = 0 and p.nna = 0 then 1 else 0 end) as one_three,
        sum(case when p.n2 > 0 then 1 else 0 end) as failing,
        sum(case when p.nna > 0 then 1 else 0 end) as not_attested,
        sum(case when p.finals = 0 then 1 else 0 end) as no_finals,
        sum(case when p.finals > 0 and p.n2 = 0 and p.nna = 0 then 1 else 0 end) as passing,
        sum(p.n5) as n5, sum(p.n4) as n4, sum(p.n3) as n3, sum(p.n2) as n2, sum(p.nna) as nna,
        sum(p.numeric) as numeric, sum(coalesce(p.total, 0)) as total
      from per_student p join school_class c on c.id = p.class_id
      group by p.class_id, c.name, c.grade
      order by c.grade, c.name`.execute(db);
    rows = result.rows;
  } else {
    const keyColumn = q.groupBy === 'subject' ? sql.ref('g.subject_id') : q.groupBy === 'load' ? sql.ref('g.load_id') : sql.ref('g.teacher_id');
    // A load's label is made by the caller (class, subject, subgroup).
    const labelJoin = q.groupBy === 'subject' ? sql`join subject n on n.id = g.subject_id` : q.groupBy === 'load' ? sql`join teaching_load n on n.id = g.load_id` : sql`join app_user n on n.id = g.teacher_id`;
    const label = q.groupBy === 'subject' ? sql.ref('n.name') : q.groupBy === 'load' ? sql`cast(n.id as varchar(12))` : sql.ref('n.full_name');
    const order = q.groupBy === 'subject' ? sql`min(n.sort_order), ${label}` : label;
    const result = await sql<Raw>`${common}
      select ${keyColumn} as key, ${label} as label, count(*) as students, ${categories(sql.ref('g.v'), sql.ref('g.value'))}
      from graded g ${labelJoin}
      group by ${keyColumn}, ${label}
      order by ${order}`.execute(db);
    rows = result.rows.map((r) => {
      const n2 = Number(r.n2 ?? 0);
      const nna = Number(r.nna ?? 0);
      const students = Number(r.students);
      return { ...r, excellent: r.n5 ?? 0, good: r.n4 ?? 0, one_three: r.n3 ?? 0, failing: n2, not_attested: nna, no_finals: 0, passing: students - n2 - nna };
    });
  }
  return rows.map((r) => ({
    key: Number(r.key),
    label: String(r.label),
    students: Number(r.students ?? 0),
    excellent: Number(r.excellent ?? 0),
    good: Number(r.good ?? 0),
    oneThree: Number(r.one_three ?? 0),
    failing: Number(r.failing ?? 0),
    notAttested: Number(r.not_attested ?? 0),
    noFinals: Number(r.no_finals ?? 0),
    passing: Number(r.passing ?? 0),
    n5: Number(r.n5 ?? 0),
    n4: Number(r.n4 ?? 0),
    n3: Number(r.n3 ?? 0),
    n2: Number(r.n2 ?? 0),
    nna: Number(r.nna ?? 0),
    numeric: Number(r.numeric ?? 0),
    sum: Number(r.total ?? 0),
  }));
}

/** Grades in classes without marks (D-19) that fall in the period's grades: the form names them. */
export async function classesWithoutMarks(db: Db, yearId: number, period: PeriodRef, classId?: number): Promise<string[]> {
  let query = db
    .selectFrom('school_class')
    .select('name')
    .where('year_id', '=', yearId)
    .where('no_marks', '=', 1)
    .where('grade', '>=', period.gradeFrom)
    .where('grade', '<=', period.gradeTo)
    .orderBy('grade')
    .orderBy('name');
  if (classId !== undefined) query = query.where('id', '=', classId);
  return (await query.execute()).map((r) => r.name);
}

/** Sums of several groups: the school's line. */
export function totalOf(rows: ResultsFigures[], label: string): ResultsFigures {
  const total: ResultsFigures = { key: 0, label, students: 0, excellent: 0, good: 0, oneThree: 0, failing: 0, notAttested: 0, noFinals: 0, passing: 0, n5: 0, n4: 0, n3: 0, n2: 0, nna: 0, numeric: 0, sum: 0 };
  for (const row of rows) {
    for (const key of Object.keys(total) as (keyof ResultsFigures)[]) {
      if (key !== 'key' && key !== 'label') (total[key] as number) += row[key] as number;
    }
  }
  return total;
}

/** «% успеваемости»: students (or finals) without «2» and «н/а», of all counted; a fraction. */
export function successShare(f: ResultsFigures): number | null {
  return f.students === 0 ? null : f.passing / f.students;
}

/** «% качества»: отличники and хорошисты (or «5» and «4» finals), of all counted; a fraction. */
export function qualityShare(f: ResultsFigures): number | null {
  return f.students === 0 ? null : (f.excellent + f.good) / f.students;
}

export function averageMark(f: ResultsFigures): number | null {
  return f.numeric === 0 ? null : f.sum / f.numeric;
}

/**
 * СОУ, степень обученности (В. П. Симонов): (1·n5 + 0.64·n4 + 0.36·n3 + 0.16·n2) / N over
 * all finals, «н/а» counted in N with weight 0; a fraction.
 */
export function learningDegree(f: ResultsFigures): number | null {
  const count = f.n5 + f.n4 + f.n3 + f.n2 + f.nna;
  return count === 0 ? null : (f.n5 + 0.64 * f.n4 + 0.36 * f.n3 + 0.16 * f.n2) / count;
}
