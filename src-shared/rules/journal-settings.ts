import { z } from 'zod';
import { markScales, specialMarks, type MarkRules } from './marks';
import type { AverageRules } from './average';

/**
 * The school-wide settings the journal depends on, with their defaults. They live in the
 * same school settings record as the rest (src-shared/school-settings.ts); this reader
 * takes them from whatever that record holds, so a school that never set them gets the
 * defaults of D-20 … D-25.
 */
export const journalSettingsSchema = z.object({
  markScale: z.enum(markScales).catch('five'),
  specialMarks: z.array(z.enum(specialMarks)).catch([...specialMarks]),
  averageDecimals: z.number().int().min(0).max(3).catch(2),
  finalRoundingThreshold: z.number().min(0.1).max(0.9).catch(0.5),
  editWindowDays: z.number().int().min(0).max(365).catch(14),
});
export type JournalSettings = z.infer<typeof journalSettingsSchema> & MarkRules & AverageRules;

export function journalSettingsFrom(stored: unknown): JournalSettings {
  const record = typeof stored === 'object' && stored !== null ? stored : {};
  const parsed = journalSettingsSchema.parse({
    markScale: undefined,
    specialMarks: undefined,
    averageDecimals: undefined,
    finalRoundingThreshold: undefined,
    editWindowDays: undefined,
    ...record,
  });
  return { ...parsed, scale: parsed.markScale };
}

export const defaultJournalSettings: JournalSettings = journalSettingsFrom({});
