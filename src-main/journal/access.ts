import type { Role } from '../../src-shared/roles';
import type { Caller } from '../core/context';
import { forbidden, locked } from '../core/errors';
import type { Db } from '../store/database';
import { gaveLessonIn, type LessonRow, type LoadContext } from './repository';

// Row-level rules on top of the method permissions (D-1 … D-7):
// a teacher sees and edits only their own load; a substitute only the lessons they gave;
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
    if (await gaveLessonIn(db, load.id, caller.userId)) return 'substitute';
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

/**
 * May the caller create a lesson in this load (D-4)? The load's teacher may; another
 * teacher only a lesson they are registered to substitute. Anything else is refused,
 * before anything is written.
 */
export function requireLessonCreate(caller: Caller, load: LoadContext): void {
  if (!isTeacher(caller)) throw forbidden('Уроки записывает учитель.');
  if (load.teacher_id === caller.userId) return;
  throw forbidden(`Урок «${load.subject_name}» в ${load.class_name} записывает учитель этого предмета или заменяющий его по назначению заместителя директора.`);
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
