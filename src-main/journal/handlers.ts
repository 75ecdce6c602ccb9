import { defineHandlers } from '../core/handlers';
import { attendanceCellHandlers } from './attendance-cell';
import { withEntryTime } from './entry-time';
import { batchHandlers } from './batch';
import { compromisedHandlers } from './compromised';
import { finalHandlers } from './finals';
import { lessonDraftHandlers } from './lesson-draft';
import { lessonHandlers } from './lessons';
import { markHandlers } from './marks';
import { pageHandlers } from './page';

// Every journal.* method, by what a reader looks for:
//   page.ts            journal.myLoads, journal.page, journal.cellHistory
//   lessons.ts         journal.saveLesson, journal.deleteLesson
//   lesson-draft.ts    journal.lessonDraft (a new lesson's date and number from the timetable)
//   marks.ts           journal.saveMark, journal.deleteMark
//   attendance-cell.ts journal.setAttendance
//   finals.ts          journal.setFinal, journal.lockPeriod, journal.reopenPeriod
//   batch.ts           journal.saveCells (a pasted block through the same per-cell functions)
//   compromised.ts     journal.compromisedChanges, journal.revertCompromised (revert.ts)
// attendance.* is src-main/attendance/, changes.* is src-main/changes/.
export function journalHandlers() {
  // A save sent with its entry time is judged at that time, within bounds (entry-time.ts).
  return withEntryTime(defineHandlers({
    ...pageHandlers(),
    ...lessonHandlers(),
    ...lessonDraftHandlers(),
    ...markHandlers(),
    ...attendanceCellHandlers(),
    ...finalHandlers(),
    ...batchHandlers(),
    ...compromisedHandlers(),
  }));
}
