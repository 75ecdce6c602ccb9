import type { BenchSuite } from '../figure';

/** Every bench suite, run in this order by `npm run bench`. */
export const suites: BenchSuite[] = [];
