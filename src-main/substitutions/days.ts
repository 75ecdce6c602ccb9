import { weekdayOf } from '../../src-shared/rules/dates';
import type { Db } from '../store/database';

// School days as the register sees them: holidays, periods of a grade, Sundays.

export /** Why no lessons are held on that date for that grade (a holiday, outside the study periods), or null. */
async function noLessonsWhy(db: Db, yearId: number, grade: number | null, date: string): Promise<string | null> {
  if (weekdayOf(date) === 7) return 'воскресенье';
  const holiday = await db.selectFrom('holiday').select('name').where('year_id', '=', yearId).where('starts_on', '<=', date).where('ends_on', '>=', date).executeTakeFirst();
  if (holiday) return `каникулы или праздник: ${holiday.name}`;
  let periods = db.selectFrom('study_period').select('id').where('year_id', '=', yearId).where('starts_on', '<=', date).where('ends_on', '>=', date);
  if (grade !== null) periods = periods.where('grade_from', '<=', grade).where('grade_to', '>=', grade);
  if (!(await periods.executeTakeFirst())) return 'вне учебных периодов (каникулы)';
  return null;
}

