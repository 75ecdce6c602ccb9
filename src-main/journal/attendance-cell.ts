import type { AttendanceView } from '../../src-shared/contract/journal';
import type { ParsedInput } from '../../src-shared/contract/index';
import { isReasonCode } from '../../src-shared/rules/attendance';
import type { HandlerContext } from '../core/context';
import { forbidden } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Tx } from '../store/database';
import { requireLessonWrite, requireOpenYear } from './access';
import { cellKey, cellOf, notOnList, requireCellOpen, staleCell, writeAttendance } from './cells';
import { environmentOf, schoolClock } from './environment';
import { raceAsConflict, saveOnce } from './save-once';

// The teacher's attendance mark in one cell of the journal grid (D-27, D-28). A reason for
// an absence is the class teacher's (attendance.resolve, src-main/attendance/). The same
// function serves a single save and each cell of a pasted block (journal.saveCells).

export type SetAttendanceInput = Omit<ParsedInput<'journal.setAttendance'>, 'idempotencyKey'>;
export type AttendanceCell = Omit<AttendanceView, 'code'> & { code: AttendanceView['code'] | null };

export async function setAttendance(tx: Tx, ctx: HandlerContext, input: SetAttendanceInput): Promise<AttendanceCell> {
  const caller = ctx.requireCaller();
  const { lesson, load, facts } = await cellOf(tx, input.lessonId, input.studentId);
  requireOpenYear(load);
  requireLessonWrite(caller, load, lesson);
  const env = await environmentOf(ctx, tx);
  if (!facts.onList) throw notOnList();
  requireCellOpen(env, schoolClock(ctx.now(), env).today, lesson.date, facts.periodLocked);
  const current = facts.attendance;
  if ((current?.version ?? 0) !== input.version) {
    throw await staleCell(
      tx,
      env,
      ['attendance'],
      cellKey(lesson.id, input.studentId),
      current ? { code: current.code, version: current.version } : null,
      current ? `«${current.code}»` : 'без отметки о пропуске',
      current ? { userId: current.updated_by, at: current.updated_at } : undefined,
    );
  }
  if (current && isReasonCode(current.code) && input.code !== current.code) {
    throw forbidden(`Классный руководитель уже указал причину пропуска («${current.code}»); изменить её может он.`);
  }
  const cell = { lessonId: lesson.id, studentId: input.studentId };
  const result = await raceAsConflict(() => writeAttendance(tx, ctx, cell, current, input.code, 'attendance.set'));
  return result ?? { ...cell, code: null, version: 0 };
}

export function attendanceCellHandlers() {
  return defineHandlers({
    'journal.setAttendance': (input, ctx) => saveOnce(ctx, 'journal.setAttendance', input.idempotencyKey, (tx) => setAttendance(tx, ctx, input)),
  });
}
