import { z } from 'zod';
import { markScales, specialMarks } from './rules/marks';

/** From which fraction a suggested final rounds up (D-23): «standard» 3,5 → 4; «strict» needs 3,6. */
export const finalRoundingPresets = { standard: 0.5, strict: 0.6 } as const;
export const finalRoundingTitles: Record<keyof typeof finalRoundingPresets, string> = {
  standard: 'Обычное: с 0,5 вверх (3,5 → 4)',
  strict: 'Строгое: с 0,6 вверх (3,5 → 3, 3,6 → 4)',
};

const fields = {
  sessionInactivityMinutes: z.number().int().min(5).max(720),
  loginMaxFailures: z.number().int().min(3).max(20),
  loginLockMinutes: z.number().int().min(1).max(1440),
  markScale: z.enum(markScales),
  specialMarks: z
    .array(z.enum(specialMarks))
    .max(specialMarks.length)
    .refine((list) => new Set(list).size === list.length, 'Специальные отметки: каждая не больше одного раза'),
  averageDecimals: z.number().int().min(0).max(3),
  finalRoundingThreshold: z.number().min(0.5).max(0.9).multipleOf(0.1, 'Порог округления: 0,5; 0,6; … 0,9'),
  editWindowDays: z.number().int().min(0).max(365),
};

/**
 * School-wide settings, kept in the database (docs/architecture.md principle 7). Every field
 * has a default, so an older database simply lacks the newer keys. The marks keys are the
 * ones the journal reads (src-shared/rules/journal-settings.ts).
 */
export const schoolSettingsSchema = z.object({
  /** A session ends after this many minutes without a call. */
  sessionInactivityMinutes: fields.sessionInactivityMinutes.default(30),
  /** Failed logins in a row that lock an account… */
  loginMaxFailures: fields.loginMaxFailures.default(5),
  /** …for this many minutes. */
  loginLockMinutes: fields.loginLockMinutes.default(15),
  /** D-20: the mark scale; five-point 2–5 unless the school chose another. */
  markScale: fields.markScale.default('five'),
  /** D-21: the special marks the school uses. */
  specialMarks: fields.specialMarks.default([...specialMarks]),
  /** Decimal places of a shown weighted average (rounded half up). */
  averageDecimals: fields.averageDecimals.default(2),
  /** 0.5 «standard» or 0.6 «strict» (finalRoundingPresets): the fraction from which a final rounds up. */
  finalRoundingThreshold: fields.finalRoundingThreshold.default(finalRoundingPresets.standard),
  /** D-25: days after a lesson during which its marks and attendance stay editable. */
  editWindowDays: fields.editWindowDays.default(14),
});
export type SchoolSettings = z.infer<typeof schoolSettingsSchema>;
export const defaultSchoolSettings: SchoolSettings = schoolSettingsSchema.parse({});

/** A change to some settings; the keys left out keep their values. */
export const schoolSettingsPatchSchema = z.object(fields).partial().strict();
