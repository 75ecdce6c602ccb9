import type { Generated } from 'kysely';

// The substitution register (002 §7A.4; D-2, D-3, D-4), migration 0013.

export interface SubstitutionTable {
  id: Generated<number>;
  year_id: number;
  date: string;
  lesson_number: number;
  /** The absent teacher's load whose lesson is covered. */
  load_id: number;
  absent_teacher_id: number;
  /** Null when the lesson is cancelled. */
  substitute_id: number | null;
  kind: string; // SubstitutionKind
  reason: string; // AbsenceReason
  order_number: string;
  note: string;
  /** «Проведение своего предмета»: the substitute's own load, where the lesson is written. */
  target_load_id: number | null;
  /** The lesson written under this substitution, once written. */
  lesson_id: number | null;
  created_at: string;
  created_by: number;
  removed_at: string | null;
  removed_by: number | null;
  removed_reason: string | null;
}

/** A lesson moved for one day to another date or slot (перенос). */
export interface LessonTransferTable {
  id: Generated<number>;
  year_id: number;
  load_id: number;
  from_date: string;
  from_lesson_number: number;
  to_date: string;
  to_lesson_number: number;
  room: string;
  reason: string;
  order_number: string;
  created_at: string;
  created_by: number;
  removed_at: string | null;
  removed_by: number | null;
}

/** A planned control work of a load (002 §7A.5). */
export interface ControlWorkTable {
  id: Generated<number>;
  year_id: number;
  load_id: number;
  date: string;
  title: string;
  planned_date: string;
  correction_reason: string | null;
  created_at: string;
  created_by: number;
  removed_at: string | null;
}

export interface SubstitutionTables {
  control_work: ControlWorkTable;
  substitution: SubstitutionTable;
  lesson_transfer: LessonTransferTable;
}
