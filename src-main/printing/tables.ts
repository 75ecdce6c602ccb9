import type { Generated } from 'kysely';

// The print log (migration 0007): every printed document with its PDF's SHA-256.

export interface PrintLogTable {
  id: Generated<number>;
  printed_at: string;
  user_id: number | null;
  source: string;
  document: string;
  class_id: number | null;
  year_id: number | null;
  period_id: number | null;
  title: string;
  options: string;
  sha256: string;
  pages: number;
  sheets: number;
  file_name: string | null;
}

export interface PrintingTables {
  print_log: PrintLogTable;
}
