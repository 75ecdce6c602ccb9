import { russianDate } from '../../src-shared/rules/dates';
import type { Role } from '../../src-shared/roles';
import type { Caller } from '../core/context';
import { conflict, forbidden, locked } from '../core/errors';
import type { Db } from '../store/database';
import { gaveLessonIn, type LessonRow } from './repository';
import { type LoadContext } from '../load/repository';
import { isAssignedTo, liveSubstitutionsOfLoadOn } from '../substitutions/repository';
import { writesAbsentTeachersPage, type SubstitutionKind } from '../../src-shared/rules/substitutions';

// Row-level rules on top of the method permissions (D-1 … D-7):
// a teacher sees and edits only their own load; a substitute only the lessons they were
// assigned in the substitution register (and wrote);
// a class teacher reads every subject page of their class; the administration, the
// secretary and the psychologist read everything. Nobody but the load's teacher (or the
// substitute, for that lesson) changes marks.

const READS_EVERYTHING: readonly Role[] = ['director', 'deputy', 'administrator', 'secretary', 'psychologist'];

export type PageAccess = 'own' | 'substitute' | 'classTeacher' | 'read';

export function readsEverything(caller: Caller): boolean {
  return caller.roles.some((role) => READS_EVERYTHING.includes(role));
}

export function isTeacher(caller: Caller): boolean {
  return caller.roles.includes('teacher');
}

/** How the caller may use a load's page; null when they may not see it at all. */
export async function accessToLoad(db: Db, caller: Caller, load: LoadContext): Promise<PageAccess | null> {
  if (isTeacher(caller)) {
    if (load.teacher_id === caller.userId) return 'own';
    if ((await isAssignedTo(db, load.id, caller.userId)) || (await gaveLessonIn(db, load.id, caller.userId))) return 'substitute';
  }
  if (load.class_teacher_id === caller.userId) return 'classTeacher';
  if (readsEverything(caller)) return 'read';
  return null;
}

export async function requireReadAccess(db: Db, caller: Caller, load: LoadContext): Promise<PageAccess> {
  const access = await accessToLoad(db, caller, load);
  if (!access) throw forbidden('Эта страница журнала вам недоступна: учитель видит только свои классы и предметы.');
  return access;
}

/**
 * May the caller change this lesson's record and its cells? The load's teacher: any lesson
 * of the load. Another teacher: only a lesson they gave as a substitute.
 */
export function mayWriteLesson(caller: Caller, load: LoadContext, lesson: Pick<LessonRow, 'given_by'>): boolean {
  if (!isTeacher(caller)) return false;
  return load.teacher_id === caller.userId || lesson.given_by === caller.userId;
}

/** Where a new lesson stands, once the register has been asked. */
export interface LessonCreateRight {
  /** The lesson number to record (a substitute's comes from the assignment). */
  lessonNumber: number | null;
  /** The register row the new lesson is written under. */
  substitutionId: number | null;
}

/**
 * May the caller create this lesson (D-4)? The load's teacher may, except in a slot the
 * register gave to a substitute or cancelled; another teacher only the lesson they are
 * assigned to substitute. Anything else is refused before anything is written.
 */
export async function requireLessonCreate(db: Db, caller: Caller, load: LoadContext, date: string, lessonNumber: number | null): Promise<LessonCreateRight> {
  if (!isTeacher(caller)) throw forbidden('Уроки записывает учитель.');
  const live = await liveSubstitutionsOfLoadOn(db, load.id, date);
  if (load.teacher_id === caller.userId) {
    const givenAway = lessonNumber === null ? undefined : live.find((s) => s.load_id === load.id && s.lesson_number === lessonNumber);
    if (givenAway) {
      throw forbidden(
        givenAway.kind === 'cancelled'
          ? `${lessonNumber}-й урок ${russianDate(date)} отменён в журнале замен.`
          : `${lessonNumber}-й урок ${russianDate(date)} по журналу замен ведёт заменяющий учитель: запись урока — за ним.`,
      );
    }
    // «Проведение своего предмета»: the substitute's lesson lands in their own page.
    const landing = live.filter((s) => s.target_load_id === load.id && s.substitute_id === caller.userId && (lessonNumber === null || s.lesson_number === lessonNumber));
    return { lessonNumber, substitutionId: landing.length === 1 ? landing[0]!.id : null };
  }
  const mine = live.filter((s) => s.load_id === load.id && s.substitute_id === caller.userId && writesAbsentTeachersPage(s.kind as SubstitutionKind));
  const match = lessonNumber === null ? (mine.length === 1 ? mine[0] : undefined) : mine.find((s) => s.lesson_number === lessonNumber);
  if (!match) {
    if (mine.length > 0) {
      throw forbidden(`${russianDate(date)} вам назначена замена в ${load.class_name} на ${mine.map((s) => `${s.lesson_number}-й`).join(', ')} урок: укажите номер урока.`);
    }
    throw forbidden(`Урок «${load.subject_name}» в ${load.class_name} записывает учитель этого предмета или заменяющий его по назначению в журнале замен.`);
  }
  if (match.lesson_id !== null) {
    const written = await db.selectFrom('lesson').select('id').where('id', '=', match.lesson_id).executeTakeFirst();
    if (written) throw conflict('Урок по этой замене уже записан: откройте его на странице журнала.');
  }
  return { lessonNumber: match.lesson_number, substitutionId: match.id };
}

/** A substitute keeps the lesson they were assigned: its date and number are not theirs to move. */
export function requireSameSlot(caller: Caller, load: LoadContext, current: Pick<LessonRow, 'date' | 'lesson_number'>, date: string, lessonNumber: number | null): void {
  if (load.teacher_id === caller.userId) return;
  if (current.date !== date || current.lesson_number !== lessonNumber) {
    throw forbidden('Дату и номер урока, данного в замену, меняет только заместитель директора в журнале замен.');
  }
}

export function requireLessonWrite(caller: Caller, load: LoadContext, lesson: Pick<LessonRow, 'given_by'>): void {
  if (!mayWriteLesson(caller, load, lesson)) {
    throw forbidden(`Изменять записи этого урока может только учитель «${load.subject_name}» в ${load.class_name} (или заменявший его на этом уроке).`);
  }
}

export function requireOwnLoad(caller: Caller, load: LoadContext): void {
  if (!isTeacher(caller) || load.teacher_id !== caller.userId) {
    throw forbidden(`Итоговые отметки и закрытие периода — только для учителя «${load.subject_name}» в ${load.class_name}.`);
  }
}

export function requireClassTeacher(caller: Caller, classTeacherId: number | null, className: string): void {
  if (classTeacherId !== caller.userId) {
    throw forbidden(`Причины пропусков в ${className} указывает классный руководитель этого класса.`);
  }
}

/** D-14: a closed year stays read-only. */
export function requireOpenYear(load: Pick<LoadContext, 'year_closed_at'>): void {
  if (load.year_closed_at) throw locked('Учебный год закрыт: журнал доступен только для чтения.', { reason: 'yearClosed', requestable: false });
}
