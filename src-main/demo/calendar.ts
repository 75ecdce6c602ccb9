// Calendar arithmetic on school-local dates 'YYYY-MM-DD' and the shape of a Russian
// school year: quarters for grades 1–9, half-years for 10–11, and the holidays.

import { addDays, russianDate, weekdayOf as weekday, zoneOffsetMinutes } from '../../src-shared/rules/dates';

export { addDays, russianDate, weekday };

/** The first day on or after `date` that is `day` (1 = Monday … 7 = Sunday). */
function onOrAfter(date: string, day: number): string {
  return addDays(date, (day - weekday(date) + 7) % 7);
}

/** Minutes the zone is ahead of UTC on a date, read at noon UTC (Asia/Tomsk: +420). */
export function zoneOffsetOn(timeZone: string, date: string): number {
  return zoneOffsetMinutes(Date.parse(`${date}T12:00:00Z`), timeZone);
}

/** The school year containing `date`: it starts on 1 September. */
export function schoolYearStartOf(date: string): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 9 ? year : year - 1;
}

export interface PeriodPlan {
  kind: 'quarter' | 'half';
  number: number;
  name: string;
  startsOn: string;
  endsOn: string;
  gradeFrom: number;
  gradeTo: number;
}

export interface HolidayPlan {
  name: string;
  startsOn: string;
  endsOn: string;
}

export interface YearPlan {
  startYear: number;
  name: string; // '2026/2027'
  startsOn: string;
  endsOn: string;
  /** The first and last days with lessons. */
  firstSchoolDay: string;
  lastSchoolDay: string;
  periods: PeriodPlan[];
  holidays: HolidayPlan[];
}

/**
 * A year shaped like the Russian federal calendar: autumn holidays around 4 November,
 * winter holidays over New Year, spring holidays at the end of March, lessons until
 * about 26 May; then the summer.
 */
export function planYear(startYear: number): YearPlan {
  const y = startYear;
  const next = y + 1;
  const firstSchoolDay = weekday(`${y}-09-01`) >= 6 ? onOrAfter(`${y}-09-01`, 1) : `${y}-09-01`;
  const autumnStart = onOrAfter(`${y}-10-25`, 6); // a Saturday, nine days
  const autumnEnd = addDays(autumnStart, 8);
  const winterStart = `${y}-12-29`;
  const winterEnd = onOrAfter(`${next}-01-08`, 7); // up to the Sunday after Christmas
  const springStart = onOrAfter(`${next}-03-21`, 6);
  const springEnd = addDays(springStart, 8);
  const lastSchoolDay = lastWeekdayOnOrBefore(`${next}-05-26`);

  const q1 = { startsOn: firstSchoolDay, endsOn: lastWeekdayOnOrBefore(addDays(autumnStart, -1)) };
  const q2 = { startsOn: addDays(autumnEnd, 1), endsOn: lastWeekdayOnOrBefore(addDays(winterStart, -1)) };
  const q3 = { startsOn: addDays(winterEnd, 1), endsOn: lastWeekdayOnOrBefore(addDays(springStart, -1)) };
  const q4 = { startsOn: addDays(springEnd, 1), endsOn: lastSchoolDay };
  const quarterNames = ['I четверть', 'II четверть', 'III четверть', 'IV четверть'];
  const periods: PeriodPlan[] = [q1, q2, q3, q4].map((q, i) => ({
    kind: 'quarter', number: i + 1, name: quarterNames[i]!, ...q, gradeFrom: 1, gradeTo: 9,
  }));
  periods.push(
    { kind: 'half', number: 1, name: 'I полугодие', startsOn: q1.startsOn, endsOn: q2.endsOn, gradeFrom: 10, gradeTo: 11 },
    { kind: 'half', number: 2, name: 'II полугодие', startsOn: q3.startsOn, endsOn: q4.endsOn, gradeFrom: 10, gradeTo: 11 },
  );

  const ranges: HolidayPlan[] = [
    { name: 'Осенние каникулы', startsOn: autumnStart, endsOn: autumnEnd },
    { name: 'Зимние каникулы', startsOn: winterStart, endsOn: winterEnd },
    { name: 'Весенние каникулы', startsOn: springStart, endsOn: springEnd },
  ];
  const publicDays: HolidayPlan[] = [
    { name: 'День народного единства', startsOn: `${y}-11-04`, endsOn: `${y}-11-04` },
    { name: 'День защитника Отечества', startsOn: `${next}-02-23`, endsOn: `${next}-02-23` },
    { name: 'Международный женский день', startsOn: `${next}-03-08`, endsOn: `${next}-03-08` },
    { name: 'Праздник Весны и Труда', startsOn: `${next}-05-01`, endsOn: `${next}-05-01` },
    { name: 'День Победы', startsOn: `${next}-05-09`, endsOn: `${next}-05-09` },
  ].filter((day) => !ranges.some((r) => day.startsOn >= r.startsOn && day.startsOn <= r.endsOn));
  const holidays = [...ranges, ...publicDays, { name: 'Летние каникулы', startsOn: addDays(lastSchoolDay, 1), endsOn: `${next}-08-31` }]
    .sort((a, b) => a.startsOn.localeCompare(b.startsOn));

  return {
    startYear: y,
    name: `${y}/${next}`,
    startsOn: `${y}-09-01`,
    endsOn: `${next}-08-31`,
    firstSchoolDay,
    lastSchoolDay,
    periods,
    holidays,
  };
}

function lastWeekdayOnOrBefore(date: string): string {
  const day = weekday(date);
  return day <= 5 ? date : addDays(date, -(day - 5));
}

/** Monday-to-Friday days with lessons in [from, to], holidays skipped (a five-day week). */
export function schoolDays(plan: YearPlan, from: string, to: string): string[] {
  const days: string[] = [];
  const start = from > plan.firstSchoolDay ? from : plan.firstSchoolDay;
  const end = to < plan.lastSchoolDay ? to : plan.lastSchoolDay;
  for (let date = start; date <= end; date = addDays(date, 1)) {
    if (weekday(date) > 5) continue;
    if (plan.holidays.some((h) => date >= h.startsOn && date <= h.endsOn)) continue;
    days.push(date);
  }
  return days;
}
