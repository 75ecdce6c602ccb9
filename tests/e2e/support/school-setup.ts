import { localDate, weekdayOf } from '../../../src-shared/rules/dates';
import type { TestSession } from '../../support/client';

// What a scenario needs but is not about, made through the core (the school of
// tests/support/client.ts lives in Asia/Tomsk).

export const SCHOOL_TIME_ZONE = 'Asia/Tomsk';

export function schoolToday(): string {
  return localDate(new Date(), SCHOOL_TIME_ZONE);
}

/** 1 = Monday … 7 = Sunday, on the school's clock. */
export function schoolWeekday(): number {
  return weekdayOf(schoolToday());
}

/** The school year containing today: 1 September … 31 August. */
export function currentYearDates() {
  const today = schoolToday();
  const year = Number(today.slice(0, 4));
  const start = Number(today.slice(5, 7)) >= 9 ? year : year - 1;
  return { name: `${start}/${start + 1}`, startsOn: `${start}-09-01`, endsOn: `${start + 1}-08-31` };
}

export async function createYearWithClasses(admin: TestSession, classes: { grade: number; letter: string }[]) {
  const year = await admin.ok('school.years.create', currentYearDates());
  const created = [];
  for (const schoolClass of classes) created.push(await admin.ok('school.classes.create', { yearId: year.id, ...schoolClass }));
  return { year, classes: created };
}
