// The calendar-thematic plan (КТП, D-15) and programme fulfilment (D-32): pure rules shared
// by the core and the screens.

export const planStatuses = ['draft', 'review', 'approved'] as const;
export type PlanStatus = (typeof planStatuses)[number];

export const planStatusTitles: Record<PlanStatus | 'none', string> = {
  none: 'нет плана',
  draft: 'черновик',
  review: 'на проверке',
  approved: 'утверждён',
};

/** The longest topic a plan row keeps: the journal's lesson topic holds as much. */
export const MAX_PLAN_TOPIC = 500;
export const MAX_PLAN_HOMEWORK = 1000;
export const MAX_PLAN_SECTION = 300;
export const MAX_PLAN_ROWS = 400;

/** D-46: the journal is kept in Russian; a topic with no Cyrillic word at all gets a warning. */
export function hasRussianWords(text: string): boolean {
  return /[А-Яа-яЁё]{2,}/.test(text);
}

export function russianWarning(number: number): string {
  return `Урок ${number}: тема записана не по-русски. Журнал ведётся на русском языке — запишите тему по-русски (слова изучаемого языка можно привести в кавычках).`;
}

/** «1 час», «2 часа», «5 часов». */
export function hoursWord(n: number): string {
  const abs = Math.abs(n) % 100;
  const last = abs % 10;
  if (abs >= 11 && abs <= 14) return 'часов';
  if (last === 1) return 'час';
  if (last >= 2 && last <= 4) return 'часа';
  return 'часов';
}

/** Expected hours by the curriculum (D-15): weekly hours × teaching weeks, rounded. */
export function curriculumHours(hoursPerWeek: number, weeks: number): number {
  return Math.round(hoursPerWeek * weeks);
}

/** The half-year correction (D-15) is due by 20 December of the year's first calendar year. */
export function halfYearCorrectionDue(yearStartsOn: string): { from: string; by: string } {
  const year = yearStartsOn.slice(0, 4);
  return { from: `${year}-11-01`, by: `${year}-12-20` };
}

interface Span {
  starts_on: string;
  ends_on: string;
}

/**
 * The year's teaching weeks for a grade: its study periods' weekdays (Monday to Friday)
 * outside the holidays, in five-day weeks, rounded — 34 for a usual year (33 in grade 1,
 * which has extra holidays).
 */
export function teachingWeeks(periods: readonly Span[], holidays: readonly Span[]): number {
  return Math.round(teachingDays(periods, holidays) / 5);
}

/** School days (Monday to Friday) of the spans outside the holidays. */
export function teachingDays(periods: readonly Span[], holidays: readonly Span[]): number {
  let days = 0;
  for (const period of periods) {
    for (let d = new Date(`${period.starts_on}T00:00:00Z`); d <= new Date(`${period.ends_on}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
      const weekday = d.getUTCDay();
      if (weekday === 0 || weekday === 6) continue;
      const date = d.toISOString().slice(0, 10);
      if (holidays.some((h) => h.starts_on <= date && date <= h.ends_on)) continue;
      days += 1;
    }
  }
  return days;
}

/** The Monday of the year's week `week` (week 1 holds the year's first day). */
export function weekMonday(yearStartsOn: string, week: number): string {
  const start = new Date(`${yearStartsOn}T00:00:00Z`);
  const back = (start.getUTCDay() + 6) % 7;
  start.setUTCDate(start.getUTCDate() - back + (week - 1) * 7);
  return start.toISOString().slice(0, 10);
}

/**
 * The last week of the year that has begun by `date` (its Monday on or before it): a plan row
 * planned by week `w` is due by `date` exactly when `w` is at most this (see `weekMonday`).
 */
export function lastWeekBegun(yearStartsOn: string, date: string): number {
  const firstMonday = Date.parse(`${weekMonday(yearStartsOn, 1)}T00:00:00Z`);
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - firstMonday) / 86_400_000);
  return Math.floor(days / 7) + 1;
}
