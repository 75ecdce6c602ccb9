import { localDate } from '../../src-shared/rules/dates';
import { printClassJournal } from '../printing/class-journal';
import type { Store } from '../store/database';

/**
 * The PDF of a class's journal for the current period (D-37), printed by «Printing».
 * Returns null when there is nothing to print; a class whose PDF fails keeps its data part
 * in the backup, so printing can never stop a backup.
 */
export type ClassJournalPrinter = (store: Store, classId: number) => Promise<Buffer | null>;


/** The study period of the class's grade that contains today, else the latest begun, else the year. */
async function currentPeriodOf(store: Store, classId: number): Promise<{ id: number } | 'year'> {
  const school = await store.db.selectFrom('school').select('time_zone').where('id', '=', 1).executeTakeFirst();
  const today = localDate(new Date(), school?.time_zone ?? 'Europe/Moscow');
  const schoolClass = await store.db.selectFrom('school_class').select(['year_id', 'grade']).where('id', '=', classId).executeTakeFirst();
  if (!schoolClass) return 'year';
  const period = await store.db
    .selectFrom('study_period')
    .select('id')
    .where('year_id', '=', schoolClass.year_id)
    .where('grade_from', '<=', schoolClass.grade)
    .where('grade_to', '>=', schoolClass.grade)
    .where('starts_on', '<=', today)
    .orderBy('starts_on', 'desc')
    .executeTakeFirst();
  return period ? { id: period.id } : 'year';
}

export const printCurrentPeriodJournal: ClassJournalPrinter = async (store, classId) => {
  try {
    const printed = await printClassJournal(store, { classId, period: await currentPeriodOf(store, classId) });
    return printed.bytes;
  } catch {
    return null;
  }
};

export async function findClassJournalPrinter(): Promise<ClassJournalPrinter | null> {
  return printCurrentPeriodJournal;
}
