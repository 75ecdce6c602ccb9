import type { Db } from '../store/database';

// The teaching load (`load.*`) owns the one join every domain needs to name a load: its
// class, subject, teacher, subgroup and year. Other domains start from `loadContextQuery` and
// add their own joins, columns and `where` (where queries live: docs/architecture.md, Domains).

export interface LoadContext {
  id: number;
  year_id: number;
  class_id: number;
  subject_id: number;
  subgroup_id: number | null;
  teacher_id: number;
  class_name: string;
  grade: number;
  no_marks: number;
  class_teacher_id: number | null;
  subject_name: string;
  subgroup_name: string | null;
  teacher_name: string;
  year_closed_at: string | null;
  year_starts_on: string;
  year_ends_on: string;
}

/** Loads with their names (aliases `tl`, `c`, `s`, `u`, `y`, `sg`); callers add `where`, joins and columns. */
export function loadContextQuery(db: Db) {
  return db
    .selectFrom('teaching_load as tl')
    .innerJoin('school_class as c', 'c.id', 'tl.class_id')
    .innerJoin('subject as s', 's.id', 'tl.subject_id')
    .innerJoin('app_user as u', 'u.id', 'tl.teacher_id')
    .innerJoin('academic_year as y', 'y.id', 'tl.year_id')
    .leftJoin('subgroup as sg', 'sg.id', 'tl.subgroup_id')
    .select([
      'tl.id',
      'tl.year_id',
      'tl.class_id',
      'tl.subject_id',
      'tl.subgroup_id',
      'tl.teacher_id',
      'c.name as class_name',
      'c.grade',
      'c.no_marks',
      'c.class_teacher_id',
      's.name as subject_name',
      'sg.name as subgroup_name',
      'u.full_name as teacher_name',
      'y.closed_at as year_closed_at',
      'y.starts_on as year_starts_on',
      'y.ends_on as year_ends_on',
    ]);
}

export async function findLoad(db: Db, loadId: number): Promise<LoadContext | undefined> {
  return loadContextQuery(db).where('tl.id', '=', loadId).executeTakeFirst();
}
