import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scrypt as scryptCallback,
  type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import { appendAudit } from '../audit/chain';
import { auditKeyOf, derivedKey, resolveAuditKey, secretsOf, type AuditKey } from '../audit/key';
import type { SecretStore } from '../settings/secret-store';
import { AppError } from '../core/errors';
import type { Store } from '../store/database';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

export const WRONG_PASSWORD = 'Неверный пароль резервной копии.';

// ── The school's signing key (D-39) ─────────────────────────────────────────────────────

export interface SigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
}

/** SHA-256 of the public key (SPKI DER), in groups of four: what the admin screen prints. */
export function fingerprintOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/.{4}/g)!.join(' ');
}

// The private key is stored wrapped (AES-256-GCM) with a key derived from the school's audit
// key, which lives on the PCs and never in the database: a copy of the database alone
// cannot sign a backup. A database whose school has no audit key yet (opened only by the
// CLI or tests without a PC folder) keeps the older plain form until a PC with the key
// signs with it, which wraps it.
const WRAPPED_PREFIX = 'wrapped1:';

function wrapSigningKey(pem: string, key: AuditKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derivedKey(key, 'backup signing key'), iv);
  const data = Buffer.concat([cipher.update(pem, 'utf8'), cipher.final()]);
  return `${WRAPPED_PREFIX}${key.id}:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${data.toString('base64')}`;
}

const NO_KEY_ON_THIS_PC =
  'Ключ подписи резервных копий защищён ключом журнала изменений школы, а его на этом компьютере нет. ' +
  'Сделайте копию на компьютере, где работает «Журнал» этой школы (в командной строке укажите его папку: --pc или ZHURNAL_PC_DIR).';

function unwrapSigningKey(stored: string, key: AuditKey | null): KeyObject {
  const [keyId, iv, tag, data] = stored.slice(WRAPPED_PREFIX.length).split(':');
  if (!key || key.id !== keyId) throw new AppError('unavailable', NO_KEY_ON_THIS_PC);
  const decipher = createDecipheriv('aes-256-gcm', derivedKey(key, 'backup signing key'), Buffer.from(iv ?? '', 'base64'));
  decipher.setAuthTag(Buffer.from(tag ?? '', 'base64'));
  try {
    return createPrivateKey(Buffer.concat([decipher.update(Buffer.from(data ?? '', 'base64')), decipher.final()]).toString('utf8'));
  } catch {
    throw new AppError('unavailable', 'Ключ подписи резервных копий в базе данных повреждён или изменён.');
  }
}

/** The school's Ed25519 key; made and stored on first use (it lives in the school row, wrapped). */
export async function ensureSigningKey(store: Store, now: Date, userId: number | null): Promise<SigningKey> {
  const signing = await store.db.transaction().execute(async (tx) => {
    await resolveAuditKey(store, tx);
    const auditKey = auditKeyOf(store);
    const school = await tx.selectFrom('school').select(['signing_key_private', 'signing_key_public', 'audit_key_id']).where('id', '=', 1).executeTakeFirst();
    if (!school) throw new AppError('conflict', 'Школа в этой базе ещё не создана: копировать нечего.');
    if (school.signing_key_private && school.signing_key_public) {
      const stored = school.signing_key_private;
      let privateKey: KeyObject;
      if (stored.startsWith(WRAPPED_PREFIX)) {
        privateKey = unwrapSigningKey(stored, auditKey);
      } else {
        privateKey = createPrivateKey(stored);
        // Kept plain by an older version: wrapped now, if this PC holds the school's key.
        if (auditKey) await tx.updateTable('school').set({ signing_key_private: wrapSigningKey(stored, auditKey) }).where('id', '=', 1).execute();
      }
      return { privateKey, publicKeyPem: school.signing_key_public, fingerprint: fingerprintOf(school.signing_key_public) };
    }
    if (school.audit_key_id && !auditKey) throw new AppError('unavailable', NO_KEY_ON_THIS_PC);
    const pair = generateKeyPairSync('ed25519');
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await tx
      .updateTable('school')
      .set({ signing_key_private: auditKey ? wrapSigningKey(privatePem, auditKey) : privatePem, signing_key_public: publicPem })
      .where('id', '=', 1)
      .execute();
    const fingerprint = fingerprintOf(publicPem);
    await appendAudit(tx, store, {
      at: now.toISOString(),
      userId,
      action: 'backup.signingKey.create',
      entity: 'school',
      entityId: 1,
      after: { fingerprint },
    });
    return { privateKey: pair.privateKey, publicKeyPem: publicPem, fingerprint };
  });
  rememberSigner(store, signing.publicKeyPem);
  return signing;
}

// ── Signers this PC knows (D-39) ────────────────────────────────────────────────────────
//
// A backup signed by another school's key must not replace this school's data unnoticed.
// The school's public key is in its database; each PC also remembers the keys of the
// schools it has signed or restored backups for, in its SecretStore (the app encrypts it),
// so a restore into a new, empty database is still checked.

const SIGNERS_SECRET = 'backup-signers';

export function knownSigners(secrets: SecretStore | null): string[] {
  if (!secrets) return [];
  try {
    const parsed = JSON.parse(secrets.get(SIGNERS_SECRET) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((pem): pem is string => typeof pem === 'string') : [];
  } catch {
    return [];
  }
}

export function rememberSignerIn(secrets: SecretStore | null, publicKeyPem: string): void {
  if (!secrets) return;
  const known = knownSigners(secrets);
  if (known.some((pem) => pem.trim() === publicKeyPem.trim())) return;
  secrets.set(SIGNERS_SECRET, JSON.stringify([...known, publicKeyPem.trim()]));
}

function rememberSigner(store: Store, publicKeyPem: string): void {
  rememberSignerIn(secretsOf(store), publicKeyPem);
}

export async function readSigningPublicKey(store: Store): Promise<string | null> {
  const school = await store.db.selectFrom('school').select('signing_key_public').where('id', '=', 1).executeTakeFirst();
  return school?.signing_key_public ?? null;
}

// ── The backup password (152-ФЗ, D-45) ──────────────────────────────────────────────────
//
// The password is never stored, not even as something that decrypts backups. Setting it
// makes an X25519 key pair: the public half stays in the database, so a scheduled backup
// at 17:00 on Friday encrypts with nobody at the keyboard; the private half is stored only
// wrapped with a key derived from the password (scrypt), and that wrapped copy travels in
// every backup's header, so the file alone plus the password restores on a new PC.

export interface WrappedKey {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

export interface BackupEncryptionKey {
  /** X25519 public key, SPKI DER in base64. */
  recipientPublicKey: string;
  wrappedPrivateKey: WrappedKey;
}

// 64 MiB and most of a second per guess on a school PC: slow for a thief, fine once per restore.
const SCRYPT = { N: 65_536, r: 8, p: 1 } as const;

async function passwordKey(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  return scrypt(password.normalize('NFC'), salt, 32, { ...params, maxmem: 256 * 1024 * 1024 });
}

export async function createEncryptionKey(password: string): Promise<BackupEncryptionKey> {
  const pair = generateKeyPairSync('x25519');
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const key = await passwordKey(password, salt, SCRYPT);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const secret = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
  const data = Buffer.concat([cipher.update(secret), cipher.final()]);
  return {
    recipientPublicKey: pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    wrappedPrivateKey: {
      kdf: 'scrypt',
      ...SCRYPT,
      salt: salt.toString('base64'),
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      data: data.toString('base64'),
    },
  };
}

/** The private key behind the backups; a wrong password fails the GCM tag and says so. */
export async function unwrapPrivateKey(wrapped: WrappedKey, password: string): Promise<KeyObject> {
  if (wrapped.kdf !== 'scrypt') throw new AppError('validation', 'Неизвестный способ защиты ключа резервной копии.');
  const key = await passwordKey(password, Buffer.from(wrapped.salt, 'base64'), wrapped);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(wrapped.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
  let der: Buffer;
  try {
    der = Buffer.concat([decipher.update(Buffer.from(wrapped.data, 'base64')), decipher.final()]);
  } catch {
    throw new AppError('validation', WRONG_PASSWORD);
  }
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

const CONTENT_KEY_INFO = Buffer.from('zhurnal-backup-v1 content key');

function contentKeyFrom(shared: Buffer, ephemeralPublic: Buffer, recipientPublic: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralPublic, recipientPublic]), CONTENT_KEY_INFO, 32));
}

/** A fresh content key for one backup file, agreed with the school's public key. */
export function newContentKey(recipientPublicKeyBase64: string): { key: Buffer; ephemeralPublicKey: string } {
  const recipientDer = Buffer.from(recipientPublicKeyBase64, 'base64');
  const recipient = createPublicKey({ key: recipientDer, format: 'der', type: 'spki' });
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralDer = ephemeral.publicKey.export({ type: 'spki', format: 'der' });
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  return { key: contentKeyFrom(shared, ephemeralDer, recipientDer), ephemeralPublicKey: ephemeralDer.toString('base64') };
}

/** The same content key, recovered with the private key unwrapped by the password. */
export function recoverContentKey(privateKey: KeyObject, ephemeralPublicKeyBase64: string, recipientPublicKeyBase64: string): Buffer {
  const ephemeralDer = Buffer.from(ephemeralPublicKeyBase64, 'base64');
  const shared = diffieHellman({ privateKey, publicKey: createPublicKey({ key: ephemeralDer, format: 'der', type: 'spki' }) });
  return contentKeyFrom(shared, ephemeralDer, Buffer.from(recipientPublicKeyBase64, 'base64'));
}
