import { z } from 'zod';
import { isPostgresUrl } from '../store/database';

/**
 * Per-PC settings (ARCHITECTURE.md principle 7): what belongs to this computer rather than
 * to the school — which database it opens, which drive takes the backups, where the window
 * was. The app keeps them in electron-store (src-main/shell), the CLI and the bridge in a
 * JSON file, tests in memory; everything else sees only this interface.
 */
export const databaseChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), path: z.string().min(1).max(4096) }),
  z.object({
    kind: z.literal('postgres'),
    url: z.string().max(4096).refine(isPostgresUrl, 'Адрес PostgreSQL начинается с postgres://'),
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

/** The core's `databaseUrl` for this PC: the chosen database, else the default SQLite file. */
export function databaseUrlOf(settings: PcSettingsValues, defaultSqlitePath: string): string {
  const choice = settings.database;
  if (!choice) return defaultSqlitePath;
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
