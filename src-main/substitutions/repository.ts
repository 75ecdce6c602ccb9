import type { SubstitutionView } from '../../src-shared/contract/substitutions';
import type { AbsenceReason, SubstitutionKind } from '../../src-shared/rules/substitutions';
import { weekdayOf } from '../../src-shared/rules/dates';
import type { Db } from '../store/database';
import { loadContextQuery } from '../load/repository';

// Queries of the substitution register. The journal asks two of them (may this teacher
// write here? is this slot given away?) on every lesson it creates.

/** Timetable lessons in force on `date` (its weekday), with what the register needs of the load. */
export function slotLessonsQuery(db: Db, yearId: number, date: string) {
  return loadContextQuery(db)
    .innerJoin('timetable_entry as t', 't.load_id', 'tl.id')
    .select(['t.lesson_number', 't.room', 'tl.id as load_id'])
    .where('tl.year_id', '=', yearId)
    .where('t.weekday', '=', weekdayOf(date))
    .where('t.valid_from', '<=', date)
    .where((eb) => eb.or([eb('t.valid_to', 'is', null), eb('t.valid_to', '>=', date)]));
}
export type SlotLesson = Awaited<ReturnType<ReturnType<typeof slotLessonsQuery>['execute']>>[number];

export function substitutionQuery(db: Db) {
  return db
    .selectFrom('substitution as r')
    .innerJoin('teaching_load as tl', 'tl.id', 'r.load_id')
    .innerJoin('school_class as c', 'c.id', 'tl.class_id')
    .innerJoin('subject as s', 's.id', 'tl.subject_id')
    .leftJoin('subgroup as sg', 'sg.id', 'tl.subgroup_id')
    .innerJoin('app_user as absent', 'absent.id', 'r.absent_teacher_id')
    .leftJoin('app_user as sub', 'sub.id', 'r.substitute_id')
    .leftJoin('app_user as remover', 'remover.id', 'r.removed_by')
    .leftJoin('teaching_load as target', 'target.id', 'r.target_load_id')
    .leftJoin('subject as ts', 'ts.id', 'target.subject_id')
    .select([
      'r.id',
      'r.date',
      'r.lesson_number',
      'r.load_id',
      'c.name as class_name',
      's.name as subject_name',
      'sg.name as subgroup_name',
      'r.absent_teacher_id',
      'absent.full_name as absent_teacher_name',
      'r.substitute_id',
      'sub.full_name as substitute_name',
      'r.kind',
      'r.reason',
      'r.order_number',
      'r.note',
      'r.target_load_id',
      'ts.name as target_subject_name',
      'r.lesson_id',
      'r.removed_at',
      'remover.full_name as removed_by_name',
      'r.removed_reason',
    ]);
}
type SubstitutionRow = Awaited<ReturnType<ReturnType<typeof substitutionQuery>['execute']>>[number];

export function toView(r: SubstitutionRow): SubstitutionView {
  return {
    id: r.id,
    date: r.date,
    lessonNumber: r.lesson_number,
    loadId: r.load_id,
    className: r.class_name,
    subjectName: r.subject_name,
    subgroupName: r.subgroup_name ?? null,
    absentTeacherId: r.absent_teacher_id,
    absentTeacherName: r.absent_teacher_name,
    substituteId: r.substitute_id,
    substituteName: r.substitute_name ?? null,
    kind: r.kind as SubstitutionKind,
    reason: r.reason as AbsenceReason,
    orderNumber: r.order_number,
    note: r.note,
    targetLoadId: r.target_load_id,
    targetSubjectName: r.target_subject_name ?? null,
    lessonId: r.lesson_id,
    removedAt: r.removed_at,
    removedByName: r.removed_by_name ?? null,
    removedReason: r.removed_reason,
    needsAttention: r.removed_at !== null && r.lesson_id !== null,
  };
}

/** Live substitutions touching a load on a date: given away from it, or landing in it. */
export async function liveSubstitutionsOfLoadOn(db: Db, loadId: number, date: string) {
  return db
    .selectFrom('substitution')
    .select(['id', 'lesson_number', 'load_id', 'target_load_id', 'substitute_id', 'kind', 'lesson_id'])
    .where('date', '=', date)
    .where('removed_at', 'is', null)
    .where((eb) => eb.or([eb('load_id', '=', loadId), eb('target_load_id', '=', loadId)]))
    .execute();
}

/** Does the teacher hold a live assignment to write into this load (a substitute's page access)? */
export async function isAssignedTo(db: Db, loadId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('substitution')
    .select('id')
    .where('load_id', '=', loadId)
    .where('substitute_id', '=', userId)
    .where('kind', 'in', ['subject', 'merge'])
    .where('removed_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

/** A substitute's assignments in a load: the lessons they may write there. */
export async function assignmentsIn(db: Db, loadId: number, userId: number) {
  return db
    .selectFrom('substitution')
    .select(['id', 'date', 'lesson_number', 'lesson_id'])
    .where('load_id', '=', loadId)
    .where('substitute_id', '=', userId)
    .where('kind', 'in', ['subject', 'merge'])
    .where('removed_at', 'is', null)
    .orderBy('date')
    .orderBy('lesson_number')
    .execute();
}
