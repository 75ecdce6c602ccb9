import { sql } from 'kysely';
import type { Db } from '../store/database';

/** The plan row a new lesson of a load should take, as the journal pre-fills it. */
export interface NextPlanRow {
  id: number;
  number: number;
  section: string;
  topic: string;
  homework: string;
  hours: number;
}

/**
 * The first row of the load's КТП (by number) not yet covered by its lessons: a row of N hours
 * is covered by N lessons linked to it. A deleted lesson frees its row again (the link goes
 * with the lesson). Null when the load has no plan or every row is covered.
 */
export async function nextPlanRow(db: Db, loadId: number): Promise<NextPlanRow | null> {
  const row = await db
    .selectFrom('plan_row as r')
    .innerJoin('plan as p', 'p.id', 'r.plan_id')
    .leftJoin(
      (eb) => eb.selectFrom('lesson').select(['plan_row_id', sql<number>`count(*)`.as('given')]).where('load_id', '=', loadId).where('plan_row_id', 'is not', null).groupBy('plan_row_id').as('g'),
      (join) => join.onRef('g.plan_row_id', '=', 'r.id'),
    )
    .select(['r.id', 'r.number', 'r.section', 'r.topic', 'r.homework', 'r.hours'])
    .where('p.load_id', '=', loadId)
    .where(sql<boolean>`coalesce(g.given, 0) < (case when r.hours < 1 then 1 else r.hours end)`)
    .orderBy('r.number')
    .orderBy('r.id')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}
