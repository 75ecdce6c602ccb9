import { calendarHandlers } from './calendar-handlers';
import { schoolFileHandlers } from './files/handlers';
import { classHandlers } from './classes-handlers';
import { transitionHandlers } from './transition-handlers';
import type { JobRunner } from '../jobs/runner';

/** The school.* methods (src-shared/contract/school.ts) and the files' import.* and export.* (school-files.ts). */
export function schoolHandlers(jobs: JobRunner) {
  return {
    ...calendarHandlers(),
    ...transitionHandlers(),
    ...classHandlers(),
    ...schoolFileHandlers(jobs),
  };
}
