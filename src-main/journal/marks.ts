import type { MarkView } from '../../src-shared/contract/journal';
import type { ParsedInput } from '../../src-shared/contract/index';
import { isMarkLate } from '../../src-shared/rules/lateness';
import type { HandlerContext } from '../core/context';
import { invalid, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Tx } from '../store/database';
import { requireLessonWrite, requireOpenYear } from './access';
import { cellKey, cellOf, insertMark, lessonAndLoad, markView, prepareMarkFrom, removeMark, requireCellOpen, staleCell, updateMark } from './cells';
import { environmentOf, schoolClock } from './environment';
import { findMark, periodLockedOn } from './repository';
import { saveOnce } from './save-once';

// A mark in one cell: saved or deleted by the teacher who gave the lesson. The same
// functions serve a single save (its own transaction, idempotent) and each cell of a pasted
// block (journal.saveCells, inside the block's one transaction).

export type SaveMarkInput = Omit<ParsedInput<'journal.saveMark'>, 'idempotencyKey'>;
export type DeleteMarkInput = Omit<ParsedInput<'journal.deleteMark'>, 'idempotencyKey'>;

export async function saveMark(tx: Tx, ctx: HandlerContext, input: SaveMarkInput): Promise<MarkView> {
  const caller = ctx.requireCaller();
  const { lesson, load, facts } = await cellOf(tx, input.lessonId, input.studentId);
  requireOpenYear(load);
  requireLessonWrite(caller, load, lesson);
  const env = await environmentOf(ctx, tx);
  const { nowLocal, today } = schoolClock(ctx.now(), env);
  const prepared = prepareMarkFrom(env, load, facts, input.value, input.workTypeId);
  requireCellOpen(env, today, lesson.date, facts.periodLocked);
  if (input.markId === undefined) {
    const late = !prepared.makeUp && isMarkLate(lesson.date, prepared.markDueDays, nowLocal);
    const row = await insertMark(tx, ctx, { lessonId: lesson.id, studentId: input.studentId, late }, prepared, input.comment);
    return markView(row, prepared.weight);
  }
  const current = await findMark(tx, input.markId);
  const key = cellKey(lesson.id, input.studentId);
  if (!current) throw await staleCell(tx, env, ['mark'], key, null, 'отметка удалена');
  if (current.lesson_id !== lesson.id || current.student_id !== input.studentId) throw notFound('Отметка не найдена в этой ячейке.');
  if (input.version === undefined) throw invalid('Не указана версия отметки, на которой основано изменение.', [{ path: 'version', message: 'Обязательно при изменении' }]);
  if (current.version !== input.version) {
    throw await staleCell(tx, env, ['mark'], key, markView(current, prepared.weight), `«${current.value}»`, { userId: current.updated_by, at: current.updated_at });
  }
  return markView(await updateMark(tx, ctx, current, prepared, input.comment), prepared.weight);
}

export async function deleteMark(tx: Tx, ctx: HandlerContext, input: DeleteMarkInput): Promise<void> {
  const caller = ctx.requireCaller();
  const current = await findMark(tx, input.markId);
  if (!current) throw notFound('Отметка уже удалена. Обновите страницу.');
  const { lesson, load } = await lessonAndLoad(tx, current.lesson_id);
  requireOpenYear(load);
  requireLessonWrite(caller, load, lesson);
  const env = await environmentOf(ctx, tx);
  requireCellOpen(env, schoolClock(ctx.now(), env).today, lesson.date, await periodLockedOn(tx, load.id, lesson.date));
  if (current.version !== input.version) {
    throw await staleCell(tx, env, ['mark'], cellKey(lesson.id, current.student_id), markView(current, 0), `«${current.value}»`, { userId: current.updated_by, at: current.updated_at });
  }
  await removeMark(tx, ctx, current);
}

export function markHandlers() {
  return defineHandlers({
    'journal.saveMark': (input, ctx) => saveOnce(ctx, 'journal.saveMark', input.idempotencyKey, (tx) => saveMark(tx, ctx, input)),
    'journal.deleteMark': (input, ctx) =>
      saveOnce(ctx, 'journal.deleteMark', input.idempotencyKey, async (tx) => {
        await deleteMark(tx, ctx, input);
        return { done: true as const };
      }),
  });
}
