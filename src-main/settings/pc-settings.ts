import { z } from 'zod';
import { isPostgresUrl } from '../store/url';

/**
 * Per-PC settings (docs/architecture.md principle 7): what belongs to this computer rather than
 * to the school — which database it opens, which drive takes the backups, where the window
 * was. The app keeps them in electron-store (src-main/shell), the CLI and the bridge in a
 * JSON file, tests in memory; everything else sees only this interface.
 */
export const databaseChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), path: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('postgres'),
    /** Without the password: that is kept in the PC's SecretStore (src-main/settings/secret-store.ts). */
    url: z.string().max(4096).refine(isPostgresUrl, 'Адрес PostgreSQL начинается с postgres://'),
  }),
  /** This PC runs the school's PostgreSQL itself (src-main/lan/host.ts), started with the app. */
  z.object({
    kind: z.literal('host'),
    listenAddress: z.string().min(7).max(15),
    allowedNetwork: z.string().min(9).max(18),
    port: z.number().int().min(1).max(65535),
  }),
]);
export type DatabaseChoice = z.infer<typeof databaseChoice>;

export const windowBounds = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(200).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowBounds = z.infer<typeof windowBounds>;

export interface PcSettingsValues {
  /** Null: the embedded SQLite file in the app's data folder. */
  database: DatabaseChoice | null;
  /** Volume label of the removable drive that receives backups (D-37), or null. */
  backupDriveLabel: string | null;
  windowBounds: WindowBounds | null;
}

export const defaultPcSettings: PcSettingsValues = { database: null, backupDriveLabel: null, windowBounds: null };

export interface PcSettings {
  read(): PcSettingsValues;
  /** Merges the given fields and persists them; returns the new values. */
  update(change: Partial<PcSettingsValues>): PcSettingsValues;
}

const fieldSchemas = {
  database: databaseChoice.nullable(),
  backupDriveLabel: z.string().max(200).nullable(),
  windowBounds: windowBounds.nullable(),
} as const;

/**
 * Reads stored values field by field: a field damaged by hand-editing falls back to its
 * default instead of keeping the app from starting.
 */
export function normalizePcSettings(raw: unknown): PcSettingsValues {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const pick = <K extends keyof PcSettingsValues>(key: K): PcSettingsValues[K] => {
    const parsed = fieldSchemas[key].safeParse(source[key] ?? null);
    return (parsed.success ? parsed.data : defaultPcSettings[key]) as PcSettingsValues[K];
  };
  return { database: pick('database'), backupDriveLabel: pick('backupDriveLabel'), windowBounds: pick('windowBounds') };
}

/** Checks a change before it is stored: bad values are refused, not silently dropped. */
export function validatePcSettingsChange(change: Partial<PcSettingsValues>): Partial<PcSettingsValues> {
  const schema = z.object(fieldSchemas).partial().strict();
  const parsed = schema.safeParse(change);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Неверная настройка компьютера${issue ? ` (${issue.path.join('.')}): ${issue.message}` : ''}`);
  }
  return parsed.data as Partial<PcSettingsValues>;
}

/**
 * The database this PC opens: the chosen one, else the default SQLite file. A PostgreSQL
 * address comes without its password (the station adds it from the SecretStore); host mode
 * is this PC's own server on loopback.
 */
export function databaseUrlOf(settings: PcSettingsValues, defaultSqlitePath: string): string {
  const choice = settings.database;
  if (!choice) return defaultSqlitePath;
  if (choice.kind === 'host') return `postgres://zhurnal_app@127.0.0.1:${choice.port}/zhurnal`;
  return choice.kind === 'sqlite' ? choice.path : choice.url;
}

/** For tests and one-off runs: nothing touches the disk. */
export class MemoryPcSettings implements PcSettings {
  private values: PcSettingsValues;

  constructor(initial: Partial<PcSettingsValues> = {}) {
    this.values = { ...defaultPcSettings, ...validatePcSettingsChange(initial) };
  }

  read(): PcSettingsValues {
    return structuredClone(this.values);
  }

  update(change: Partial<PcSettingsValues>): PcSettingsValues {
    this.values = { ...this.values, ...validatePcSettingsChange(change) };
    return this.read();
  }
}
