import { calendarHandlers } from './calendar-handlers';
import { schoolFileHandlers } from './files/handlers';
import { loadHandlers } from './load-handlers';
import { peopleHandlers } from './people-handlers';
import { settingsHandlers } from './settings-handlers';
import { timetableHandlers } from './timetable-handlers';
import { transitionHandlers } from './transition-handlers';

/** Every method of «School setup» (src-shared/contract/school.ts, school-files.ts). */
export function schoolHandlers() {
  return {
    ...calendarHandlers(),
    ...transitionHandlers(),
    ...peopleHandlers(),
    ...loadHandlers(),
    ...timetableHandlers(),
    ...settingsHandlers(),
    ...schoolFileHandlers(),
  };
}
