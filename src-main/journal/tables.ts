import type { Generated } from 'kysely';

// The class journal (D-15 … D-29). Every row that a teacher
// edits carries `version` for optimistic concurrency (a stale save gets `conflict`).

export interface LessonTable {
  id: Generated<number>;
  load_id: number;
  date: string; // never in the future (D-17)
  lesson_number: number | null;
  topic: string;
  material: string;
  homework: string;
  homework_for: string | null; // the date homework is due; may be ahead (D-17)
  work_types: string; // JSON array of work_type ids done in the lesson
  comment: string;
  given_by: number; // the teacher who gave it: a substitute differs from the load's teacher
  substitution: number; // 1 when given_by is not the load's teacher, recorded at entry
  created_at: string;
  created_by: number;
  topic_entered_at: string | null; // timeliness (D-18) is measured, not enforced
  homework_entered_at: string | null;
  /** D-18, measured when the topic / homework is first entered (migration 0005). */
  topic_late: Generated<number>;
  homework_late: Generated<number>;
  version: number;
  /** The КТП row the topic came from (migration 0016); null when typed by hand. */
  plan_row_id: Generated<number | null>;
}

export interface MarkTable {
  id: Generated<number>;
  lesson_id: number;
  student_id: number;
  value: string; // '5', '4', … or a special mark: 'осв', 'н/а', 'зач', 'Д', 'безотм' (D-21)
  work_type_id: number;
  comment: string;
  /** A make-up mark for a missed topic (D-24): the absence stays. */
  make_up: number;
  created_at: string;
  created_by: number;
  updated_at: string;
  updated_by: number;
  version: number;
  /** D-18: entered after the work type's due days (migration 0005). */
  late: Generated<number>;
}

/** One row per absent or late student per lesson (D-27, D-28). */
export interface AttendanceTable {
  lesson_id: number;
  student_id: number;
  code: string; // 'ОТ' | 'ОП' | 'УП' | 'Б' | 'НП'
  updated_at: string;
  updated_by: number;
  version: number;
}

/** Period finals (D-23): kind 'period' names a study period; 'year', 'exam', 'final' do not. */
export interface FinalMarkTable {
  id: Generated<number>;
  load_id: number;
  student_id: number;
  kind: string;
  period_id: number | null;
  value: string;
  suggested: string;
  deferred: number; // a sick student's final is deferred (002 §5.5)
  updated_at: string;
  updated_by: number;
  version: number;
}

/** A period whose finals are set is locked for the teacher until reopened (D-25). */
export interface PeriodLockTable {
  id: Generated<number>;
  load_id: number;
  period_id: number;
  locked_at: string;
  locked_by: number;
  reopened_at: string | null;
  reopened_by: number | null;
  reopen_reason: string | null;
}

/** A teacher's request to change a locked entry; a deputy or the administrator decides (D-25). */
export interface ChangeRequestTable {
  id: Generated<number>;
  load_id: number;
  target: string; // JSON: what is to change (mark, attendance, lesson field)
  proposed: string; // JSON: the new value
  reason: string;
  requested_by: number;
  requested_at: string;
  status: string; // 'pending' | 'approved' | 'rejected'
  decided_by: number | null;
  decided_at: string | null;
  decision_note: string | null;
}

/** Keys of recent saves, so a retried save is applied once (migration 0005). */
export interface JournalIdempotencyTable {
  user_id: number;
  key: string;
  method: string;
  result: string; // JSON of the first answer
  created_at: string;
}

export interface JournalTables {
  journal_idempotency: JournalIdempotencyTable;
  lesson: LessonTable;
  mark: MarkTable;
  attendance: AttendanceTable;
  final_mark: FinalMarkTable;
  period_lock: PeriodLockTable;
  change_request: ChangeRequestTable;
}
