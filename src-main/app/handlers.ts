import type { MethodName } from '../../src-shared/contract/index';
import { accountHandlers, authHandlers } from '../accounts/handlers';
import { attendanceHandlers } from '../attendance/handlers';
import { auditKeyHandlers } from '../audit/handlers';
import { backupHandlers } from '../backup/handlers';
import { changeRequestHandlers } from '../changes/handlers';
import { extractHandlers } from '../extracts/handlers';
import type { HandlerMap } from '../core/handlers';
import type { SessionStore } from '../core/sessions';
import { setupHandlers } from '../setup/handlers';
import { jobHandlers } from '../jobs/handlers';
import type { JobRunner } from '../jobs/runner';
import { journalHandlers } from '../journal/handlers';
import { loadHandlers } from '../load/handlers';
import { printingHandlers } from '../printing/handlers';
import { reportHandlers } from '../reports/handlers';
import { schoolHandlers } from '../school/handlers';
import { settingsHandlers } from '../settings/handlers';
import { staffHandlers } from '../staff/handlers';
import { planHandlers } from '../plans/handlers';
import { pcHandlersWithoutStation } from '../station/core-handlers';
import { studentHandlers } from '../students/handlers';
import { parentHandlers } from '../students/parents';
import { controlWorkHandlers } from '../substitutions/control-works';
import { substitutionHandlers } from '../substitutions/handlers';
import { transferHandlers } from '../substitutions/transfers';
import { timetableHandlers } from '../timetable/handlers';

// The composition root: every domain's handlers, registered in one map. The type makes a
// method of the contract without a handler a compile error; a method's handler lives in the
// folder named by its prefix (docs/architecture.md, Domains).

export interface HandlerServices {
  sessions: SessionStore;
  /** Long work: every feature's jobs run here, watched and stopped through jobs.*. */
  jobs: JobRunner;
}

export function allHandlers({ sessions, jobs }: HandlerServices): HandlerMap<MethodName> {
  return {
    ...authHandlers(sessions),
    ...accountHandlers(sessions),
    ...auditKeyHandlers(),
    ...setupHandlers(),
    ...schoolHandlers(jobs),
    ...studentHandlers(),
    ...parentHandlers(),
    ...staffHandlers(),
    ...loadHandlers(),
    ...timetableHandlers(),
    ...settingsHandlers(),
    ...journalHandlers(),
    ...attendanceHandlers(),
    ...changeRequestHandlers(),
    ...substitutionHandlers(),
    ...transferHandlers(),
    ...controlWorkHandlers(),
    ...printingHandlers(jobs),
    ...jobHandlers(jobs),
    ...reportHandlers(),
    ...planHandlers(jobs),
    ...extractHandlers(jobs),
    ...backupHandlers(jobs),
    ...pcHandlersWithoutStation(),
  };
}
