import { createCipheriv, createDecipheriv, createHash, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { AppError } from '../core/errors';
import type { Engine } from '../store/database';
import { fingerprintOf, recoverContentKey, unwrapPrivateKey, type WrappedKey } from './keys';

/**
 * The backup file (`.zhb`):
 *
 *   "ZHJNLBK1"                 8 bytes, the format and its version
 *   manifest length            4 bytes, big-endian
 *   manifest                   UTF-8 JSON, signed (Ed25519, the school's key)
 *   signature length           2 bytes, big-endian
 *   signature
 *   payload                    AES-256-GCM ciphertext of the parts, back to back
 *
 * The manifest is outside the encryption on purpose and carries no personal data: the
 * school's name, dates, class names, counts, checksums and the key material needed to
 * decrypt with the password. So `zhurnal verify` proves a file intact and authentic
 * without the password (the payload's SHA-256 is in the signed manifest), and with the
 * password it also decrypts and checks every part against its own SHA-256 and counts.
 */
export const MAGIC = Buffer.from('ZHJNLBK1', 'ascii');
export const BACKUP_FORMAT = 'zhurnal-backup';
export const BACKUP_VERSION = 1;

export const DAMAGED = 'Файл резервной копии повреждён или изменён';

/** 'audit-key': the school's audit key, inside the encrypted payload (only the password opens it). */
export type PartKind = 'database' | 'class' | 'class-pdf' | 'audit-key';

export interface PartEntry {
  /** Unique within the file: 'database', 'class-12', 'class-12-journal.pdf'. */
  name: string;
  kind: PartKind;
  /** Russian, for listings: «База данных целиком», «Класс 5А». */
  title: string;
  classId?: number;
  className?: string;
  rows: number;
  /** Rows per table (database) or per section (class). */
  counts: Record<string, number>;
  /** Of the plain content. */
  sha256: string;
  plainBytes: number;
  /** Where the stored bytes sit in the decrypted payload. */
  offset: number;
  length: number;
  encoding: 'gzip' | 'raw';
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  school: { name: string; timeZone: string };
  createdAt: string;
  appVersion: string;
  sourceEngine: Engine;
  migrations: string[];
  parts: PartEntry[];
  /** Ed25519, SPKI PEM: compare its fingerprint with the one printed in the admin screen. */
  signingPublicKey: string;
  encryption: {
    cipher: 'aes-256-gcm';
    iv: string;
    tag: string;
    ephemeralPublicKey: string;
    recipientPublicKey: string;
    wrappedPrivateKey: WrappedKey;
  };
  payload: { sha256: string; bytes: number };
  /** The audit chains' heads when the backup was taken (D-26): an anchor outside the database. Absent in older files. */
  auditHeads?: [number, number, string][];
}

export interface PartData {
  entry: Omit<PartEntry, 'offset' | 'length'>;
  data: Buffer;
}

export function damaged(reason: string): AppError {
  return new AppError('validation', `${DAMAGED}: ${reason}.`, { reason });
}

export interface SealInput {
  school: Manifest['school'];
  createdAt: string;
  appVersion: string;
  sourceEngine: Engine;
  migrations: string[];
  parts: PartData[];
  signingKey: KeyObject;
  signingPublicKey: string;
  contentKey: Buffer;
  ephemeralPublicKey: string;
  recipientPublicKey: string;
  wrappedPrivateKey: WrappedKey;
  auditHeads?: [number, number, string][];
}

/** Encrypts the parts, builds and signs the manifest, and lays out the file's bytes. */
export function sealBackup(input: SealInput): { bytes: Buffer; manifest: Manifest } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', input.contentKey, iv);
  const encrypted: Buffer[] = [];
  const parts: PartEntry[] = [];
  let offset = 0;
  for (const part of input.parts) {
    encrypted.push(cipher.update(part.data));
    parts.push({ ...part.entry, offset, length: part.data.length });
    offset += part.data.length;
  }
  encrypted.push(cipher.final());
  const payload = Buffer.concat(encrypted);
  const manifest: Manifest = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    school: input.school,
    createdAt: input.createdAt,
    appVersion: input.appVersion,
    sourceEngine: input.sourceEngine,
    migrations: input.migrations,
    parts,
    signingPublicKey: input.signingPublicKey,
    encryption: {
      cipher: 'aes-256-gcm',
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ephemeralPublicKey: input.ephemeralPublicKey,
      recipientPublicKey: input.recipientPublicKey,
      wrappedPrivateKey: input.wrappedPrivateKey,
    },
    payload: { sha256: createHash('sha256').update(payload).digest('hex'), bytes: payload.length },
    ...(input.auditHeads ? { auditHeads: input.auditHeads } : {}),
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest), 'utf8');
  const signature = sign(null, manifestBytes, input.signingKey);
  const lengths = Buffer.alloc(4);
  lengths.writeUInt32BE(manifestBytes.length);
  const signatureLength = Buffer.alloc(2);
  signatureLength.writeUInt16BE(signature.length);
  return { bytes: Buffer.concat([MAGIC, lengths, manifestBytes, signatureLength, signature, payload]), manifest };
}

export interface CheckedContainer {
  manifest: Manifest;
  fingerprint: string;
  payload: Buffer;
}

/**
 * Structure, signature and payload checksum: everything that can be checked without the
 * password. Any flipped byte in the file fails here.
 */
export function checkContainer(bytes: Buffer): CheckedContainer {
  if (bytes.length < MAGIC.length + 6 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new AppError('validation', `${DAMAGED}: это не резервная копия «Журнала» или её начало испорчено.`, { reason: 'magic' });
  }
  const manifestLength = bytes.readUInt32BE(MAGIC.length);
  const manifestStart = MAGIC.length + 4;
  const manifestEnd = manifestStart + manifestLength;
  if (manifestEnd + 2 > bytes.length) throw damaged('файл обрезан');
  const manifestBytes = bytes.subarray(manifestStart, manifestEnd);
  const signatureLength = bytes.readUInt16BE(manifestEnd);
  const signatureEnd = manifestEnd + 2 + signatureLength;
  if (signatureEnd > bytes.length) throw damaged('файл обрезан');
  const signature = bytes.subarray(manifestEnd + 2, signatureEnd);
  let manifest: Manifest;
  let publicKey;
  try {
    manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
    publicKey = createPublicKey(manifest.signingPublicKey);
  } catch {
    throw damaged('оглавление не читается');
  }
  if (!verify(null, manifestBytes, publicKey, signature)) throw damaged('подпись не сходится');
  if (manifest.format !== BACKUP_FORMAT) throw damaged('неизвестный формат');
  if (manifest.version > BACKUP_VERSION) {
    throw new AppError('validation', 'Резервная копия сделана более новой версией «Журнала». Обновите программу.');
  }
  const payload = bytes.subarray(signatureEnd);
  if (payload.length !== manifest.payload.bytes) throw damaged('файл обрезан или дописан');
  if (createHash('sha256').update(payload).digest('hex') !== manifest.payload.sha256) throw damaged('контрольная сумма данных не сходится');
  return { manifest, fingerprint: fingerprintOf(manifest.signingPublicKey), payload };
}

export function decryptPayload(checked: CheckedContainer, contentKey: Buffer): Buffer {
  const { encryption } = checked.manifest;
  const decipher = createDecipheriv('aes-256-gcm', contentKey, Buffer.from(encryption.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(encryption.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(checked.payload), decipher.final()]);
  } catch {
    throw damaged('данные не расшифровываются');
  }
}

/** The content key from the password (throws «Неверный пароль резервной копии»). */
export async function contentKeyFromPassword(manifest: Manifest, password: string): Promise<Buffer> {
  const privateKey = await unwrapPrivateKey(manifest.encryption.wrappedPrivateKey, password);
  return recoverContentKey(privateKey, manifest.encryption.ephemeralPublicKey, manifest.encryption.recipientPublicKey);
}

export function partBytes(payload: Buffer, entry: PartEntry): Buffer {
  return payload.subarray(entry.offset, entry.offset + entry.length);
}

/** Checks one decrypted part against its SHA-256 and its row counts. */
export async function checkPart(entry: PartEntry, stored: Buffer): Promise<void> {
  const hash = createHash('sha256');
  let plainBytes = 0;
  let rows = 0;
  let chunks: Buffer[] | null = entry.kind === 'class' ? [] : null;
  if (entry.encoding === 'raw') {
    hash.update(stored);
    plainBytes = stored.length;
  } else {
    let atLineStart = true;
    try {
      for await (const chunk of Readable.from([stored]).pipe(createGunzip({ chunkSize: 256 * 1024 })) as AsyncIterable<Buffer>) {
        hash.update(chunk);
        plainBytes += chunk.length;
        chunks?.push(chunk);
        if (entry.kind === 'database') {
          // Row lines of the snapshot start with '['.
          if (atLineStart && chunk[0] === 0x5b) rows += 1;
          let at = chunk.indexOf(0x0a);
          while (at !== -1) {
            if (at + 1 < chunk.length && chunk[at + 1] === 0x5b) rows += 1;
            at = chunk.indexOf(0x0a, at + 1);
          }
          atLineStart = chunk[chunk.length - 1] === 0x0a;
        }
      }
    } catch {
      throw damaged(`часть «${entry.title}» не распаковывается`);
    }
  }
  if (hash.digest('hex') !== entry.sha256 || plainBytes !== entry.plainBytes) {
    throw damaged(`контрольная сумма части «${entry.title}» не сходится`);
  }
  if (entry.kind === 'class' && chunks) {
    const content = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    rows = Object.values(content).reduce<number>((sum, value) => sum + (Array.isArray(value) ? value.length : 0), 0);
    chunks = null;
  }
  if (entry.kind !== 'class-pdf' && entry.kind !== 'audit-key' && rows !== entry.rows) throw damaged(`в части «${entry.title}» не то число строк`);
}

export interface OpenedBackup extends CheckedContainer {
  plain: Buffer;
}

/**
 * Full verification with a known content key (the writer's read-back) or the password.
 * `deferDatabasePart`: the caller checks the database part itself as it reads it (a
 * restore, inside its transaction); the signature and the payload's checksum, which cover
 * its bytes too, are checked here all the same.
 */
export async function openBackup(bytes: Buffer, key: { password: string } | { contentKey: Buffer }, options: { deferDatabasePart?: boolean } = {}): Promise<OpenedBackup> {
  const checked = checkContainer(bytes);
  const contentKey = 'contentKey' in key ? key.contentKey : await contentKeyFromPassword(checked.manifest, key.password);
  const plain = decryptPayload(checked, contentKey);
  for (const entry of checked.manifest.parts) {
    if (options.deferDatabasePart && entry.kind === 'database') continue;
    await checkPart(entry, partBytes(plain, entry));
  }
  return { ...checked, plain };
}
