import type { Generated } from 'kysely';

// The backup run log (migration 0006): one row per destination of each run.

export interface BackupRunTable {
  id: Generated<number>;
  started_at: string;
  finished_at: string | null;
  trigger: string;
  destination: string;
  location: string | null;
  status: string;
  file_name: string | null;
  size_bytes: number | null;
  error: string | null;
  user_id: number | null;
}

export interface BackupTables {
  backup_run: BackupRunTable;
}
