import cron from 'node-cron';
import { wallClock } from '../../src-shared/rules/dates';

/**
 * When a cron schedule last fired (and fires next), in the school's time zone. node-cron
 * runs the timer; this answers "was a run due while the PC was off?", which it cannot.
 * Minute resolution; seconds in a six-field expression are ignored.
 */
interface Fields {
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

export function isValidSchedule(expression: string): boolean {
  return cron.validate(expression);
}

function fieldsOf(expression: string): Fields {
  const parsed = cron.parse(expression);
  const numbers = (list: (number | string)[]) => new Set(list.filter((v): v is number => typeof v === 'number'));
  const dayOfMonth = numbers(parsed.dayOfMonth);
  const dayOfWeek = numbers(parsed.dayOfWeek);
  return {
    minute: new Set(parsed.minute),
    hour: new Set(parsed.hour),
    dayOfMonth,
    month: new Set(parsed.month),
    dayOfWeek,
    anyDayOfMonth: dayOfMonth.size >= 31,
    anyDayOfWeek: dayOfWeek.size >= 7,
  };
}

/** The school's wall clock at `at`, weekday numbered as cron does (0 = Sunday). */
function localParts(at: number, timeZone: string) {
  const wall = wallClock(at, timeZone);
  return { month: wall.month, day: wall.day, weekday: wall.weekday % 7, hour: wall.hour, minute: wall.minute };
}

function dayMatches(f: Fields, p: ReturnType<typeof localParts>): boolean {
  if (!f.month.has(p.month)) return false;
  const dom = f.dayOfMonth.has(p.day);
  const dow = f.dayOfWeek.has(p.weekday);
  // Classic cron: with both fields restricted, either one suffices.
  if (!f.anyDayOfMonth && !f.anyDayOfWeek) return dom || dow;
  return dom && dow;
}

const MINUTE = 60_000;
const SEARCH_LIMIT = 400 * 24 * 60 * MINUTE;

function search(expression: string, timeZone: string, from: Date, direction: 1 | -1): Date | null {
  const fields = fieldsOf(expression);
  let at = Math.floor(from.getTime() / MINUTE) * MINUTE;
  if (direction === 1) at += MINUTE;
  const limit = at + direction * SEARCH_LIMIT;
  while (direction === 1 ? at <= limit : at >= limit) {
    const p = localParts(at, timeZone);
    if (!dayMatches(fields, p)) {
      // Skip to the neighbouring day's edge: a whole day is checked with one look.
      at = direction === -1 ? at - (p.hour * 60 + p.minute + 1) * MINUTE : at + (24 * 60 - (p.hour * 60 + p.minute)) * MINUTE;
      continue;
    }
    if (!fields.hour.has(p.hour)) {
      at = direction === -1 ? at - (p.minute + 1) * MINUTE : at + (60 - p.minute) * MINUTE;
      continue;
    }
    if (fields.minute.has(p.minute)) return new Date(at);
    at += direction * MINUTE;
  }
  return null;
}

/** The latest scheduled moment at or before `now` (within a bit over a year), or null. */
export function previousOccurrence(expression: string, timeZone: string, now: Date): Date | null {
  return search(expression, timeZone, now, -1);
}

/** The first scheduled moment after `now`. */
export function nextOccurrence(expression: string, timeZone: string, now: Date): Date | null {
  return search(expression, timeZone, now, 1);
}
