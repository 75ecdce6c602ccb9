import type { AcademicYear, SchoolClass, StudyPeriod } from '../../../src-shared/contract/school';

// Which study periods a class prints by: periods are set per grade range (quarters for 1–9,
// half-years for 10–11, D-10), so a period choice always depends on the class.

export type PeriodChoice = number | 'year';

export function periodsOfClass(year: AcademicYear, schoolClass: Pick<SchoolClass, 'grade'>): StudyPeriod[] {
  return year.periods
    .filter((period) => period.gradeFrom <= schoolClass.grade && schoolClass.grade <= period.gradeTo)
    .sort((a, b) => a.startsOn.localeCompare(b.startsOn));
}

/**
 * The period a print starts on: the newest one begun by `today` (the one just ended is printed
 * for the archive, the running one as a preliminary copy); before the year, the first.
 */
export function periodToPrint(periods: readonly StudyPeriod[], today: string): StudyPeriod | undefined {
  return periods.filter((period) => period.startsOn <= today).at(-1) ?? periods[0];
}

/** For the whole school: «№ 1: I четверть / I полугодие», like `zhurnal print --all --period 1`. */
export function periodNumberOptions(year: AcademicYear): { value: string; label: string }[] {
  const byNumber = new Map<number, Set<string>>();
  for (const period of year.periods) {
    const names = byNumber.get(period.number) ?? new Set<string>();
    names.add(period.name);
    byNumber.set(period.number, names);
  }
  return [
    ...[...byNumber.entries()].sort(([a], [b]) => a - b).map(([number, names]) => ({ value: String(number), label: [...names].join(' / ') })),
    { value: 'year', label: 'Весь учебный год' },
  ];
}

/** The class's own period with that number, as the core's `--period N` picks it. */
export function periodForNumber(year: AcademicYear, schoolClass: Pick<SchoolClass, 'grade'>, number: number): StudyPeriod | undefined {
  const own = periodsOfClass(year, schoolClass);
  const kind = own[0]?.kind;
  return own.find((period) => period.kind === kind && period.number === number) ?? own.find((period) => period.number === number);
}

/** Classes in «1А, 1Б, 2А…» order. */
export function sortClasses<T extends Pick<SchoolClass, 'grade' | 'letter'>>(classes: readonly T[]): T[] {
  return [...classes].sort((a, b) => a.grade - b.grade || a.letter.localeCompare(b.letter, 'ru'));
}
