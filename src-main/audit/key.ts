import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { SecretStore } from '../settings/secret-store';
import type { Db, Store } from '../store/database';

/**
 * The school's audit key (D-26): the secret that keys the audit chain (hash scheme 3) and
 * wraps the backup signing key. It never lives in the database — the school row keeps only
 * its id — but in each PC's SecretStore (src-main/settings/secret-store.ts), because every
 * save on every PC appends a keyed record with nobody typing anything, and the weekly
 * backup signs unattended; a key derived from an administrator's password would have to be
 * typed at every start of every PC. So someone with write access to the database alone
 * cannot forge, rewrite or re-chain records; someone holding a staff PC's secrets can.
 */
export interface AuditKey {
  /** Public name of the key: stored in the school row and in every keyed record. */
  id: string;
  secret: Buffer;
  /** HMAC's padded key blocks (K ⊕ ipad, K ⊕ opad): PostgreSQL finishes the HMAC with sha256(). */
  innerPad: Buffer;
  outerPad: Buffer;
}

const SECRET_PREFIX = 'audit-key:';
const HMAC_BLOCK = 64;

export function auditKeyFrom(secret: Buffer): AuditKey {
  const block = Buffer.alloc(HMAC_BLOCK);
  secret.copy(block); // 32 bytes: shorter than the block, so used as is, zero-padded
  return {
    id: createHash('sha256').update('zhurnal audit key id\0').update(secret).digest('hex').slice(0, 16),
    secret,
    innerPad: Buffer.from(block.map((byte) => byte ^ 0x36)),
    outerPad: Buffer.from(block.map((byte) => byte ^ 0x5c)),
  };
}

/** A key derived from the audit key for another purpose (the backup signing key's wrapping). */
export function derivedKey(key: AuditKey, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', key.secret, Buffer.from(key.id), Buffer.from(`zhurnal ${purpose}`), 32));
}

/** Where a store's key comes from: resolved once the school exists. */
interface KeyState {
  secrets: SecretStore;
  key: AuditKey | null;
  resolved: boolean;
}

const states = new WeakMap<Store, KeyState>();

/** The key this store writes with, if resolved (null: none on this PC, or no SecretStore). */
export function auditKeyOf(store: Store): AuditKey | null {
  return states.get(store)?.key ?? null;
}

/** The audit key held on this PC for the given key id. */
export function readAuditKey(secrets: SecretStore, keyId: string): AuditKey | null {
  const stored = secrets.get(SECRET_PREFIX + keyId);
  if (!stored) return null;
  const key = auditKeyFrom(Buffer.from(stored, 'base64'));
  return key.id === keyId ? key : null;
}

/**
 * Gives a store this PC's audit key. A school without a key yet gets one now: made here,
 * kept in the SecretStore, its id written into the school row (only if no other PC did so
 * first). Before the school exists this is retried at the next append.
 */
export async function attachAuditKey(store: Store, secrets: SecretStore): Promise<AuditKey | null> {
  const state: KeyState = { secrets, key: null, resolved: false };
  states.set(store, state);
  await resolveAuditKey(store, store.db);
  return state.key;
}

/** Called by every append: a no-op once resolved. */
export async function resolveAuditKey(store: Store, db: Db): Promise<void> {
  const state = states.get(store);
  if (!state || state.resolved) return;
  const school = await db.selectFrom('school').select('audit_key_id').where('id', '=', 1).executeTakeFirst();
  if (!school) return; // no school yet: the first append after it is created resolves the key
  if (school.audit_key_id) {
    state.key = readAuditKey(state.secrets, school.audit_key_id);
  } else {
    const key = auditKeyFrom(randomBytes(32));
    state.secrets.set(SECRET_PREFIX + key.id, key.secret.toString('base64'));
    const claimed = await db.updateTable('school').set({ audit_key_id: key.id }).where('id', '=', 1).where('audit_key_id', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 1) {
      state.key = key;
    } else {
      state.secrets.delete(SECRET_PREFIX + key.id); // another PC was first
      const winner = await db.selectFrom('school').select('audit_key_id').where('id', '=', 1).executeTakeFirst();
      state.key = winner?.audit_key_id ? readAuditKey(state.secrets, winner.audit_key_id) : null;
    }
  }
  state.resolved = true;
}

/** Exposes the SecretStore attached to a store (the anchors and the signing key use the same PC). */
export function secretsOf(store: Store): SecretStore | null {
  return states.get(store)?.secrets ?? null;
}
