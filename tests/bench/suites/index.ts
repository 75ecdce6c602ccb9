import type { BenchSuite } from '../figure';
import { backupSuite } from './backup';
import { demoSuite } from './demo';
import { extractsSuite } from './extracts';
import { foundationSuite } from './foundation';
import { importSuite } from './import';
import { journalSuite } from './journal';
import { journalUiSuite } from './journal-ui';
import { lanSuite } from './lan';
import { outboxSuite } from './outbox';
import { plansSuite } from './plans';
import { printingSuite } from './printing';
import { reportsSuite } from './reports';

/** Every bench suite, run in this order by `npm run bench`. */
export const suites: BenchSuite[] = [foundationSuite, journalSuite, journalUiSuite, demoSuite, printingSuite, extractsSuite, reportsSuite, backupSuite, lanSuite, importSuite, outboxSuite, plansSuite];
