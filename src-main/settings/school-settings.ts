import { schoolSettingsSchema, type SchoolSettings } from '../../src-shared/school-settings';
import type { Db } from '../store/database';

const KEY = 'school';

export async function readSchoolSettings(db: Db): Promise<SchoolSettings> {
  const row = await db.selectFrom('school_setting').select('value').where('key', '=', KEY).executeTakeFirst();
  const stored: unknown = row ? JSON.parse(row.value) : {};
  // Unknown or out-of-range stored values fall back to defaults rather than stopping the school.
  const parsed = schoolSettingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : schoolSettingsSchema.parse({});
}

export async function writeSchoolSettings(db: Db, settings: SchoolSettings): Promise<void> {
  const value = JSON.stringify(settings);
  const updated = await db.updateTable('school_setting').set({ value }).where('key', '=', KEY).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('school_setting').values({ key: KEY, value }).execute();
}
