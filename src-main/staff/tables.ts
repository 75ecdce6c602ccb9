import type { Generated } from 'kysely';

// Staff members' consents to processing their personal data (D-45 extended to staff), migration 0019.

export interface StaffConsentTable {
  id: Generated<number>;
  user_id: number;
  given_on: string;
  withdrawn_on: string | null;
  created_at: string;
  created_by: number;
}

export interface StaffTables {
  staff_consent: StaffConsentTable;
}
