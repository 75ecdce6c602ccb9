// School-local calendar arithmetic. Lesson dates are 'YYYY-MM-DD' in the school's time zone
// (docs/architecture.md principle 6); instants are UTC. Formatters are cached: building an
// Intl.DateTimeFormat costs far more than using one.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 1 = Monday … 7 = Sunday, as the timetable numbers weekdays. */
  weekday: number;
}

const WEEKDAY_NUMBERS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** What a wall clock in the zone shows at the instant. The one place that asks Intl for it. */
export function wallClock(instant: Date | number, timeZone: string): WallClock {
  const fields: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) fields[part.type] = part.value;
  return {
    year: Number(fields.year),
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    second: Number(fields.second),
    weekday: WEEKDAY_NUMBERS[fields.weekday ?? 'Mon'] ?? 1,
  };
}

const pad2 = (value: number) => String(value).padStart(2, '0');

/** 'YYYY-MM-DDTHH:MM' as the school's wall clock shows the instant. */
export function localDateTime(instant: Date | number, timeZone: string): string {
  const wall = wallClock(instant, timeZone);
  return `${wall.year}-${pad2(wall.month)}-${pad2(wall.day)}T${pad2(wall.hour)}:${pad2(wall.minute)}`;
}

/** Minutes the zone is ahead of UTC at the instant (Asia/Tomsk: +420). */
export function zoneOffsetMinutes(instant: Date | number, timeZone: string): number {
  const utcMs = typeof instant === 'number' ? instant : instant.getTime();
  const wall = wallClock(utcMs, timeZone);
  const asIfUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asIfUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM' read on the school's clock → the UTC instant, or null. */
export function schoolLocalToUtc(local: string, timeZone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(local);
  if (!match) return null;
  const [, year, month, day, hour = '00', minute = '00'] = match;
  const wall = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute));
  // Twice: the offset at the guessed instant may differ from the one at the wall time.
  let utc = wall - zoneOffsetMinutes(wall, timeZone) * 60_000;
  utc = wall - zoneOffsetMinutes(utc, timeZone) * 60_000;
  return new Date(utc);
}

/** The school-local calendar date of an instant. */
export function localDate(instant: Date | number, timeZone: string): string {
  return localDateTime(instant, timeZone).slice(0, 10);
}

const DAY_MS = 86_400_000;
const utcMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** `ГГГГ-ММ-ДД` and a day the calendar has (no 30 February). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const midnight = utcMidnight(value);
  return !Number.isNaN(midnight) && new Date(midnight).toISOString().startsWith(value);
}

export function addDays(date: string, days: number): string {
  return new Date(utcMidnight(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / DAY_MS);
}

/** 1 = Monday … 7 = Sunday, as the timetable numbers weekdays. */
export function weekdayOf(date: string): number {
  const day = new Date(utcMidnight(date)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** 'HH:MM' plus minutes, capped at the end of the day (a deadline never moves to tomorrow). */
export function addMinutesToClock(clock: string, minutes: number): string {
  const [hours = 0, mins = 0] = clock.split(':').map(Number);
  const total = Math.min(hours * 60 + mins + minutes, 23 * 60 + 59);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** «14.10.2026», as Russian documents date things. */
export function russianDate(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;
}

/** «14.10», a lesson's column head. */
export function russianDayMonth(date: string): string {
  return `${date.slice(8, 10)}.${date.slice(5, 7)}`;
}

/** «03.12 в 10:30»: an instant on the school's clock, as a note in a message says when. */
export function russianDayMonthTime(instant: Date | number, timeZone: string): string {
  const local = localDateTime(instant, timeZone);
  return `${russianDayMonth(local)} в ${local.slice(11, 16)}`;
}
