import { plural } from '../../ui/common';

// Small wording helpers for the backup screens (D-37 … D-41).

/** «сегодня», «вчера», «5 дней назад». */
export function ageText(days: number): string {
  if (days <= 0) return 'сегодня';
  if (days === 1) return 'вчера';
  return `${days} ${plural(days, 'день', 'дня', 'дней')} назад`;
}

/** D-37/D-38: weekly copies, at least every 1–2 weeks. */
export function ageTone(days: number, overdue: boolean): 'ok' | 'warn' | 'bad' {
  if (overdue || days > 14) return 'bad';
  if (days > 7) return 'warn';
  return 'ok';
}

/** The backup file's full path on the core's PC, in that PC's own separator. */
export function joinPath(folder: string, fileName: string): string {
  const separator = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  return folder.endsWith(separator) ? `${folder}${fileName}` : `${folder}${separator}${fileName}`;
}

// The schedule is a cron expression (contract: «0 17 * * 5» is Friday 17:00). The screen
// offers a weekday (or every weekday, every day) and a time, never the expression itself.

export const scheduleDays = [
  { value: '5', label: 'по пятницам' },
  { value: '1', label: 'по понедельникам' },
  { value: '2', label: 'по вторникам' },
  { value: '3', label: 'по средам' },
  { value: '4', label: 'по четвергам' },
  { value: '6', label: 'по субботам' },
  { value: '0', label: 'по воскресеньям' },
  { value: '1-5', label: 'каждый будний день' },
  { value: '*', label: 'каждый день' },
] as const;

export interface SimpleSchedule {
  day: string;
  /** «17:00». */
  time: string;
}

export function parseSchedule(expression: string): SimpleSchedule | null {
  const match = /^(\d{1,2}) (\d{1,2}) \* \* (\*|[0-6]|1-5)$/.exec(expression.trim());
  if (!match) return null;
  const [, minute, hour, day] = match;
  if (Number(minute) > 59 || Number(hour) > 23) return null;
  return { day: day!, time: `${hour!.padStart(2, '0')}:${minute!.padStart(2, '0')}` };
}

export function scheduleExpression(schedule: SimpleSchedule): string | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(schedule.time.trim());
  if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) return null;
  return `${Number(match[2])} ${Number(match[1])} * * ${schedule.day}`;
}

export function describeSchedule(expression: string): string {
  const simple = parseSchedule(expression);
  if (!simple) return `по расписанию «${expression}»`;
  return `${scheduleDays.find((day) => day.value === simple.day)?.label ?? ''} в ${simple.time}`;
}
