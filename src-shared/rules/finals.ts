import { suggestYearFinal, type AverageRules } from './average';

// The year's finals on the journal page (D-23). On paper, the page of the last quarter (or
// half-year) ends with the period's final, then «Год»; in the graduating classes — 9th
// (ОГЭ) and 11th (ЕГЭ) — also «Экзамен» and «Итоговая», which goes into the certificate.
// The data model has no per-class exam flag, so a class outside those grades gets the exam
// columns only when such finals are already recorded (a school's own transfer exam).

export type YearFinalKind = 'year' | 'exam' | 'final';

/** Grades that end with the state exams. */
export const EXAM_GRADES: readonly number[] = [9, 11];

/** The columns after the period final on the last period's page, in the paper journal's order. */
export function yearFinalKinds(grade: number, recordedKinds: Iterable<string>): YearFinalKind[] {
  const recorded = new Set(recordedKinds);
  const exams = EXAM_GRADES.includes(grade) || recorded.has('exam') || recorded.has('final');
  return exams ? ['year', 'exam', 'final'] : ['year'];
}

/** What the core suggests beside the teacher's decision: the year from the period finals, the final from year and exam. */
export function suggestedYearFinal(kind: YearFinalKind, from: { periodFinals: readonly string[]; year: string; exam: string }, rules: AverageRules): string | null {
  if (kind === 'year') return suggestYearFinal(from.periodFinals, rules);
  if (kind === 'final') return suggestYearFinal([from.year, from.exam], rules);
  return null;
}

/** «IV четверть» → «IV ч.», «II полугодие» → «II пол.»: the period final's column on the last page. */
export function shortPeriodName(name: string): string {
  return name
    .replace(/\s*четверть$/i, ' ч.')
    .replace(/\s*полугодие$/i, ' пол.')
    .replace(/\s*триместр$/i, ' тр.')
    .trim();
}
