import type { StaffConsent } from '../../src-shared/contract/school';
import type { Db } from '../store/database';

// D-45 extended to staff: a staff member's consent to processing their personal data. The
// administration registers it with its date and records a withdrawal; rows are never deleted.

export function staffConsentQuery(db: Db) {
  return db
    .selectFrom('staff_consent as sc')
    .innerJoin('app_user as by', 'by.id', 'sc.created_by')
    .select(['sc.id', 'sc.user_id', 'sc.given_on', 'sc.withdrawn_on', 'sc.created_at', 'by.full_name as created_by_name']);
}

type StaffConsentRow = Awaited<ReturnType<ReturnType<typeof staffConsentQuery>['executeTakeFirstOrThrow']>>;

export function toStaffConsent(row: StaffConsentRow): StaffConsent {
  return { id: row.id, userId: row.user_id, givenOn: row.given_on, withdrawnOn: row.withdrawn_on, createdAt: row.created_at, createdByName: row.created_by_name };
}

/** In force on `date`: given by then and not withdrawn by then. */
export function inForce(consent: { given_on: string; withdrawn_on: string | null }, date: string): boolean {
  return consent.given_on <= date && (consent.withdrawn_on === null || consent.withdrawn_on > date);
}

/** The staff members (of those given) with a consent in force on `date`. */
export async function staffWithConsent(db: Db, date: string): Promise<Set<number>> {
  const rows = await db.selectFrom('staff_consent').select(['user_id', 'given_on', 'withdrawn_on']).where('given_on', '<=', date).execute();
  return new Set(rows.filter((r) => inForce(r, date)).map((r) => r.user_id));
}
