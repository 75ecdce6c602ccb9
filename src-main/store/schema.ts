import type { Generated, Selectable } from 'kysely';
import type { AccountTables } from '../accounts/tables';
import type { BackupTables } from '../backup/tables';
import type { ExtractTables } from '../extracts/tables';
import type { JournalTables } from '../journal/tables';
import type { PlanTables } from '../plans/tables';
import type { StaffTables } from '../staff/tables';
import type { PrintingTables } from '../printing/tables';
import type { SchoolTables } from '../school/tables';
import type { SettingsTables } from '../settings/tables';
import type { SubstitutionTables } from '../substitutions/tables';

// Column conventions, the same on both engines:
// - ids are 32-bit integers; calendar dates are TEXT 'YYYY-MM-DD' (school-local);
// - instants are TEXT ISO-8601 in UTC ('2026-09-01T05:30:00.000Z');
// - booleans are integers 0/1 (SQLite has no boolean); JSON is TEXT.

export interface AuditLogTable {
  /** Increases with time within a chain; gaps are normal (other chains, rolled-back writes). */
  id: number;
  /** Which chain (= audit_head.id) the record belongs to. */
  chain: number;
  /** The record before it in its chain (0 for the first): names a deleted one. */
  prev_id: number;
  at: string;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  prev_hash: string;
  /** How `hash` is made (audit/chain.ts): 1 for records before migration 0009, 2 since. */
  hash_scheme: Generated<number>;
  /** Scheme 3: the id of the audit key the record is keyed with (migration 0011). */
  key_id: Generated<string | null>;
  hash: string;
}

export interface AuditHeadTable {
  id: number; // the chain's number
  last_id: number;
  last_hash: string;
}

/** Every table: each domain declares its own; this only combines them (the audit chain's are above). */
export interface Database extends AccountTables, SchoolTables, SettingsTables, JournalTables, SubstitutionTables, PrintingTables, BackupTables, PlanTables, ExtractTables, StaffTables {
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
}

export type AuditRow = Selectable<AuditLogTable>;
