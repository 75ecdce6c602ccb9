import { sql } from 'kysely';
import type { FulfilmentDigest, FulfilmentItem } from '../../src-shared/contract/plans';
import { halfYearCorrectionDue, weekMonday, type PlanStatus } from '../../src-shared/rules/plans';
import { loadContextQuery, type LoadContext } from '../load/repository';
import { shortName } from '../printing/model';
import type { Db } from '../store/database';

// Programme fulfilment (D-32, 000 §7.1, 002 §5.5): per load, the plan's hours up to a date
// against the lessons given by then, topics skipped or given more often than planned, and the
// lag («отставание») in hours. Read for the whole school in a handful of queries.

interface YearInfo {
  id: number;
  starts_on: string;
}

/**
 * A plan row counts as planned by `date` when its planned date is on or before it, or (no
 * date) its planned week has begun; a row with neither is not counted as due.
 */
function dueBy(row: { planned_date: string | null; planned_week: number | null }, yearStartsOn: string, date: string): boolean {
  if (row.planned_date !== null) return row.planned_date <= date;
  if (row.planned_week !== null) return weekMonday(yearStartsOn, row.planned_week) <= date;
  return false;
}

export async function fulfilmentOf(db: Db, year: YearInfo, loads: readonly LoadContext[], date: string): Promise<FulfilmentItem[]> {
  if (loads.length === 0) return [];
  const [plans, rows, lessonCounts, linked, corrections] = await Promise.all([
    db.selectFrom('plan').select(['id', 'load_id', 'status']).where('year_id', '=', year.id).execute(),
    db
      .selectFrom('plan_row as r')
      .innerJoin('plan as p', 'p.id', 'r.plan_id')
      .select(['r.id', 'p.load_id', 'r.number', 'r.topic', 'r.hours', 'r.planned_date', 'r.planned_week'])
      .where('p.year_id', '=', year.id)
      .orderBy('p.load_id')
      .orderBy('r.number')
      .execute(),
    db
      .selectFrom('lesson as l')
      .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
      .select(['l.load_id', sql<number>`count(*)`.as('given'), sql<number>`sum(case when l.plan_row_id is null then 1 else 0 end)`.as('unplanned')])
      .where('tl.year_id', '=', year.id)
      .where('l.date', '<=', date)
      .groupBy('l.load_id')
      .execute(),
    db
      .selectFrom('lesson as l')
      .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
      .select(['l.plan_row_id', sql<number>`count(*)`.as('given')])
      .where('tl.year_id', '=', year.id)
      .where('l.plan_row_id', 'is not', null)
      .where('l.date', '<=', date)
      .groupBy('l.plan_row_id')
      .execute(),
    db
      .selectFrom('plan_correction as c')
      .innerJoin('plan as p', 'p.id', 'c.plan_id')
      .select(['p.load_id', 'c.corrected_at'])
      .where('p.year_id', '=', year.id)
      .execute(),
  ]);
  const wanted = new Set(loads.map((l) => l.id));
  const planByLoad = new Map(plans.filter((p) => wanted.has(p.load_id)).map((p) => [p.load_id, p]));
  const rowsByLoad = new Map<number, typeof rows>();
  for (const row of rows) {
    if (!wanted.has(row.load_id)) continue;
    const list = rowsByLoad.get(row.load_id);
    if (list) list.push(row);
    else rowsByLoad.set(row.load_id, [row]);
  }
  const lessonsByLoad = new Map(lessonCounts.map((c) => [c.load_id, { given: Number(c.given), unplanned: Number(c.unplanned) }]));
  const givenByRow = new Map(linked.map((l) => [l.plan_row_id!, Number(l.given)]));
  const due = halfYearCorrectionDue(year.starts_on);
  const correctedLoads = new Set(
    corrections.filter((c) => c.corrected_at.slice(0, 10) >= due.from && c.corrected_at.slice(0, 10) <= due.by).map((c) => c.load_id),
  );

  return loads.map((load) => {
    const plan = planByLoad.get(load.id);
    const planRows = rowsByLoad.get(load.id) ?? [];
    const lessons = lessonsByLoad.get(load.id) ?? { given: 0, unplanned: 0 };
    let plannedToDate = 0;
    let plannedTotal = 0;
    let lastTaken = 0;
    for (const row of planRows) {
      plannedTotal += row.hours;
      if (dueBy(row, year.starts_on, date)) plannedToDate += row.hours;
      if ((givenByRow.get(row.id) ?? 0) > 0) lastTaken = row.number;
    }
    // Skipped: rows before the furthest row taken that no lesson took.
    const skipped = planRows.filter((r) => r.number < lastTaken && (givenByRow.get(r.id) ?? 0) === 0).map((r) => ({ number: r.number, topic: r.topic }));
    const givenTwice = planRows
      .filter((r) => (givenByRow.get(r.id) ?? 0) > Math.max(1, r.hours))
      .map((r) => ({ number: r.number, topic: r.topic, lessons: givenByRow.get(r.id) ?? 0 }));
    return {
      loadId: load.id,
      className: load.class_name,
      subjectName: load.subject_name,
      subgroupName: load.subgroup_name,
      teacherName: load.teacher_name,
      status: (plan?.status ?? 'none') as PlanStatus | 'none',
      plannedToDate,
      given: lessons.given,
      behind: Math.max(0, plannedToDate - lessons.given),
      plannedTotal,
      skipped,
      givenTwice,
      unplanned: lessons.unplanned,
      correctionMissing: plan !== undefined && date >= due.by && !correctedLoads.has(load.id),
    };
  });
}

const DIGEST_WORST = 5;

/** The whole school's fulfilment by `date` in a few figures (the deputy's control summary). */
export async function fulfilmentDigest(db: Db, year: YearInfo, date: string): Promise<FulfilmentDigest> {
  const loads = await loadContextQuery(db).where('tl.year_id', '=', year.id).execute();
  const items = await fulfilmentOf(db, year, loads, date);
  const behind = items.filter((i) => i.behind > 0);
  const label = (i: FulfilmentItem) => `${i.className}${i.subgroupName ? ` (${i.subgroupName})` : ''} · ${i.subjectName} · ${shortName(i.teacherName)}`;
  return {
    date,
    loads: items.length,
    withoutPlan: items.filter((i) => i.status === 'none').length,
    loadsBehind: behind.length,
    hoursBehind: behind.reduce((sum, i) => sum + i.behind, 0),
    skippedTopics: items.reduce((sum, i) => sum + i.skipped.length, 0),
    correctionsMissing: items.filter((i) => i.correctionMissing).length,
    worst: behind
      .map((i) => ({ loadId: i.loadId, label: label(i), behind: i.behind }))
      .sort((a, b) => b.behind - a.behind || a.label.localeCompare(b.label, 'ru'))
      .slice(0, DIGEST_WORST),
  };
}
