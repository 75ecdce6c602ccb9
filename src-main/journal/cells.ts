import type { AttendanceView, MarkView } from '../../src-shared/contract/journal';
import { isAbsence } from '../../src-shared/rules/attendance';
import { checkMark } from '../../src-shared/rules/marks';
import { russianDayMonthTime } from '../../src-shared/rules/dates';
import { isPastEditWindow } from '../../src-shared/rules/edit-window';
import type { HandlerContext } from '../core/context';
import { conflict, invalid, locked, notFound } from '../core/errors';
import type { Db, Tx } from '../store/database';
import {
  findCell,
  findLessonWithLoad,
  lastChangeOf,
  studentOnList,
  userName,
  type AttendanceRow,
  type CellFacts,
  type Environment,
  type LessonRow,
} from './repository';
import { findLoad, type LoadContext } from '../load/repository';

// Writing one cell (marks and attendance of a lesson × student). Used by the teacher's own
// saves, by approved change requests and by the compromised-account revert, so a change
// is stored and audited the same way whichever door it came through.

export const cellKey = (lessonId: number, studentId: number) => `${lessonId}:${studentId}`;
export const finalKey = (loadId: number, studentId: number, kind: string, periodId: number | null) => `${loadId}:${studentId}:${kind}:${periodId ?? ''}`;

type MarkRow = {
  id: number;
  lesson_id: number;
  student_id: number;
  value: string;
  work_type_id: number;
  comment: string;
  make_up: number;
  late: number;
  created_at: string;
  created_by: number;
  version: number;
};

/** What the audit log keeps of a mark: enough to show the change and to put it back (D-44). */
export interface MarkSnapshot {
  markId: number;
  value: string;
  workTypeId: number;
  comment: string;
  makeUp: boolean;
  createdAt: string;
  createdBy: number;
}

export const markSnapshot = (row: MarkRow): MarkSnapshot => ({
  markId: row.id,
  value: row.value,
  workTypeId: row.work_type_id,
  comment: row.comment,
  makeUp: row.make_up === 1,
  createdAt: row.created_at,
  createdBy: row.created_by,
});

export const markView = (row: MarkRow, weight: number): MarkView => ({
  id: row.id,
  lessonId: row.lesson_id,
  studentId: row.student_id,
  value: row.value,
  workTypeId: row.work_type_id,
  weight,
  comment: row.comment,
  makeUp: row.make_up === 1,
  late: row.late === 1,
  version: row.version,
});

/** Extra facts an audit record of a cell carries: the reason and the request it came from. */
export interface ChangeOrigin {
  reason?: string | null;
  changeRequestId?: number;
}

const formatWhen = (iso: string | null, timeZone: string) => (iso ? ` ${russianDayMonthTime(new Date(iso), timeZone)}` : '');

/** The `conflict` a stale save gets: the current value and who changed it. */
export async function staleCell(db: Db, env: Environment, entities: string[], entityId: string, current: unknown, shown: string, lastBy?: { userId: number; at: string }) {
  const changedBy = lastBy ? { userId: lastBy.userId, name: await userName(db, lastBy.userId), at: lastBy.at } : await lastChangeOf(db, entities, entityId);
  const who = changedBy.name ?? 'другой пользователь';
  return conflict(`Эту запись уже изменил(а) ${who}${formatWhen(changedBy.at, env.timeZone)}; сейчас: ${shown}. Проверьте и сохраните ещё раз.`, { current, changedBy });
}

/** D-25: a lesson's cells are locked for the teacher after the window and while its period is closed. */
export function requireCellOpen(env: Environment, today: string, lessonDate: string, periodLocked: boolean): void {
  if (periodLocked) {
    throw locked('Период закрыт: итоговые отметки выставлены. Изменение — через запрос администрации или после открытия периода администратором.', { reason: 'periodLocked', requestable: true });
  }
  if (isPastEditWindow(lessonDate, today, env.settings.editWindowDays)) {
    throw locked(
      `Урок ${lessonDate.slice(8, 10)}.${lessonDate.slice(5, 7)} старше ${env.settings.editWindowDays} дней: исправить отметку или пропуск можно только через запрос заместителю директора или администратору.`,
      { reason: 'editWindow', requestable: true },
    );
  }
}

/**
 * D-25: moving a lesson moves its marks and attendance to another date, so the move itself is
 * a late change when either date is past the window (else a lesson moved to today, edited and
 * moved back would dodge the window). Such a move goes through a change request.
 */
export function requireMoveOpen(env: Environment, today: string, from: string, to: string): void {
  const days = env.settings.editWindowDays;
  const closed = [from, to].filter((date) => isPastEditWindow(date, today, days));
  if (closed.length === 0) return;
  const dm = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}`;
  throw locked(`Перенести урок с ${dm(from)} на ${dm(to)} можно только через запрос заместителю директора или администратору: ${closed.length === 1 ? `дата ${dm(closed[0]!)}` : 'обе даты'} старше ${days} дней.`, {
    reason: 'editWindow',
    requestable: true,
  });
}

export interface PreparedMark {
  value: string;
  workTypeId: number;
  weight: number;
  markDueDays: number;
  makeUp: boolean;
}

/** Checks a mark against the class, the scale, the work type and the list; says if it is a make-up (D-24). */
export function prepareMarkFrom(env: Environment, load: LoadContext, facts: Pick<CellFacts, 'onList' | 'attendance'>, rawValue: string, workTypeId: number): PreparedMark {
  if (load.no_marks === 1) {
    throw invalid(`В ${load.class_name} отметки не ставятся: безотметочное обучение. Отмечайте тему урока и посещаемость.`);
  }
  const checked = checkMark(rawValue, env.settings);
  if (!checked.ok) throw invalid(checked.message, [{ path: 'value', message: checked.message }]);
  const workType = env.workTypes.get(workTypeId);
  if (!workType || workType.active !== 1) throw invalid('Такого вида работы нет в настройках школы.', [{ path: 'workTypeId', message: 'Неизвестный вид работы' }]);
  if (!facts.onList) throw notOnList();
  return { value: checked.value, workTypeId, weight: workType.weight, markDueDays: workType.mark_due_days, makeUp: isAbsence(facts.attendance?.code) };
}

export const lessonGone = () => notFound('Урок не найден: возможно, его удалили. Обновите страницу.');

export async function lessonAndLoad(db: Db, lessonId: number): Promise<{ lesson: LessonRow; load: LoadContext }> {
  const found = await findLessonWithLoad(db, lessonId);
  if (!found) throw lessonGone();
  return found;
}

/** A save into one cell starts here: the lesson, its load and the cell's facts in one read. */
export async function cellOf(db: Db, lessonId: number, studentId: number) {
  const found = await findCell(db, lessonId, studentId);
  if (!found) throw lessonGone();
  return found;
}

export async function requireLoad(db: Db, loadId: number): Promise<LoadContext> {
  const load = await findLoad(db, loadId);
  if (!load) throw notFound('Страница журнала не найдена.');
  return load;
}

export const notOnList = () => invalid('Этого ученика нет в списке класса (группы) на дату урока.');

export async function requireStudentOnList(db: Db, load: LoadContext, studentId: number, date: string): Promise<void> {
  if (!(await studentOnList(db, load, studentId, date))) throw notOnList();
}

/** The same, reading the cell's facts first: for the doors that do not have them at hand. */
export async function prepareMark(db: Db, env: Environment, load: LoadContext, lesson: LessonRow, studentId: number, rawValue: string, workTypeId: number): Promise<PreparedMark> {
  const cell = await findCell(db, lesson.id, studentId);
  if (!cell) throw lessonGone();
  return prepareMarkFrom(env, load, cell.facts, rawValue, workTypeId);
}

export interface NewMark {
  cell: { lessonId: number; studentId: number; late: boolean };
  mark: PreparedMark;
  comment: string;
}

/** A new mark's row, typed by `ctx`'s caller at `ctx`'s now. */
function newMarkRow(ctx: HandlerContext, { cell, mark, comment }: NewMark) {
  const at = ctx.now().toISOString();
  const userId = ctx.requireCaller().userId;
  return {
    lesson_id: cell.lessonId,
    student_id: cell.studentId,
    value: mark.value,
    work_type_id: mark.workTypeId,
    comment,
    make_up: mark.makeUp ? 1 : 0,
    late: cell.late ? 1 : 0,
    created_at: at,
    created_by: userId,
    updated_at: at,
    updated_by: userId,
    version: 1,
  };
}

/** The audit record of a new mark. */
function markCreated(row: MarkRow, origin: ChangeOrigin) {
  return {
    action: 'mark.create',
    entity: 'mark',
    entityId: cellKey(row.lesson_id, row.student_id),
    before: null,
    after: { ...markSnapshot(row), ...(origin.changeRequestId ? { changeRequestId: origin.changeRequestId } : {}) },
    reason: origin.reason ?? null,
  };
}

export async function insertMark(tx: Tx, ctx: HandlerContext, cell: NewMark['cell'], mark: PreparedMark, comment: string, origin: ChangeOrigin = {}): Promise<MarkRow> {
  const row = await tx.insertInto('mark').values(newMarkRow(ctx, { cell, mark, comment })).returningAll().executeTakeFirstOrThrow();
  await ctx.audit(tx, markCreated(row, origin));
  return row;
}

const MARKS_PER_INSERT = 500;

/**
 * New marks already checked, each with the context it was typed in (its entry time): rows in
 * multi-row inserts, then each one's audit record through its context, in the order given —
 * the rows and records insertMark would write one by one. A batch hands in contexts that
 * collect the records (collectingAudit), to append them together.
 */
export async function insertMarks(tx: Tx, items: readonly (NewMark & { at: HandlerContext })[]): Promise<MarkRow[]> {
  const rows: MarkRow[] = [];
  for (let start = 0; start < items.length; start += MARKS_PER_INSERT) {
    const chunk = items.slice(start, start + MARKS_PER_INSERT);
    const inserted = await tx.insertInto('mark').values(chunk.map((item) => newMarkRow(item.at, item))).returningAll().execute();
    // Ids are drawn row by row in the order of the values; RETURNING's order is not promised.
    rows.push(...inserted.sort((a, b) => a.id - b.id));
  }
  for (const [index, item] of items.entries()) await item.at.audit(tx, markCreated(rows[index]!, {}));
  return rows;
}

export async function updateMark(tx: Tx, ctx: HandlerContext, current: MarkRow, mark: PreparedMark, comment: string, origin: ChangeOrigin = {}): Promise<MarkRow> {
  const at = ctx.now().toISOString();
  const row = await tx
    .updateTable('mark')
    .set({ value: mark.value, work_type_id: mark.workTypeId, comment, make_up: mark.makeUp ? 1 : 0, updated_at: at, updated_by: ctx.requireCaller().userId, version: current.version + 1 })
    .where('id', '=', current.id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw conflict('Отметку только что изменил другой пользователь. Обновите страницу.');
  await ctx.audit(tx, {
    action: 'mark.update',
    entity: 'mark',
    entityId: cellKey(current.lesson_id, current.student_id),
    before: markSnapshot(current),
    after: { ...markSnapshot(row), ...(origin.changeRequestId ? { changeRequestId: origin.changeRequestId } : {}) },
    reason: origin.reason ?? null,
  });
  return row;
}

export async function removeMark(tx: Tx, ctx: HandlerContext, current: MarkRow, origin: ChangeOrigin = {}): Promise<void> {
  const deleted = await tx.deleteFrom('mark').where('id', '=', current.id).where('version', '=', current.version).executeTakeFirst();
  if (Number(deleted.numDeletedRows) !== 1) throw conflict('Отметку только что изменил другой пользователь. Обновите страницу.');
  await ctx.audit(tx, {
    action: 'mark.delete',
    entity: 'mark',
    entityId: cellKey(current.lesson_id, current.student_id),
    before: markSnapshot(current),
    after: origin.changeRequestId ? { deleted: true, changeRequestId: origin.changeRequestId } : null,
    reason: origin.reason ?? null,
  });
}

/** Sets (or with null clears) a cell's attendance code; audited as before → after. */
export async function writeAttendance(
  tx: Tx,
  ctx: HandlerContext,
  cell: { lessonId: number; studentId: number },
  current: AttendanceRow | undefined,
  code: string | null,
  action: 'attendance.set' | 'attendance.resolve',
  origin: ChangeOrigin = {},
): Promise<(AttendanceView & { code: AttendanceView['code'] | null }) | null> {
  const at = ctx.now().toISOString();
  const userId = ctx.requireCaller().userId;
  const before = current ? { code: current.code } : null;
  let result: AttendanceRow | null = null;
  if (code === null) {
    if (current) {
      const deleted = await tx.deleteFrom('attendance').where('lesson_id', '=', cell.lessonId).where('student_id', '=', cell.studentId).where('version', '=', current.version).executeTakeFirst();
      if (Number(deleted.numDeletedRows) !== 1) throw conflict('Отметку посещаемости только что изменил другой пользователь. Обновите страницу.');
    }
  } else if (current) {
    result =
      (await tx
        .updateTable('attendance')
        .set({ code, updated_at: at, updated_by: userId, version: current.version + 1 })
        .where('lesson_id', '=', cell.lessonId)
        .where('student_id', '=', cell.studentId)
        .where('version', '=', current.version)
        .returningAll()
        .executeTakeFirst()) ?? null;
    if (!result) throw conflict('Отметку посещаемости только что изменил другой пользователь. Обновите страницу.');
  } else {
    result = await tx.insertInto('attendance').values({ lesson_id: cell.lessonId, student_id: cell.studentId, code, updated_at: at, updated_by: userId, version: 1 }).returningAll().executeTakeFirstOrThrow();
  }
  if ((before?.code ?? null) !== code) {
    await ctx.audit(tx, {
      action,
      entity: 'attendance',
      entityId: cellKey(cell.lessonId, cell.studentId),
      before,
      after: code === null ? (origin.changeRequestId ? { code: null, changeRequestId: origin.changeRequestId } : null) : { code, ...(origin.changeRequestId ? { changeRequestId: origin.changeRequestId } : {}) },
      reason: origin.reason ?? null,
    });
  }
  return result ? { lessonId: result.lesson_id, studentId: result.student_id, code: result.code as AttendanceView['code'], version: result.version } : null;
}
