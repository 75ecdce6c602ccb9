import { weekMonday } from '../../src-shared/rules/plans';
import type { Db } from '../store/database';

/**
 * «По программе: N ч.» for the printed journal: per load, the hours of its КТП planned between
 * two dates (by planned date, or by the Monday of the planned week). Loads without a plan are absent.
 */
export async function programmeHours(db: Db, loadIds: readonly number[], yearStartsOn: string, from: string, to: string): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  if (loadIds.length === 0) return result;
  const [plans, rows] = await Promise.all([
    db.selectFrom('plan').select('load_id').where('load_id', 'in', [...loadIds]).execute(),
    db
      .selectFrom('plan_row as r')
      .innerJoin('plan as p', 'p.id', 'r.plan_id')
      .select(['p.load_id', 'r.hours', 'r.planned_date', 'r.planned_week'])
      .where('p.load_id', 'in', [...loadIds])
      .execute(),
  ]);
  for (const plan of plans) result.set(plan.load_id, 0);
  for (const row of rows) {
    const on = row.planned_date ?? (row.planned_week !== null ? weekMonday(yearStartsOn, row.planned_week) : null);
    if (on !== null && from <= on && on <= to) result.set(row.load_id, (result.get(row.load_id) ?? 0) + row.hours);
  }
  return result;
}
