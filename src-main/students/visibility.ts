import type { PersonalDataLevel } from '../../src-shared/contract/school';
import type { Role } from '../../src-shared/roles';
import type { LabelOptions } from '../../src-shared/rules/student-labels';
import type { Caller } from '../core/context';
import type { Db } from '../store/database';

// Who sees which personal data of a student (152-ФЗ; 003 Порядок §2.4), on top of the
// method permissions: the administration and the secretary everything (D-1 … D-3, D-6);
// the class teacher her class in full (D-5); the medical worker names, classes and birth
// dates (D-8); the psychologist the same (a specialist needs the child's age, the family
// goes through the class teacher); a subject teacher names, classes and subgroups only.

export type { PersonalDataLevel };

const SEES_EVERYTHING: readonly Role[] = ['director', 'deputy', 'administrator', 'secretary'];
const SEES_BIRTH_DATES: readonly Role[] = ['medical', 'psychologist'];

export function seesAllPersonalData(caller: Caller): boolean {
  return caller.roles.some((role) => SEES_EVERYTHING.includes(role));
}

export interface PersonalDataReader {
  level(classId: number): PersonalDataLevel;
  /** The classes the caller leads (empty for the administration: it sees them all anyway). */
  ownClassIds: ReadonlySet<number>;
  everything: boolean;
}

/** The caller's view of personal data, class by class: one query, then per row. */
export async function personalDataReader(db: Db, caller: Caller): Promise<PersonalDataReader> {
  const everything = seesAllPersonalData(caller);
  const ownClassIds = new Set(
    everything ? [] : (await db.selectFrom('school_class').select('id').where('class_teacher_id', '=', caller.userId).execute()).map((c) => c.id),
  );
  const otherwise: PersonalDataLevel = caller.roles.some((role) => SEES_BIRTH_DATES.includes(role)) ? 'birthDates' : 'names';
  return {
    everything,
    ownClassIds,
    level: (classId) => (everything || ownClassIds.has(classId) ? 'full' : otherwise),
  };
}

/** The caller's level over the student's latest class (a former class teacher no longer sees in full). */
export async function levelForStudent(db: Db, reader: PersonalDataReader, studentId: number): Promise<PersonalDataLevel> {
  if (reader.everything) return 'full';
  const latest = await db.selectFrom('enrollment').select('class_id').where('student_id', '=', studentId).orderBy('arrived_on', 'desc').orderBy('id', 'desc').executeTakeFirst();
  return reader.level(latest?.class_id ?? -1);
}

export const showsBirthDate = (level: PersonalDataLevel) => level !== 'names';

/** What a reader at `level` gets of a student's row: withheld fields come empty, never guessed. */
export function redactStudent<T extends { birthDate: string | null; consents: unknown[]; consentMissing?: boolean | null; parentMissing?: boolean | null; personalData: PersonalDataLevel }>(
  row: T,
  level: PersonalDataLevel,
): T {
  if (level === 'full') return row;
  const redacted = { ...row, birthDate: showsBirthDate(level) ? row.birthDate : null, consents: [], personalData: level };
  if ('consentMissing' in row) redacted.consentMissing = null;
  if ('parentMissing' in row) redacted.parentMissing = null;
  return redacted;
}

/** How namesakes of the class are told apart for this reader: by birth date only where she may see it. */
export async function labelOptionsFor(db: Db, caller: Caller, classId: number): Promise<LabelOptions> {
  return { birthDates: showsBirthDate((await personalDataReader(db, caller)).level(classId)) };
}
