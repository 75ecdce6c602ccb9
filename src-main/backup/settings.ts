import { backupSettings, type BackupSettings } from '../../src-shared/contract/backup';
import type { Db } from '../store/database';
import type { BackupEncryptionKey } from './keys';

// School-wide backup settings live in `school_setting` (docs/architecture.md principle 7), under
// keys of their own so a damaged value falls back to defaults without touching the rest.
const SETTINGS_KEY = 'backup';
const KEY_KEY = 'backup.key';

async function readJson(db: Db, key: string): Promise<unknown> {
  const row = await db.selectFrom('school_setting').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) return null;
  try {
    return JSON.parse(row.value);
  } catch {
    return null;
  }
}

async function writeJson(db: Db, key: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value);
  const updated = await db.updateTable('school_setting').set({ value: text }).where('key', '=', key).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('school_setting').values({ key, value: text }).execute();
}

export async function readBackupSettings(db: Db): Promise<BackupSettings> {
  const parsed = backupSettings.safeParse((await readJson(db, SETTINGS_KEY)) ?? {});
  return parsed.success ? parsed.data : backupSettings.parse({});
}

export function writeBackupSettings(db: Db, settings: BackupSettings): Promise<void> {
  return writeJson(db, SETTINGS_KEY, settings);
}

export interface StoredEncryptionKey extends BackupEncryptionKey {
  setAt: string;
}

export async function readEncryptionKey(db: Db): Promise<StoredEncryptionKey | null> {
  const value = (await readJson(db, KEY_KEY)) as StoredEncryptionKey | null;
  return value && typeof value.recipientPublicKey === 'string' && value.wrappedPrivateKey ? value : null;
}

export function writeEncryptionKey(db: Db, key: StoredEncryptionKey): Promise<void> {
  return writeJson(db, KEY_KEY, key);
}

