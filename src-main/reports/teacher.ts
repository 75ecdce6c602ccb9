import { sql } from 'kysely';
import type { MarkScale } from '../../src-shared/rules/marks';
import { teachingDays } from '../../src-shared/rules/plans';
import { programmeHours } from '../plans/programme';
import type { Db } from '../store/database';
import { numericValues, thresholdsFor } from './results';

// «Отчёт учителя-предметника» (D-30; 004 §4.1): per load of one teacher, beside the finals'
// figures, the lessons given against the curriculum's hours and the КТП's, and the control
// works held with their results. Every count is made by the database; only the calendar's
// school days are counted here.

export interface TeacherLoad {
  id: number;
  classId: number;
  className: string;
  grade: number;
  noMarks: boolean;
  subjectId: number;
  subjectName: string;
  subgroupName: string | null;
  hoursPerWeek: number;
}

export async function teacherLoads(db: Db, q: { yearId: number; teacherId: number; classId?: number; subjectId?: number }): Promise<TeacherLoad[]> {
  let query = db
    .selectFrom('teaching_load as tl')
    .innerJoin('school_class as c', 'c.id', 'tl.class_id')
    .innerJoin('subject as s', 's.id', 'tl.subject_id')
    .leftJoin('subgroup as sg', 'sg.id', 'tl.subgroup_id')
    .leftJoin('curriculum_hours as ch', (join) => join.onRef('ch.year_id', '=', 'tl.year_id').onRef('ch.subject_id', '=', 'tl.subject_id').onRef('ch.grade', '=', 'c.grade'))
    .select(['tl.id', 'c.id as classId', 'c.name as className', 'c.grade', 'c.no_marks', 's.id as subjectId', 's.name as subjectName', 'sg.name as subgroupName', 'tl.hours_per_week', 'ch.hours_per_week as curriculumPerWeek'])
    .where('tl.year_id', '=', q.yearId)
    .where('tl.teacher_id', '=', q.teacherId)
    .orderBy('c.grade')
    .orderBy('c.name')
    .orderBy('s.sort_order')
    .orderBy('s.name')
    .orderBy('sg.name');
  if (q.classId !== undefined) query = query.where('tl.class_id', '=', q.classId);
  if (q.subjectId !== undefined) query = query.where('tl.subject_id', '=', q.subjectId);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    classId: r.classId,
    className: r.className,
    grade: r.grade,
    noMarks: Number(r.no_marks) === 1,
    subjectId: r.subjectId,
    subjectName: r.subjectName,
    subgroupName: r.subgroupName,
    // The curriculum's weekly hours for the subject and grade; the load's own where it has none (D-15).
    hoursPerWeek: Number(r.curriculumPerWeek ?? r.hours_per_week ?? 0),
  }));
}

export interface LoadWork {
  /** Lessons written in the journal over the dates. */
  given: number;
  /** Hours by the curriculum over the dates' school days. */
  curriculum: number;
  /** Hours the КТП plans over the dates; null without a КТП. */
  programme: number | null;
  /** Control works held: a lesson given on a date of the schedule of control works, or on a КТП topic marked as one. */
  controlWorks: number;
  /** Numeric marks given in those lessons, and of them «3» and above, «4» and above. */
  worksMarks: number;
  worksPassed: number;
  worksGood: number;
  worksSum: number;
}

export async function loadWork(db: Db, q: { yearId: number; loads: readonly TeacherLoad[]; from: string; to: string; scale: MarkScale }): Promise<Map<number, LoadWork>> {
  const result = new Map<number, LoadWork>();
  if (q.loads.length === 0) return result;
  const ids = q.loads.map((l) => l.id);
  const numbers = numericValues(q.scale);
  const t = thresholdsFor(q.scale);
  const v = numbers.length > 0 ? sql<number | null>`case when m.value in (${sql.join(numbers)}) then cast(m.value as integer) end` : sql<number | null>`cast(null as integer)`;
  const year = await db.selectFrom('academic_year').select('starts_on').where('id', '=', q.yearId).executeTakeFirstOrThrow();
  const [periods, holidays, given, planned, works] = await Promise.all([
    db.selectFrom('study_period').select(['starts_on', 'ends_on', 'grade_from', 'grade_to']).where('year_id', '=', q.yearId).execute(),
    db.selectFrom('holiday').select(['starts_on', 'ends_on']).where('year_id', '=', q.yearId).execute(),
    db
      .selectFrom('lesson')
      .select(['load_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('load_id', 'in', ids)
      .where('date', '>=', q.from)
      .where('date', '<=', q.to)
      .groupBy('load_id')
      .execute(),
    programmeHours(db, ids, year.starts_on, q.from, q.to),
    sql<{ load_id: number; works: number; marks: number; passed: number; good: number; total: number | null }>`
      with works as (
        select w.load_id, w.date from control_work w
        where w.removed_at is null and w.load_id in (${sql.join(ids)}) and w.date >= ${q.from} and w.date <= ${q.to}
        union
        select l.load_id, l.date from lesson l join plan_row r on r.id = l.plan_row_id
        where r.control_work = 1 and l.load_id in (${sql.join(ids)}) and l.date >= ${q.from} and l.date <= ${q.to}
      )
      select w.load_id, count(distinct w.date) as works, count(${v}) as marks,
        sum(case when ${v} >= ${t.pass} then 1 else 0 end) as passed,
        sum(case when ${v} >= ${t.good} then 1 else 0 end) as good,
        sum(${v}) as total
      from works w
        join lesson l on l.load_id = w.load_id and l.date = w.date
        left join mark m on m.lesson_id = l.id
      group by w.load_id`.execute(db),
  ]);
  const givenByLoad = new Map(given.map((g) => [g.load_id, Number(g.n)]));
  const worksByLoad = new Map(works.rows.map((w) => [Number(w.load_id), w]));
  for (const load of q.loads) {
    // The grade's periods cut to the dates: holidays between periods are not school days.
    const spans = periods
      .filter((p) => p.grade_from <= load.grade && load.grade <= p.grade_to)
      .map((p) => ({ starts_on: p.starts_on < q.from ? q.from : p.starts_on, ends_on: p.ends_on > q.to ? q.to : p.ends_on }))
      .filter((p) => p.starts_on <= p.ends_on);
    const work = worksByLoad.get(load.id);
    result.set(load.id, {
      given: givenByLoad.get(load.id) ?? 0,
      curriculum: Math.round((load.hoursPerWeek * teachingDays(spans, holidays)) / 5),
      programme: planned.get(load.id) ?? null,
      controlWorks: Number(work?.works ?? 0),
      worksMarks: Number(work?.marks ?? 0),
      worksPassed: Number(work?.passed ?? 0),
      worksGood: Number(work?.good ?? 0),
      worksSum: Number(work?.total ?? 0),
    });
  }
  return result;
}
