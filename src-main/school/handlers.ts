import { calendarHandlers } from './calendar-handlers';
import { schoolFileHandlers } from './files/handlers';
import { classHandlers } from './classes-handlers';
import { transitionHandlers } from './transition-handlers';

/** The school.* methods (src-shared/contract/school.ts) and the files' import.* and export.* (school-files.ts). */
export function schoolHandlers() {
  return {
    ...calendarHandlers(),
    ...transitionHandlers(),
    ...classHandlers(),
    ...schoolFileHandlers(),
  };
}
