import { shortPersonName } from '../../src-shared/rules/substitutions';
import type { Db } from '../store/database';
import { loadContextQuery } from '../load/repository';

// What a teacher's day needs besides her weekly timetable: the lessons the substitution
// register gave her, her own lessons it gave away, and which lessons are already written.

const slotKey = (loadId: number, lessonNumber: number | null) => `${loadId}:${lessonNumber ?? ''}`;

/**
 * Lessons the teacher covers on a date by the register, at the page where she writes them:
 * the absent teacher's (по предмету, объединение) or her own («проведение своего предмета»).
 */
export async function coveredLessonsOn(db: Db, yearId: number, date: string, userId: number) {
  const rows = await loadContextQuery(db)
    .innerJoin('substitution as r', (join) => join.on((eb) => eb('tl.id', '=', eb.fn.coalesce('r.target_load_id', 'r.load_id'))))
    .innerJoin('app_user as absent', 'absent.id', 'r.absent_teacher_id')
    .select(['r.lesson_number', 'tl.id as load_id', 'c.room', 'absent.full_name as absent_name'])
    .where('r.year_id', '=', yearId)
    .where('r.date', '=', date)
    .where('r.substitute_id', '=', userId)
    .where('r.removed_at', 'is', null)
    .where('r.kind', '!=', 'cancelled')
    .execute();
  return rows.map(({ absent_name, ...row }) => ({ ...row, substituteFor: shortPersonName(absent_name) as string | undefined }));
}

/** Slots of these loads on a date that the register gave to a substitute or cancelled. */
export async function givenAwayOn(db: Db, date: string, loadIds: readonly number[]): Promise<Set<string>> {
  if (loadIds.length === 0) return new Set();
  const rows = await db.selectFrom('substitution').select(['load_id', 'lesson_number']).where('date', '=', date).where('removed_at', 'is', null).where('load_id', 'in', [...new Set(loadIds)]).execute();
  return new Set(rows.map((r) => slotKey(r.load_id, r.lesson_number)));
}

/** The lessons already written on a date in these loads, by `loadId:lessonNumber`. */
export async function recordedLessonsOn(db: Db, date: string, loadIds: readonly number[]): Promise<Map<string, number>> {
  if (loadIds.length === 0) return new Map();
  const rows = await db.selectFrom('lesson').select(['id', 'load_id', 'lesson_number']).where('date', '=', date).where('load_id', 'in', [...new Set(loadIds)]).orderBy('id', 'desc').execute();
  return new Map(rows.map((r) => [slotKey(r.load_id, r.lesson_number), r.id]));
}
