import { addDays, addMinutesToClock } from './dates';

// D-18 timeliness. The app measures lateness for the deputy's reports; it never blocks
// a late entry.

/** Homework is due this long after the class's last lesson of the day ends. */
export const HOMEWORK_GRACE_MINUTES = 90;
const END_OF_DAY = '23:59';

/** The topic belongs on the day of the lesson. `enteredAtLocal` is 'YYYY-MM-DDTHH:MM', school time. */
export function isTopicLate(lessonDate: string, enteredAtLocal: string): boolean {
  return enteredAtLocal.slice(0, 10) > lessonDate;
}

/**
 * Homework is due 1.5 hours after that class's last lesson ends; without a timetable for
 * the day, by the day's end. Returns a local 'YYYY-MM-DDTHH:MM'.
 */
export function homeworkDeadline(lessonDate: string, lastLessonEndsAt: string | null): string {
  return `${lessonDate}T${lastLessonEndsAt ? addMinutesToClock(lastLessonEndsAt, HOMEWORK_GRACE_MINUTES) : END_OF_DAY}`;
}

export function isHomeworkLate(lessonDate: string, lastLessonEndsAt: string | null, enteredAtLocal: string): boolean {
  return enteredAtLocal > homeworkDeadline(lessonDate, lastLessonEndsAt);
}

/**
 * The last day a mark of a work type is on time: `markDueDays` counts the lesson's day as
 * the first (1 = the same day, oral answers; 3 = written work, by the third day).
 */
export function markDueDate(lessonDate: string, markDueDays: number): string {
  return addDays(lessonDate, Math.max(1, markDueDays) - 1);
}

export function isMarkLate(lessonDate: string, markDueDays: number, enteredAtLocal: string): boolean {
  return enteredAtLocal.slice(0, 10) > markDueDate(lessonDate, markDueDays);
}
