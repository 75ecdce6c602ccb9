import { russianDate } from './dates';
// The academic year's calendar (D-10, D-12): study periods per grade range, holidays, and
// the dates a student may change subgroup. Pure functions: the core refuses with their
// messages and the renderer can warn with the same words before saving.

export const periodKinds = ['quarter', 'trimester', 'half'] as const;
export type PeriodKind = (typeof periodKinds)[number];

export const periodKindTitles: Record<PeriodKind, string> = {
  quarter: 'четверти',
  trimester: 'триместры',
  half: 'полугодия',
};

const periodNouns: Record<PeriodKind, string> = { quarter: 'четверть', trimester: 'триместр', half: 'полугодие' };
export const periodCounts: Record<PeriodKind, number> = { quarter: 4, trimester: 3, half: 2 };

const roman = ['I', 'II', 'III', 'IV', 'V', 'VI'];

/** «II четверть», «I полугодие». */
export function periodName(kind: PeriodKind, number: number): string {
  return `${roman[number - 1] ?? String(number)} ${periodNouns[kind]}`;
}


export function ruRange(from: string, to: string): string {
  return `${russianDate(from)}–${russianDate(to)}`;
}

export interface DateRange {
  startsOn: string;
  endsOn: string;
}

/** Both ends inclusive. ISO dates compare correctly as strings. */
export function datesOverlap(a: DateRange, b: DateRange): boolean {
  return a.startsOn <= b.endsOn && b.startsOn <= a.endsOn;
}

export interface GradeRange {
  gradeFrom: number;
  gradeTo: number;
}

export function gradesOverlap(a: GradeRange, b: GradeRange): boolean {
  return a.gradeFrom <= b.gradeTo && b.gradeFrom <= a.gradeTo;
}

export function gradeRangeText(range: GradeRange): string {
  return range.gradeFrom === range.gradeTo ? `${range.gradeFrom} класс` : `${range.gradeFrom}–${range.gradeTo} классы`;
}

export interface PeriodLike extends DateRange, GradeRange {
  id?: number;
  name: string;
}

export interface YearLike extends DateRange {
  name: string;
}

/** Why a range cannot be a period or holiday of the year; null when it fits. */
export function rangeProblem(range: DateRange, year: YearLike, what: string): string | null {
  if (range.startsOn > range.endsOn) return `${what}: дата начала ${russianDate(range.startsOn)} позже даты окончания ${russianDate(range.endsOn)}.`;
  if (range.startsOn < year.startsOn || range.endsOn > year.endsOn) {
    return `${what} (${ruRange(range.startsOn, range.endsOn)}) выходит за границы учебного года ${year.name} (${ruRange(year.startsOn, year.endsOn)}).`;
  }
  return null;
}

/**
 * The first problem with adding `candidates` beside `existing` periods of the year: outside
 * the year, ends before it starts, or overlapping dates for a shared grade (so quarters for
 * 1–9 and half-years for 10–11 live together, but quarters and half-years for grade 10 do not).
 */
export function periodsProblem(year: YearLike, existing: readonly PeriodLike[], candidates: readonly PeriodLike[]): string | null {
  const placed: PeriodLike[] = [...existing];
  for (const candidate of candidates) {
    if (candidate.gradeFrom > candidate.gradeTo) return `${candidate.name}: начальный класс ${candidate.gradeFrom} больше конечного ${candidate.gradeTo}.`;
    const outside = rangeProblem(candidate, year, candidate.name);
    if (outside) return outside;
    const clash = placed.find((other) => (candidate.id === undefined || other.id !== candidate.id) && gradesOverlap(candidate, other) && datesOverlap(candidate, other));
    if (clash) {
      return `${candidate.name} (${ruRange(candidate.startsOn, candidate.endsOn)}, ${gradeRangeText(candidate)}) пересекается с периодом «${clash.name}» (${ruRange(clash.startsOn, clash.endsOn)}, ${gradeRangeText(clash)}).`;
    }
    placed.push(candidate);
  }
  return null;
}

export interface HolidayLike extends DateRange {
  id?: number;
  name: string;
}

export function holidayProblem(year: YearLike, existing: readonly HolidayLike[], candidate: HolidayLike): string | null {
  const outside = rangeProblem(candidate, year, `Каникулы «${candidate.name}»`);
  if (outside) return outside;
  const clash = existing.find((other) => other.id !== candidate.id && datesOverlap(candidate, other));
  return clash ? `Каникулы «${candidate.name}» (${ruRange(candidate.startsOn, candidate.endsOn)}) пересекаются с каникулами «${clash.name}» (${ruRange(clash.startsOn, clash.endsOn)}).` : null;
}

/** Periods that apply to a grade, in date order. */
export function periodsOfGrade<P extends PeriodLike>(periods: readonly P[], grade: number): P[] {
  return periods.filter((p) => p.gradeFrom <= grade && grade <= p.gradeTo).sort((a, b) => a.startsOn.localeCompare(b.startsOn));
}

/**
 * D-12: a student changes subgroup only at the end of a period, so the move takes effect on
 * the first day of a study period of the class's grade. Null when `date` is such a day.
 */
export function subgroupMoveProblem(periods: readonly PeriodLike[], grade: number, date: string): string | null {
  const starts = periodsOfGrade(periods, grade).map((p) => p.startsOn);
  if (starts.includes(date)) return null;
  if (starts.length === 0) return `Перевод между подгруппами возможен только с начала учебного периода, а для ${grade} класса периоды не заданы.`;
  return `Перевод между подгруппами возможен только с первого дня учебного периода. Допустимые даты для ${grade} класса: ${starts.map(russianDate).join(', ')}.`;
}

/** Grades 0 (preparatory) and 1 learn without marks (D-19). */
export function isNoMarksGrade(grade: number): boolean {
  return grade <= 1;
}

// ---------------------------------------------------------------------------------------
// D-14: the year transition.

/** The last grade of the school: its students graduate at the transition. */
export const GRADUATION_GRADE = 11;

/** The grade a class moves up to at the transition; null for the graduating grade. */
export function nextGrade(grade: number): number | null {
  return grade >= GRADUATION_GRADE ? null : grade + 1;
}

/** The same calendar day `years` later; 29 February becomes 28 February in a common year. */
export function shiftYears(date: string, years: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = year + years;
  const leap = (target % 4 === 0 && target % 100 !== 0) || target % 400 === 0;
  const lastDay = month === 2 ? (leap ? 29 : 28) : day;
  return `${String(target).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

/** «2026/2027» → «2027/2028»; null for a name of another shape. */
export function nextYearName(name: string): string | null {
  const match = /^(\d{4})\/(\d{4})$/.exec(name);
  return match ? `${Number(match[1]) + 1}/${Number(match[2]) + 1}` : null;
}

/** D-3: the transition is done by 1 July of the year's last calendar year — advice, never a refusal. */
export function transitionDeadline(yearEndsOn: string): string {
  return `${yearEndsOn.slice(0, 4)}-07-01`;
}
