import type { Generated, Insertable, Selectable } from 'kysely';

// The accounts' tables (migrations 0001, 0003): who may sign in, with which roles, and the
// requests for a password reset (D-43).

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
  blocked_reason: string | null;
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

export interface AccountTables {
  app_user: UserTable;
  user_role: UserRoleTable;
  password_reset_request: PasswordResetRequestTable;
}

export type UserRow = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
