import { z } from 'zod';
import { jobStatus } from './jobs';
import { command, query } from './define';
import { empty, newPassword, text, typedPassword } from './common';

// Backups, restore and the year-end archive (D-37 … D-41, D-45).

/** An absolute path on this PC, chosen in the shell's folder or file picker. */
const path = z.string().trim().min(1, 'Укажите путь').max(4096, 'Путь не длиннее 4096 символов');

export const DEFAULT_BACKUP_SCHEDULE = '0 17 * * 5';
export const DEFAULT_BACKUP_RETENTION = 10;

/** School-wide backup settings, kept in the database. */
export const backupSettings = z.object({
  /** A cron expression in the school's time zone: «0 17 * * 5» is Friday 17:00. */
  schedule: text(100).default(DEFAULT_BACKUP_SCHEDULE),
  /** Volume label of the flash drive (D-37); null: no drive. */
  driveLabel: text(64).nullable().default(null),
  /** The second place (D-39: two media, different rooms): another disk or a network folder. */
  secondFolder: path.nullable().default(null),
  /** How many copies each destination keeps; older ones go only after a new one verified. */
  retention: z.number().int().min(1, 'Хранить хотя бы 1 копию').max(200, 'Не больше 200 копий').default(DEFAULT_BACKUP_RETENTION),
});
export type BackupSettings = z.infer<typeof backupSettings>;

const destinationKind = z.enum(['drive', 'folder']);

export const backupDestinationStatus = z.object({
  /** 'drive:LABEL' or 'folder:PATH'. */
  key: z.string(),
  kind: destinationKind,
  /** Russian: «Флешка «ZHURNAL»», «Папка D:\Копии». */
  title: z.string(),
  available: z.boolean(),
  location: z.string().nullable(),
  lastSuccess: z
    .object({ at: z.string(), fileName: z.string().nullable(), sizeBytes: z.number().nullable(), ageDays: z.number() })
    .nullable(),
  lastAttempt: z.object({ at: z.string(), status: z.string(), error: z.string().nullable() }).nullable(),
  /** No successful copy since the last scheduled time (after a short grace). */
  overdue: z.boolean(),
});

export const backupStatus = z.object({
  settings: backupSettings,
  passwordSet: z.boolean(),
  signingKeyFingerprint: z.string().nullable(),
  running: z.boolean(),
  lastScheduledAt: z.string().nullable(),
  nextScheduledAt: z.string().nullable(),
  /** True: tell the administrator at login. */
  overdue: z.boolean(),
  /** Russian, why a copy is missing or waiting (drive not inserted, no password, last error). */
  pendingReason: z.string().nullable(),
  destinations: z.array(backupDestinationStatus),
});
export type BackupStatus = z.infer<typeof backupStatus>;

export const backupSummary = z.object({
  schoolName: z.string(),
  createdAt: z.string(),
  appVersion: z.string(),
  sourceEngine: z.string(),
  migrations: z.array(z.string()),
  fingerprint: z.string(),
  /** True when the signing key is this school's own (checked against the open database). */
  signedByThisSchool: z.boolean().nullable(),
  /** True when the password was given and every part decrypted and matched its checksum. */
  contentVerified: z.boolean(),
  parts: z.array(z.object({ name: z.string(), title: z.string(), rows: z.number(), counts: z.record(z.string(), z.number()) })),
  totalRows: z.number(),
});
export type BackupSummary = z.infer<typeof backupSummary>;

export const restoreTarget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), path }),
  z.object({
    kind: z.literal('postgres'),
    url: z.string().max(4096).refine((u) => u.startsWith('postgres://') || u.startsWith('postgresql://'), 'Адрес PostgreSQL начинается с postgres://'),
  }),
]);

export const backupContract = {
  'backup.status': query('backup.manage', empty, backupStatus, 'Резервные копии: последняя удачная по каждому месту, просрочка'),
  'backup.updateSettings': command('backup.manage', backupSettings.strict(), backupSettings, 'Расписание, флешка, вторая папка, сколько копий хранить'),
  'backup.setPassword': command(
    'backup.manage',
    z
      .object({
        /** Required when a password is already set, unless it is declared forgotten. */
        currentPassword: typedPassword.optional(),
        newPassword,
        /** The old password is lost: new copies use the new one, old copies still need the old. */
        forgotten: z.boolean().default(false),
      })
      .strict(),
    z.object({ fingerprint: z.string() }),
    'Задать или сменить пароль резервных копий (хранится только ключ, зашифрованный паролем)',
  ),
  'backup.publicKey': query(
    'backup.manage',
    empty,
    z.object({ publicKeyPem: z.string().nullable(), fingerprint: z.string().nullable() }),
    'Открытый ключ подписи школы и его отпечаток',
  ),
  'backup.start': command(
    'backup.manage',
    z.object({ to: path.optional() }).strict(),
    jobStatus,
    'Сделать резервную копию сейчас как долгое задание: ход по шагам (снимок, каждое место) и остановка — jobs.*',
  ),
  'backup.inspect': query(
    'backup.manage',
    z.object({ file: path, password: typedPassword.optional() }).strict(),
    backupSummary,
    'Проверить файл резервной копии и показать, что в нём',
  ),
  'backup.restore': command(
    'backup.manage',
    z
      .object({
        file: path,
        password: typedPassword,
        target: restoreTarget,
        /** A backup signed by another school's key is restored only with that school's name typed here (D-39). */
        confirmOtherSchool: z.string().max(500).optional(),
      })
      .strict(),
    jobStatus,
    'Восстановить резервную копию в новую пустую базу данных как долгое задание: проверка, загрузка, обновление, замена — jobs.*; остановка до конца загрузки ничего не записывает',
  ),
  'backup.exportYear': command(
    'backup.manage',
    z.object({ year: z.string().regex(/^\d{4}\/\d{4}$/, 'Учебный год в виде 2025/2026'), to: path }).strict(),
    jobStatus,
    'Архив учебного года в открытых форматах (CSV, JSON) с подписанным оглавлением, как долгое задание: по шагам, с остановкой — jobs.*',
  ),
};
