import { sql } from 'kysely';
import type { Db } from '../store/database';
import type { RowScope } from './scope';

// «Динамика среднего балла» (D-30): weighted averages (D-22: Σ mark × weight / Σ weight)
// of a class by subject, or of each student in one subject, over the weeks of a period
// and across the year's periods. The database sums marks per day; the days are then put
// into weeks and periods (a few hundred rows at most, never the marks themselves).

export interface DailySums {
  /** Subject id, or student id when one subject is asked for. */
  key: number;
  date: string;
  weighted: number;
  weights: number;
}

export interface DynamicsQuery {
  classId: number;
  from: string;
  to: string;
  numericValues: string[];
  /** One subject: sums per student; otherwise per subject. */
  subjectId?: number;
  scope: RowScope;
}

export async function dailySums(db: Db, q: DynamicsQuery): Promise<DailySums[]> {
  if (q.numericValues.length === 0) return [];
  const numeric = sql<number | null>`case when m.value in (${sql.join(q.numericValues)}) then cast(m.value as integer) end`;
  const keyColumn = q.subjectId === undefined ? sql.ref('tl.subject_id') : sql.ref('m.student_id');
  let query = db
    .selectFrom('mark as m')
    .innerJoin('lesson as l', 'l.id', 'm.lesson_id')
    .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
    .innerJoin('school_class as c', 'c.id', 'tl.class_id')
    .innerJoin('work_type as wt', 'wt.id', 'm.work_type_id')
    .select([
      sql<number>`${keyColumn}`.as('key'),
      'l.date',
      sql<number | null>`sum(${numeric} * wt.weight)`.as('weighted'),
      sql<number | null>`sum(case when ${numeric} is not null then wt.weight end)`.as('weights'),
    ])
    .where('tl.class_id', '=', q.classId)
    .where('l.date', '>=', q.from)
    .where('l.date', '<=', q.to)
    .groupBy([keyColumn, 'l.date']);
  if (q.subjectId !== undefined) query = query.where('tl.subject_id', '=', q.subjectId);
  if (!q.scope.all) {
    const me = q.scope.userId;
    query = query.where((eb) => eb.or([eb('tl.teacher_id', '=', me), eb('c.class_teacher_id', '=', me)]));
  }
  const rows = await query.execute();
  return rows
    .map((r) => ({ key: Number(r.key), date: r.date, weighted: Number(r.weighted ?? 0), weights: Number(r.weights ?? 0) }))
    .filter((r) => r.weights > 0);
}

/** Monday of the week a date falls in, as 'YYYY-MM-DD'. */
export function weekStart(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  const shift = (day.getUTCDay() + 6) % 7;
  day.setUTCDate(day.getUTCDate() - shift);
  return day.toISOString().slice(0, 10);
}

/** The Mondays of the weeks a range touches, in order. */
export function weeksOf(from: string, to: string): string[] {
  const weeks: string[] = [];
  const day = new Date(`${weekStart(from)}T00:00:00Z`);
  while (day.toISOString().slice(0, 10) <= to && weeks.length < 60) {
    weeks.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 7);
  }
  return weeks;
}

/** The weighted average of the sums whose day passes `within`, or null without a mark. */
export function averageOf(sums: DailySums[], within: (date: string) => boolean): number | null {
  let weighted = 0;
  let weights = 0;
  for (const s of sums) {
    if (!within(s.date)) continue;
    weighted += s.weighted;
    weights += s.weights;
  }
  return weights > 0 ? weighted / weights : null;
}
