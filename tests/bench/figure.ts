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
