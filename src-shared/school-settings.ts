import { z } from 'zod';

/**
 * School-wide settings, kept in the database (ARCHITECTURE.md principle 7). Every field
 * has a default, so an older database simply lacks the newer keys.
 */
export const schoolSettingsSchema = z.object({
  /** A session ends after this many minutes without a call. */
  sessionInactivityMinutes: z.number().int().min(5).max(720).default(30),
  /** Failed logins in a row that lock an account… */
  loginMaxFailures: z.number().int().min(3).max(20).default(5),
  /** …for this many minutes. */
  loginLockMinutes: z.number().int().min(1).max(1440).default(15),
});
export type SchoolSettings = z.infer<typeof schoolSettingsSchema>;
export const defaultSchoolSettings: SchoolSettings = schoolSettingsSchema.parse({});
