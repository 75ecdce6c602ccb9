import { sql } from 'kysely';
import type { FulfilmentDigest, FulfilmentItem } from '../../src-shared/contract/plans';
import { halfYearCorrectionDue, lastWeekBegun, type PlanStatus } from '../../src-shared/rules/plans';
import { loadContextQuery, type LoadContext } from '../load/repository';
import { shortName } from '../printing/model';
import type { Db } from '../store/database';

// Programme fulfilment (D-32, 000 §7.1, 002 §5.5): per load, the plan's hours up to a date
// against the lessons given by then, topics skipped or given more often than planned, and the
// lag («отставание») in hours. Every figure is counted by the database, per load: a school
// has ~700 loads and ~50 000 plan rows a year, and the deputy's summary asks for all of them.
// Only the rows a list names (skipped, given more than planned) come to JavaScript.
//
// Rules, as the figures count them:
// - a plan row is due by `date` when its planned date is on or before it, or (no date) its
//   planned week has begun; a row with neither is not due;
// - a lesson counts when it is given on or before `date`; a lesson took the plan row it links
//   to (always a row of its own load's plan: the journal checks it). A lesson's date lies in
//   its load's year (the journal checks that too): saying so lets PostgreSQL read the year's
//   lessons by date instead of every lesson of every year;
// - skipped: rows numbered before the furthest row taken that no lesson took;
// - given more than planned: rows taken by more lessons than their hours (and than one);
// - the half-year correction (D-15) is missing when the load has a plan, `date` is on or after
//   its due day, and no correction was registered between 1 November and that day.

interface YearInfo {
  id: number;
  starts_on: string;
}

/** Which loads: all of the year, or those asked (a teacher's own, one load). */
type LoadScope = { year: number } | { loadIds: readonly number[] };

interface LoadFigures {
  loadId: number;
  status: PlanStatus | 'none';
  plannedToDate: number;
  plannedTotal: number;
  given: number;
  unplanned: number;
  skipped: number;
  corrected: boolean;
}

const num = (value: unknown) => Number(value ?? 0);

function loadIdsOf(db: Db, scope: LoadScope) {
  const query = db.selectFrom('teaching_load').select('id');
  return 'year' in scope ? query.where('year_id', '=', scope.year) : query.where('id', 'in', [...scope.loadIds]);
}

/**
 * Per load of the scope, the lessons given by `date`: how many, how many typed by hand, and
 * the number of the furthest plan row they took (a CTE named `ls`).
 */
function withLessonsByLoad(db: Db, year: YearInfo, scope: LoadScope, date: string) {
  return db.with('ls', (qb) =>
    qb
      .selectFrom('lesson as l')
      .leftJoin('plan_row as lr', 'lr.id', 'l.plan_row_id')
      .select([
        'l.load_id',
        sql<number>`count(*)`.as('given'),
        sql<number>`sum(case when l.plan_row_id is null then 1 else 0 end)`.as('unplanned'),
        sql<number | null>`max(lr.number)`.as('last_taken'),
      ])
      .where('l.load_id', 'in', loadIdsOf(db, scope))
      .where('l.date', '>=', year.starts_on)
      .where('l.date', '<=', date)
      .groupBy('l.load_id'),
  );
}

/** A plan row `r` no lesson took by `date`. */
const notTaken = (year: YearInfo, date: string) => sql<boolean>`not exists (select 1 from lesson tk where tk.plan_row_id = r.id and tk.date >= ${year.starts_on} and tk.date <= ${date})`;

async function figuresOf(db: Db, year: YearInfo, scope: LoadScope, date: string): Promise<Map<number, LoadFigures>> {
  const due = halfYearCorrectionDue(year.starts_on);
  const weekBegun = lastWeekBegun(year.starts_on, date);
  const rows = await withLessonsByLoad(db, year, scope, date)
    .with('pr', (qb) =>
      qb
        .selectFrom('plan as p')
        .innerJoin('plan_row as r', 'r.plan_id', 'p.id')
        .leftJoin('ls', 'ls.load_id', 'p.load_id')
        .select([
          'p.id as plan_id',
          sql<number>`sum(r.hours)`.as('planned_total'),
          sql<number>`sum(case when r.planned_date is not null then (case when r.planned_date <= ${date} then r.hours else 0 end) when r.planned_week <= ${weekBegun} then r.hours else 0 end)`.as('planned_to_date'),
          sql<number>`sum(case when r.number < ls.last_taken and ${notTaken(year, date)} then 1 else 0 end)`.as('skipped'),
        ])
        .where('p.load_id', 'in', loadIdsOf(db, scope))
        .groupBy('p.id'),
    )
    .selectFrom('teaching_load as tl')
    .leftJoin('plan as p', 'p.load_id', 'tl.id')
    .leftJoin('pr', 'pr.plan_id', 'p.id')
    .leftJoin('ls', 'ls.load_id', 'tl.id')
    .select([
      'tl.id as load_id',
      'p.status',
      'pr.planned_total',
      'pr.planned_to_date',
      'pr.skipped',
      'ls.given',
      'ls.unplanned',
      sql<number>`case when exists (select 1 from plan_correction c where c.plan_id = p.id and substr(c.corrected_at, 1, 10) >= ${due.from} and substr(c.corrected_at, 1, 10) <= ${due.by}) then 1 else 0 end`.as('corrected'),
    ])
    .where('tl.id', 'in', loadIdsOf(db, scope))
    .execute();
  return new Map(
    rows.map((r) => [
      r.load_id,
      {
        loadId: r.load_id,
        status: (r.status ?? 'none') as PlanStatus | 'none',
        plannedToDate: num(r.planned_to_date),
        plannedTotal: num(r.planned_total),
        given: num(r.given),
        unplanned: num(r.unplanned),
        skipped: num(r.skipped),
        corrected: num(r.corrected) === 1,
      },
    ]),
  );
}

/** The rows the lists name: skipped, and given more often than planned, by load and number. */
async function listedRowsOf(db: Db, year: YearInfo, scope: LoadScope, date: string) {
  return withLessonsByLoad(db, year, scope, date)
    .with('taken', (qb) =>
      qb
        .selectFrom('lesson as l')
        .select(['l.plan_row_id', sql<number>`count(*)`.as('lessons')])
        .where('l.load_id', 'in', loadIdsOf(db, scope))
        .where('l.date', '>=', year.starts_on)
        .where('l.date', '<=', date)
        .where('l.plan_row_id', 'is not', null)
        .groupBy('l.plan_row_id'),
    )
    .selectFrom('plan as p')
    .innerJoin('plan_row as r', 'r.plan_id', 'p.id')
    .leftJoin('taken as t', 't.plan_row_id', 'r.id')
    .leftJoin('ls', 'ls.load_id', 'p.load_id')
    .select(['p.load_id', 'r.number', 'r.topic', 't.lessons'])
    .where('p.load_id', 'in', loadIdsOf(db, scope))
    .where((eb) => eb.or([eb.and([eb('t.lessons', 'is', null), eb('r.number', '<', eb.ref('ls.last_taken'))]), eb('t.lessons', '>', sql<number>`case when r.hours > 1 then r.hours else 1 end`)]))
    .orderBy('p.load_id')
    .orderBy('r.number')
    .execute();
}

function correctionMissing(figures: LoadFigures, year: YearInfo, date: string): boolean {
  return figures.status !== 'none' && date >= halfYearCorrectionDue(year.starts_on).by && !figures.corrected;
}

const NO_FIGURES: Omit<LoadFigures, 'loadId'> = { status: 'none', plannedToDate: 0, plannedTotal: 0, given: 0, unplanned: 0, skipped: 0, corrected: false };

/** Fulfilment of the loads asked by `date`, with the skipped and twice-given topics named. */
export async function fulfilmentOf(db: Db, year: YearInfo, loads: readonly LoadContext[], date: string): Promise<FulfilmentItem[]> {
  if (loads.length === 0) return [];
  const scope: LoadScope = { loadIds: loads.map((l) => l.id) };
  const [figures, listed] = await Promise.all([figuresOf(db, year, scope, date), listedRowsOf(db, year, scope, date)]);
  const skippedByLoad = new Map<number, FulfilmentItem['skipped']>();
  const twiceByLoad = new Map<number, FulfilmentItem['givenTwice']>();
  for (const row of listed) {
    const lessons = num(row.lessons);
    const [lists, entry] = lessons === 0 ? [skippedByLoad, { number: row.number, topic: row.topic }] : [twiceByLoad, { number: row.number, topic: row.topic, lessons }];
    const list = (lists as Map<number, unknown[]>).get(row.load_id);
    if (list) list.push(entry);
    else (lists as Map<number, unknown[]>).set(row.load_id, [entry]);
  }
  return loads.map((load) => {
    const f = figures.get(load.id) ?? { loadId: load.id, ...NO_FIGURES };
    return {
      loadId: load.id,
      className: load.class_name,
      subjectName: load.subject_name,
      subgroupName: load.subgroup_name,
      teacherName: load.teacher_name,
      status: f.status,
      plannedToDate: f.plannedToDate,
      given: f.given,
      behind: Math.max(0, f.plannedToDate - f.given),
      plannedTotal: f.plannedTotal,
      skipped: skippedByLoad.get(load.id) ?? [],
      givenTwice: twiceByLoad.get(load.id) ?? [],
      unplanned: f.unplanned,
      correctionMissing: correctionMissing(f, year, date),
    };
  });
}

const DIGEST_WORST = 5;

/** The whole school's fulfilment by `date` in a few figures (the deputy's control summary). */
export async function fulfilmentDigest(db: Db, year: YearInfo, date: string): Promise<FulfilmentDigest> {
  const [loads, figures] = await Promise.all([loadContextQuery(db).where('tl.year_id', '=', year.id).execute(), figuresOf(db, year, { year: year.id }, date)]);
  const items = loads.map((load) => ({ load, f: figures.get(load.id) ?? { loadId: load.id, ...NO_FIGURES } }));
  const behind = items.map((i) => ({ ...i, behind: Math.max(0, i.f.plannedToDate - i.f.given) })).filter((i) => i.behind > 0);
  const label = (l: LoadContext) => `${l.class_name}${l.subgroup_name ? ` (${l.subgroup_name})` : ''} · ${l.subject_name} · ${shortName(l.teacher_name)}`;
  return {
    date,
    loads: items.length,
    withoutPlan: items.filter((i) => i.f.status === 'none').length,
    loadsBehind: behind.length,
    hoursBehind: behind.reduce((sum, i) => sum + i.behind, 0),
    skippedTopics: items.reduce((sum, i) => sum + i.f.skipped, 0),
    correctionsMissing: items.filter((i) => correctionMissing(i.f, year, date)).length,
    worst: behind
      .map((i) => ({ loadId: i.load.id, label: label(i.load), behind: i.behind }))
      .sort((a, b) => b.behind - a.behind || a.label.localeCompare(b.label, 'ru'))
      .slice(0, DIGEST_WORST),
  };
}
