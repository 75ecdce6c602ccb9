import type { Db } from '../store/database';

/** «Классный руководитель» follows from being assigned to a class. */
export type ClassTeacherLookup = (db: Db, userId: number) => Promise<Array<{ id: number; name: string }>>;

/** Classes the person leads in years not yet closed. */
export const classesLedBy: ClassTeacherLookup = async (db, userId) =>
  db
    .selectFrom('school_class as c')
    .innerJoin('academic_year as y', 'y.id', 'c.year_id')
    .select(['c.id', 'c.name'])
    .where('c.class_teacher_id', '=', userId)
    .where('y.closed_at', 'is', null)
    .orderBy('c.grade')
    .orderBy('c.letter')
    .execute();
