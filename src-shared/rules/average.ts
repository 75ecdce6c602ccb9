import { numericMark, scaleRange, type MarkScale } from './marks';

// Weighted average of current marks (D-22) and the suggested final from it (D-23).
// The renderer uses the same functions for the live average, so a teacher sees exactly
// what the core computes.

export interface AverageRules {
  scale: MarkScale;
  /** Decimal places the average is shown with. */
  averageDecimals: number;
  /** From which fraction a final rounds up: 0.5 turns 3.5 into 4; 0.6 needs 3.6. */
  finalRoundingThreshold: number;
}

export interface WeightedMark {
  value: string;
  weight: number;
}

/** Rounds half up, immune to binary noise (4.645 stays 4.65). */
export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor + 1e-9 * Math.sign(value)) / factor;
}

/** Σ(mark × weight) / Σ weight over numeric marks; null when none counts. */
export function weightedAverage(marks: readonly WeightedMark[], scale: MarkScale): number | null {
  let sum = 0;
  let weights = 0;
  for (const mark of marks) {
    const number = numericMark(mark.value, scale);
    if (number === null || !(mark.weight > 0)) continue;
    sum += number * mark.weight;
    weights += mark.weight;
  }
  return weights > 0 ? sum / weights : null;
}

/** The average as the school shows it. */
export function displayedAverage(marks: readonly WeightedMark[], rules: AverageRules): number | null {
  const average = weightedAverage(marks, rules.scale);
  return average === null ? null : roundTo(average, rules.averageDecimals);
}

/** The final a teacher is offered beside their own decision; null when there is nothing to go on. */
export function suggestFinal(average: number | null, rules: AverageRules): string | null {
  const range = scaleRange(rules.scale);
  if (average === null || !range) return null;
  // Round the shown average first: a teacher who sees 3,60 must be offered what 3,60 gives.
  const shown = roundTo(average, rules.averageDecimals);
  const whole = Math.floor(shown);
  const rounded = shown - whole >= rules.finalRoundingThreshold - 1e-9 ? whole + 1 : whole;
  return String(Math.min(range.max, Math.max(range.min, rounded)));
}

/** A year final suggested from the period finals (each weighs the same). */
export function suggestYearFinal(periodFinals: readonly string[], rules: AverageRules): string | null {
  return suggestFinal(weightedAverage(periodFinals.map((value) => ({ value, weight: 1 })), rules.scale), rules);
}
