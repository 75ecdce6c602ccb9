import { foundation } from './0001_foundation';
import { school } from './0002_school';
import { journal } from './0003_journal';
import { schoolMore } from './0004_school_more';
import { journalMore } from './0005_journal_more';
import { backup } from './0006_backup';
import { printing } from './0007_printing';
import { auditChains } from './0008_audit_chains';
import { auditHashScheme } from './0009_audit_hash_scheme';
import { auditKey } from './0011_audit_key';
import { substitutions } from './0013_substitutions';
import { accountBlockReason } from './0015_account_block_reason';
import { plans } from './0016_plans';
import { extracts } from './0017_extracts';
import { parents } from './0018_parents';
import { staffConsents } from './0019_staff_consents';
import type { ZhurnalMigration } from './helpers';

/**
 * Every migration, in order. Names are recorded in the database; a database holding a
 * name this list lacks was written by a newer Zhurnal and is refused.
 * Append only: never rename, reorder or edit a migration that has shipped.
 */
export const migrations: ReadonlyArray<readonly [name: string, migration: ZhurnalMigration]> = [
  ['0001_foundation', foundation],
  ['0002_school', school],
  ['0003_journal', journal],
  ['0004_school_more', schoolMore],
  ['0005_journal_more', journalMore],
  ['0006_backup', backup],
  ['0007_printing', printing],
  ['0008_audit_chains', auditChains],
  ['0009_audit_hash_scheme', auditHashScheme],
  ['0013_substitutions', substitutions],
  ['0015_account_block_reason', accountBlockReason],
  ['0011_audit_key', auditKey],
  ['0016_plans', plans],
  ['0017_extracts', extracts],
  ['0018_parents', parents],
  ['0019_staff_consents', staffConsents],
];
