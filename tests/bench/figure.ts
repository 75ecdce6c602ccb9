/** One measured figure; `npm run bench -- --json FILE` writes an array of these. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. '≤ 300 ms' (empty when the figure is context, e.g. a floor). */
  target: string;
}

export interface BenchSuite {
  /** Shown as a heading; also `npm run bench -- --only NAME`. */
  name: string;
  run(): Promise<Figure[]>;
}

export type Verdict = '✓' | '✗' | '';

/** Reads targets such as '≤ 300 ms', '≥ 50 ops/s', '100–500 ms'. Empty: context only. */
export function meetsTarget(value: number, target: string): Verdict {
  const number = (text: string) => Number(text.replace(',', '.'));
  const range = /^\s*([\d.,]+)\s*[–-]\s*([\d.,]+)/.exec(target);
  if (range) return value >= number(range[1]!) && value <= number(range[2]!) ? '✓' : '✗';
  const atMost = /^\s*(?:≤|<=)\s*([\d.,]+)/.exec(target);
  if (atMost) return value <= number(atMost[1]!) ? '✓' : '✗';
  const atLeast = /^\s*(?:≥|>=)\s*([\d.,]+)/.exec(target);
  if (atLeast) return value >= number(atLeast[1]!) ? '✓' : '✗';
  return '';
}
