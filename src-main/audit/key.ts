import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from '../core/errors';
import type { SecretStore } from '../settings/secret-store';
import { parsePhrase } from './phrase';
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

// ── Carrying the key to another PC ──────────────────────────────────────────────────────
//
// Every PC of a LAN school needs the key to write keyed records and to sign backups. The
// administrator carries it: the recovery phrase (printed once at setup, shown again on the
// audit page to an administrator) or the key file on a flash drive, typed or read on the
// other PC; or a restore of a password-protected backup, which carries it. The school row's
// key id is the verifier: a hash of the key, it tells the right key from a wrong one and
// reveals nothing of it.

export interface AuditKeyStatus {
  /** The school in this database has an audit key (made by its first PC). */
  schoolHasKey: boolean;
  /** This PC holds it: what it writes is keyed, and it can sign backups. */
  onThisPc: boolean;
  /** This PC has a secret store to keep a key in (the app, or the CLI with a PC folder). */
  canHold: boolean;
}

export async function auditKeyStatus(store: Store, db: Db = store.db): Promise<AuditKeyStatus> {
  await resolveAuditKey(store, db);
  const school = await db.selectFrom('school').select('audit_key_id').where('id', '=', 1).executeTakeFirst();
  const key = auditKeyOf(store);
  return { schoolHasKey: Boolean(school?.audit_key_id), onThisPc: Boolean(key && key.id === school?.audit_key_id), canHold: secretsOf(store) !== null };
}

export type KeyCheck = { ok: true; key: AuditKey } | { ok: false; message: string };

/** Is `text` (a phrase or a key file's content) the key of the school in `db`? Changes nothing. */
export async function checkAuditKeyText(db: Db, text: string): Promise<KeyCheck> {
  const parsed = parsePhrase(text);
  if (!parsed.ok) return parsed;
  const school = await db.selectFrom('school').select('audit_key_id').where('id', '=', 1).executeTakeFirst();
  if (!school) return { ok: false, message: 'Школа в этой базе ещё не создана: вводить ключ пока не к чему.' };
  if (!school.audit_key_id) return { ok: false, message: 'У школы в этой базе ещё нет ключа журнала изменений: его создаст первый компьютер, открывший её в «Журнале».' };
  const key = auditKeyFrom(parsed.secret);
  if (key.id !== school.audit_key_id) {
    return { ok: false, message: 'Эта фраза — не ключ журнала изменений этой школы (другой школы или набрана не та). Ничего не изменено.' };
  }
  return { ok: true, key };
}

/**
 * Keeps the school's key on this PC, after checking it against the school row; from now on
 * this store writes keyed records. `secrets` is for a store opened without them (the CLI).
 */
export async function enterAuditKey(store: Store, text: string, secrets?: SecretStore): Promise<AuditKey> {
  const keyStore = secrets ?? secretsOf(store);
  if (!keyStore) throw new AppError('unavailable', 'На этом компьютере негде хранить ключ: в командной строке укажите папку компьютера (--pc или ZHURNAL_PC_DIR).');
  const checked = await checkAuditKeyText(store.db, text);
  if (!checked.ok) throw new AppError('validation', checked.message, [{ path: 'phrase', message: checked.message }]);
  keepAuditKey(keyStore, checked.key);
  states.set(store, { secrets: keyStore, key: checked.key, resolved: true });
  return checked.key;
}

/** Stores a key already checked against its school (a restore brings it from the backup). */
export function keepAuditKey(secrets: SecretStore, key: AuditKey): void {
  secrets.set(SECRET_PREFIX + key.id, key.secret.toString('base64'));
}
