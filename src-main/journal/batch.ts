import type { RefusedCell } from '../../src-shared/contract/journal';
import { russianDayMonth } from '../../src-shared/rules/dates';
import type { MethodOutput, ParsedInput } from '../../src-shared/contract/index';
import type { ErrorKind } from '../../src-shared/contract/envelope';
import type { HandlerContext } from '../core/context';
import { AppError, invalid } from '../core/errors';
import type { HandlerMap } from '../core/handlers';
import { sql, type Tx } from '../store/database';
import { setAttendance } from './attendance-cell';
import { isMarkLate } from '../../src-shared/rules/lateness';
import { collectingAudit } from '../core/context';
import { requireLessonWrite, requireOpenYear } from './access';
import { cellKey, insertMarks, lessonGone, markView, prepareMarkFrom, requireCellOpen, type NewMark } from './cells';
import { atEntry } from './entry-time';
import { environmentOf, schoolClock } from './environment';
import { deleteMark, saveMark } from './marks';
import { cellFactsOf, findIdempotentMany, findLessonsWithLoads, findMark, isUniqueViolation, rememberIdempotentMany } from './repository';
import { forgetAnswersBefore } from './save-once';

// A pasted block saved all-or-nothing. Each cell goes through
// the very function a single save uses (saveMark, deleteMark, setAttendance) — same rules,
// same refusals, same audit record per cell — but all of them inside ONE transaction: when
// any cell is refused, the whole block is rolled back and the answer names every refused
// cell and why. Each cell carries its own idempotency key, stored under the single save's
// method name: a retried batch (or one of its cells sent again alone) is applied once.

type Cells = ParsedInput<'journal.saveCells'>['cells'];
type Cell = Cells[number];
type Saved = MethodOutput<'journal.saveCells'>['results'][number];

/** Which refusal names the whole answer: a conflict first (the page must re-read), then a lock… */
const KIND_ORDER: readonly ErrorKind[] = ['conflict', 'locked', 'forbidden', 'not_found', 'validation'];

const methodOf = (cell: Cell) => (cell.kind === 'mark' ? 'journal.saveMark' : cell.kind === 'deleteMark' ? 'journal.deleteMark' : 'journal.setAttendance');

/** Saves one cell inside the batch's transaction, judged at the moment it was typed. */
async function saveCell(tx: Tx, batchCtx: HandlerContext, cell: Cell): Promise<Saved> {
  const ctx = cell.enteredAt === undefined ? batchCtx : await atEntry(batchCtx, cell.enteredAt, tx);
  switch (cell.kind) {
    case 'mark': {
      const { kind: _kind, idempotencyKey: _key, ...input } = cell;
      return { kind: 'mark', mark: await saveMark(tx, ctx, input) };
    }
    case 'deleteMark':
      await deleteMark(tx, ctx, { markId: cell.markId, version: cell.version });
      return { kind: 'deleteMark', markId: cell.markId };
    case 'attendance': {
      const { kind: _kind, idempotencyKey: _key, ...input } = cell;
      return { kind: 'attendance', attendance: await setAttendance(tx, ctx, input) };
    }
  }
}

/** «Белова Дарья, 14.10» for each refused cell, read in the same transaction. */
async function placesOf(tx: Tx, refused: { lessonId: number | null; studentId: number | null }[]): Promise<string[]> {
  const lessonIds = [...new Set(refused.map((r) => r.lessonId).filter((v): v is number => v !== null))];
  const studentIds = [...new Set(refused.map((r) => r.studentId).filter((v): v is number => v !== null))];
  const [lessons, students] = await Promise.all([
    lessonIds.length ? tx.selectFrom('lesson').select(['id', 'date']).where('id', 'in', lessonIds).execute() : Promise.resolve([]),
    studentIds.length ? tx.selectFrom('student').select(['id', 'surname', 'name']).where('id', 'in', studentIds).execute() : Promise.resolve([]),
  ]);
  const dateOf = new Map(lessons.map((l) => [l.id, russianDayMonth(l.date)]));
  const nameOf = new Map(students.map((s) => [s.id, `${s.surname} ${s.name}`]));
  return refused.map((r) => [r.studentId === null ? null : nameOf.get(r.studentId), r.lessonId === null ? null : dateOf.get(r.lessonId)].filter(Boolean).join(', ') || 'ячейка');
}

type Refused = Omit<RefusedCell, 'place'>;
type Remembered = { key: string; method: string; result: unknown };

const refusalOf = (index: number, cell: { lessonId: number | null; studentId: number | null }, error: AppError): Refused => ({
  index,
  lessonId: cell.lessonId,
  studentId: cell.studentId,
  kind: error.kind,
  message: error.message,
  ...(error.details === undefined ? {} : { details: error.details }),
});

type NewMarkCell = Extract<Cell, { kind: 'mark' }>;

/**
 * A run of new marks (the bulk of an outage's backlog), checked cell by cell under the very
 * rules saveMark applies, in saveMark's order — entry time, lesson, open year, the caller's
 * right to the lesson, the mark, the list, the edit window and closed period (D-25), lateness
 * — but against facts read for the whole run in a few queries, then written with multi-row
 * inserts and their audit records appended together. New marks change none of the facts a
 * later cell is judged by, so the run is judged as one cell after another would be. When any
 * of the batch's cells is refused, nothing of the run is written: the batch is rolled back.
 */
async function saveNewMarks(tx: Tx, ctx: HandlerContext, run: { index: number; cell: NewMarkCell }[], batchRefused: boolean): Promise<{ saved: Map<number, Saved>; refused: Refused[] }> {
  const caller = ctx.requireCaller();
  const lessons = await findLessonsWithLoads(tx, [...new Set(run.map(({ cell }) => cell.lessonId))]);
  const facts = await cellFactsOf(tx, run.map(({ cell }) => cell), lessons);
  const env = await environmentOf(ctx, tx);
  const audit = collectingAudit(ctx);
  const refused: Refused[] = [];
  const planned: { index: number; item: NewMark & { at: HandlerContext } }[] = [];
  for (const { index, cell } of run) {
    try {
      const at = cell.enteredAt === undefined ? audit.ctx : await atEntry(audit.ctx, cell.enteredAt, tx);
      const found = lessons.get(cell.lessonId);
      if (!found) throw lessonGone();
      const { lesson, load } = found;
      const cellFacts = facts.get(cellKey(lesson.id, cell.studentId))!;
      requireOpenYear(load);
      requireLessonWrite(caller, load, lesson);
      const { nowLocal, today } = schoolClock(at.now(), env);
      const prepared = prepareMarkFrom(env, load, cellFacts, cell.value, cell.workTypeId);
      requireCellOpen(env, today, lesson.date, cellFacts.periodLocked);
      const late = !prepared.makeUp && isMarkLate(lesson.date, prepared.markDueDays, nowLocal);
      planned.push({ index, item: { at, cell: { lessonId: lesson.id, studentId: cell.studentId, late }, mark: prepared, comment: cell.comment } });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused.push(refusalOf(index, cell, error));
    }
  }
  const saved = new Map<number, Saved>();
  if (refused.length > 0 || batchRefused) return { saved, refused };
  const rows = await insertMarks(
    tx,
    planned.map(({ item }) => item),
  );
  await audit.flush(tx);
  planned.forEach(({ index, item }, i) => saved.set(index, { kind: 'mark', mark: markView(rows[i]!, item.mark.weight) }));
  return { saved, refused };
}

async function saveAll(cells: Cells, ctx: HandlerContext, tx: Tx): Promise<{ results: Saved[] }> {
  const userId = ctx.requireCaller().userId;
  const results: Saved[] = new Array<Saved>(cells.length);
  const refused: Refused[] = [];
  const remembered: Remembered[] = [];
  const priors = await findIdempotentMany(
    tx,
    userId,
    cells.map((cell) => cell.idempotencyKey),
  );
  let run: { index: number; cell: NewMarkCell }[] = [];
  const saveRun = async () => {
    if (run.length === 0) return;
    const outcome = await saveNewMarks(tx, ctx, run, refused.length > 0);
    refused.push(...outcome.refused);
    for (const [index, saved] of outcome.saved) {
      results[index] = saved;
      remembered.push({ key: cells[index]!.idempotencyKey, method: 'journal.saveMark', result: saved.kind === 'mark' ? saved.mark : null });
    }
    run = [];
  };
  for (const [index, cell] of cells.entries()) {
    const method = methodOf(cell);
    const prior = priors.get(cell.idempotencyKey);
    if (prior) {
      if (prior.method !== method) throw invalid(`Ячейка № ${index + 1}: этот ключ повтора уже использован для другого действия.`);
      results[index] = method === 'journal.deleteMark' ? { kind: 'deleteMark', markId: (cell as { markId: number }).markId } : ({ kind: cell.kind, [cell.kind]: JSON.parse(prior.result) } as Saved);
      continue;
    }
    if (cell.kind === 'mark' && cell.markId === undefined) {
      run.push({ index, cell });
      continue;
    }
    // Any other edit (a changed or deleted mark, attendance) may depend on what came before it.
    await saveRun();
    // A savepoint per cell: a refused cell (on PostgreSQL even one refused by a failed
    // statement) is undone alone, and the cells after it are still checked and reported.
    await sql`savepoint journal_cell`.execute(tx);
    try {
      const saved = await saveCell(tx, ctx, cell);
      await sql`release savepoint journal_cell`.execute(tx);
      results[index] = saved;
      remembered.push({ key: cell.idempotencyKey, method, result: saved.kind === 'mark' ? saved.mark : saved.kind === 'attendance' ? saved.attendance : { done: true } });
    } catch (error) {
      if (!(error instanceof AppError)) throw error; // a broken connection, a deadlock: the whole batch fails (and may be retried)
      await sql`rollback to savepoint journal_cell`.execute(tx);
      await sql`release savepoint journal_cell`.execute(tx);
      let place = { lessonId: cell.kind === 'deleteMark' ? null : cell.lessonId, studentId: cell.kind === 'deleteMark' ? null : cell.studentId };
      if (cell.kind === 'deleteMark') {
        const mark = await findMark(tx, cell.markId);
        place = { lessonId: mark?.lesson_id ?? null, studentId: mark?.student_id ?? null };
      }
      refused.push(refusalOf(index, place, error));
    }
  }
  await saveRun();

  if (refused.length > 0) {
    refused.sort((a, b) => a.index - b.index);
    const places = await placesOf(tx, refused);
    const named: RefusedCell[] = refused.map((r, i) => ({ ...r, place: places[i]! }));
    const kind = KIND_ORDER.find((k) => named.some((r) => r.kind === k)) ?? 'validation';
    const listed = named
      .slice(0, 3)
      .map((r) => `${r.place} — ${r.message}`)
      .join('; ');
    const more = named.length > 3 ? `; и ещё ${named.length - 3}` : '';
    const whole = cells.length === 1 ? 'Ячейка не сохранена' : `Вставка не сохранена: ни одна из ${cells.length} ячеек не записана`;
    // Thrown inside the transaction: everything this batch wrote is rolled back.
    throw new AppError(kind, `${whole}. ${named.length === 1 ? 'Не принята' : `Не приняты (${named.length})`}: ${listed}${more}`, { refused: named });
  }

  const now = ctx.now();
  const at = now.toISOString();
  await rememberIdempotentMany(
    tx,
    remembered.map((entry) => ({ userId, ...entry, at })),
    remembered.length > 0 ? forgetAnswersBefore(now) : null,
  );
  return { results };
}

export async function saveCells(cells: Cells, ctx: HandlerContext): Promise<{ results: Saved[] }> {
  const keys = new Set(cells.map((cell) => cell.idempotencyKey));
  if (keys.size !== cells.length) throw invalid('В одной вставке ключи повтора ячеек должны различаться.');
  try {
    return await ctx.transaction((tx) => saveAll(cells, ctx, tx));
  } catch (error) {
    // The same batch sent twice at once (a retry overtaking a slow first attempt): the
    // second stumbles on the first one's keys and, run again, answers from them.
    if (!isUniqueViolation(error)) throw error;
    return ctx.transaction((tx) => saveAll(cells, ctx, tx));
  }
}

export function batchHandlers(): HandlerMap<'journal.saveCells'> {
  return {
    'journal.saveCells': (input, ctx) => saveCells(input.cells, ctx),
  };
}
