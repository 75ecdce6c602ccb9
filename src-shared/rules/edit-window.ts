import { addDays, daysBetween } from './dates';

// D-25: current marks and attendance may be edited for `windowDays` days after the lesson;
// later changes go through a change request approved by the administration.

/** True when the lesson is older than the window: its marks and attendance are locked for the teacher. */
export function isPastEditWindow(lessonDate: string, today: string, windowDays: number): boolean {
  return daysBetween(lessonDate, today) > windowDays;
}

/** The earliest lesson date still editable today. */
export function editableFrom(today: string, windowDays: number): string {
  return addDays(today, -windowDays);
}
