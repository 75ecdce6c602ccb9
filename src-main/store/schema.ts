import type { Generated, Insertable, Selectable } from 'kysely';
import type { JournalTables } from '../journal/tables';
import type { SchoolTables } from '../school/tables';
import type { SubstitutionTables } from '../substitutions/tables';

// Column conventions, the same on both engines:
// - ids are 32-bit integers; calendar dates are TEXT 'YYYY-MM-DD' (school-local);
// - instants are TEXT ISO-8601 in UTC ('2026-09-01T05:30:00.000Z');
// - booleans are integers 0/1 (SQLite has no boolean); JSON is TEXT.

export interface SchoolTable {
  id: number; // the chain's number: one school per database
  name: string;
  time_zone: string;
  created_at: string;
  signing_key_private: string | null;
  signing_key_public: string | null;
  /** Id of the school's audit key (migration 0011); the key itself is kept on the PCs, never here. */
  audit_key_id: string | null;
}

export interface SchoolSettingTable {
  key: string;
  value: string; // JSON
}

export interface UserTable {
  id: Generated<number>;
  login: string; // lower-case
  full_name: string;
  position: string;
  password_hash: string;
  must_change_password: number;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
  compromised_at: string | null;
  created_at: string;
  password_changed_at: string | null;
  version: number;
}

export interface UserRoleTable {
  user_id: number;
  role: string;
}

export interface PasswordResetRequestTable {
  id: Generated<number>;
  login: string;
  user_id: number | null;
  requested_at: string;
  note: string;
  resolved_at: string | null;
  resolved_by: number | null;
}

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

/** Every table; each domain declares its own in `<domain>/tables.ts`. */
export interface Database extends SchoolTables, JournalTables, SubstitutionTables {
  school: SchoolTable;
  school_setting: SchoolSettingTable;
  app_user: UserTable;
  user_role: UserRoleTable;
  password_reset_request: PasswordResetRequestTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
}

export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type AuditRow = Selectable<AuditLogTable>;
