import type { Db } from '../../src-main/store/database';

/**
 * A work type by name: the one a new school was seeded with, or a new row. Fixtures build
 * on `setup.createSchool`, which seeds the defaults (D-22), so they look before inserting.
 */
export async function workTypeId(db: Db, name: string, weight: number, markDueDays: number, sortOrder: number): Promise<number> {
  const found = await db.selectFrom('work_type').select('id').where('name', '=', name).executeTakeFirst();
  if (found) return found.id;
  const row = await db
    .insertInto('work_type')
    .values({ name, weight, mark_due_days: markDueDays, sort_order: sortOrder, active: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
