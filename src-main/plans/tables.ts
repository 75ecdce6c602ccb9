import type { Generated } from 'kysely';

// The calendar-thematic plan (КТП, D-15), migration 0016.

export type PlanStatus = 'draft' | 'review' | 'approved';

/** One plan per teaching load; `version` guards against two editors (a stale save gets `conflict`). */
export interface PlanTable {
  id: Generated<number>;
  load_id: number;
  year_id: number;
  status: string; // PlanStatus
  /** The teacher's explanation of hours that differ from the curriculum (D-15). */
  hours_note: string;
  /** The deputy's comment when returning (or approving) the plan. */
  review_comment: string;
  submitted_at: string | null;
  submitted_by: number | null;
  decided_at: string | null;
  decided_by: number | null;
  created_at: string;
  created_by: number;
  updated_at: string;
  updated_by: number;
  version: number;
}

/** A numbered lesson of the plan; a row of N hours is covered by N journal lessons. */
export interface PlanRowTable {
  id: Generated<number>;
  plan_id: number;
  number: number;
  section: string;
  topic: string;
  hours: number;
  planned_date: string | null;
  planned_week: number | null;
  control_work: number;
  work_type_id: number | null;
  homework: string;
}

/** A change to an approved plan, with the teacher's reason. */
export interface PlanCorrectionTable {
  id: Generated<number>;
  plan_id: number;
  corrected_at: string;
  corrected_by: number;
  reason: string;
  summary: string;
}

export interface PlanTables {
  plan: PlanTable;
  plan_row: PlanRowTable;
  plan_correction: PlanCorrectionTable;
}
