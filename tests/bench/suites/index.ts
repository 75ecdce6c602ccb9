import type { BenchSuite } from '../figure';
import { backupSuite } from './backup';
import { demoSuite } from './demo';
import { foundationSuite } from './foundation';
import { journalSuite } from './journal';
import { lanSuite } from './lan';
import { printingSuite } from './printing';

/** Every bench suite, run in this order by `npm run bench`. */
export const suites: BenchSuite[] = [foundationSuite, journalSuite, demoSuite, printingSuite, backupSuite, lanSuite];
