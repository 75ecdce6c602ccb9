import type { Generated } from 'kysely';

// Extracts for parents and the council's decisions (migration 0017).

export interface ExtractPrintTable {
  id: Generated<number>;
  print_log_id: number;
  class_id: number;
  student_id: number;
  from_date: string;
  to_date: string;
  printed_at: string;
  printed_by: number | null;
  acknowledged_on: string | null;
  acknowledged_at: string | null;
  acknowledged_by: number | null;
}

export interface CouncilDecisionTable {
  id: Generated<number>;
  student_id: number;
  year_id: number;
  class_id: number;
  decision: string;
  protocol_date: string;
  protocol_number: string;
  updated_at: string;
  updated_by: number;
}

export interface ExtractTables {
  extract_print: ExtractPrintTable;
  council_decision: CouncilDecisionTable;
}
