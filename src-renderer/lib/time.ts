import { localDateTime, schoolLocalToUtc as schoolLocalToInstant } from '../../src-shared/rules/dates';
// Instants are stored in UTC and shown in the school's time zone (docs/architecture.md principle 6).

export function formatInstant(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
}

export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function formatLongDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('ru-RU', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** «2026-10-14T10:30» read on the school's clock → an ISO instant in UTC. */
export function schoolLocalToUtc(local: string, timeZone: string): string | null {
  return schoolLocalToInstant(local, timeZone)?.toISOString() ?? null;
}

/** Now on the school's clock, as a datetime-local input value. */
export function schoolLocalNow(timeZone: string, now = new Date()): string {
  return localDateTime(now, timeZone);
}
