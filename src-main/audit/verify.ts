import type { Store } from '../store/database';
import { compareAnchors, readPcAnchors, type Anchor } from './anchors';
import { verifyChain } from './chain';
import { auditKeyOf, readAuditKey, secretsOf, type AuditKey } from './key';
import { checkStateAgainstHistory } from './state';
import type { SecretStore } from '../settings/secret-store';

export interface AuditVerdict {
  ok: boolean;
  checked: number;
  /** The first record at which a chain breaks. */
  firstBroken?: { id: number; reason: string };
  /** False when this PC holds no audit key of the school: the keyed records' keying was not checked. */
  keyChecked: boolean;
  /** How many anchors (PC file, backups) were compared. */
  anchorsCompared: number;
  /** Records missing or rewritten since an anchor, and journal rows that differ from their history, in Russian. */
  findings: string[];
}

export interface VerifyOptions {
  /** This PC's secrets, when the store was opened without them (the CLI). */
  secrets?: SecretStore | null;
  /** This PC's folder, whose anchor file is compared. */
  pcDir?: string | null;
  /** Anchors found elsewhere (backup manifests). */
  anchors?: Anchor[];
}

async function keyFor(store: Store, secrets: SecretStore | null): Promise<AuditKey | null> {
  const attached = auditKeyOf(store);
  if (attached) return attached;
  if (!secrets) return null;
  const school = await store.db.selectFrom('school').select('audit_key_id').where('id', '=', 1).executeTakeFirst();
  return school?.audit_key_id ? readAuditKey(secrets, school.audit_key_id) : null;
}

/**
 * `audit verify` (D-26): the chains themselves (linked, each record's hash, keyed records
 * against the school's key), the anchors kept outside the database, and the journal's
 * marks, attendance and lessons against what the history says they are.
 */
export async function verifyAudit(store: Store, options: VerifyOptions = {}): Promise<AuditVerdict> {
  const secrets = options.secrets ?? secretsOf(store);
  const key = await keyFor(store, secrets);
  const chain = await verifyChain(store.db, key);
  const anchors = [...(options.anchors ?? []), ...(options.pcDir ? await readPcAnchors(options.pcDir, store.db) : [])];
  const findings = [...(await compareAnchors(store.db, anchors)), ...(await checkStateAgainstHistory(store.db))];
  const keyedRecords = await store.db.selectFrom('audit_log').select('id').where('hash_scheme', '=', 3).limit(1).execute();
  return {
    ok: chain.ok && findings.length === 0,
    checked: chain.checked,
    ...(chain.firstBroken ? { firstBroken: chain.firstBroken } : {}),
    keyChecked: keyedRecords.length === 0 || key !== null,
    anchorsCompared: anchors.length,
    findings,
  };
}
