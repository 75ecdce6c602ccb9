import { suggestFinal, suggestYearFinal, weightedAverage } from '../../src-shared/rules/average';
import { checkMark } from '../../src-shared/rules/marks';
import type { HandlerContext } from '../core/context';
import { invalid, locked } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Db, Tx } from '../store/database';
import { requireOpenYear, requireOwnLoad } from './access';
import { finalKey, requireLoad, staleCell } from './cells';
import { environmentOf } from './environment';
import { allPeriodFinalsOf, findFinal, periodLockOf, periodsOf, studentMarksWithWeights, studentsOfLoad, type Environment } from './repository';
import { type LoadContext } from '../load/repository';
import { raceAsConflict, saveOnce } from './save-once';
import { finalSnapshot, finalView } from './views';

// Final marks (for a period, the year, the exam, the final one) and closing a period once
// every student has one (D-23, D-25).

/** The suggested final (D-23): from the period's marks, or from period finals for the year. */
async function suggestedFor(db: Db, env: Environment, load: LoadContext, studentId: number, kind: string, period: { starts_on: string; ends_on: string } | null): Promise<string> {
  if (kind === 'period' && period) {
    const marks = await studentMarksWithWeights(db, load.id, studentId, period.starts_on, period.ends_on);
    return suggestFinal(weightedAverage(marks, env.settings.scale), env.settings) ?? '';
  }
  if (kind === 'year') {
    const finals = await allPeriodFinalsOf(db, load.id, studentId);
    return suggestYearFinal(finals.map((f) => f.value), env.settings) ?? '';
  }
  if (kind === 'final') {
    const [year, exam] = await Promise.all([findFinal(db, load.id, studentId, 'year', null), findFinal(db, load.id, studentId, 'exam', null)]);
    return suggestYearFinal([year?.value ?? '', exam?.value ?? ''], env.settings) ?? '';
  }
  return '';
}

/** Closes a load's period (D-25) unless it is closed already. */
async function lockPeriod(tx: Tx, ctx: HandlerContext, loadId: number, periodId: number, automatic: boolean): Promise<void> {
  const lock = await periodLockOf(tx, loadId, periodId);
  if (lock && lock.reopened_at === null) return;
  await tx.insertInto('period_lock').values({ load_id: loadId, period_id: periodId, locked_at: ctx.now().toISOString(), locked_by: ctx.requireCaller().userId, reopened_at: null, reopened_by: null, reopen_reason: null }).execute();
  await ctx.audit(tx, { action: 'period.lock', entity: 'period_lock', entityId: `${loadId}:${periodId}`, after: { locked: true, automatic } });
}

export function finalHandlers() {
  return defineHandlers({
    async 'journal.setFinal'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'journal.setFinal', input.idempotencyKey, async (tx) => {
        const load = await requireLoad(tx, input.loadId);
        requireOpenYear(load);
        requireOwnLoad(caller, load);
        if (load.no_marks === 1) throw invalid(`В ${load.class_name} итоговые отметки не выставляются: безотметочное обучение.`);
        const env = await environmentOf(ctx, tx);
        let period: { id: number; starts_on: string; ends_on: string } | null = null;
        if (input.kind === 'period') {
          if (input.periodId === undefined) throw invalid('Укажите период итоговой отметки.', [{ path: 'periodId', message: 'Обязательно для отметки за период' }]);
          period = (await periodsOf(tx, load.year_id, load.grade)).find((p) => p.id === input.periodId) ?? null;
          if (!period) throw invalid('Этот учебный период не относится к классу.', [{ path: 'periodId', message: 'Чужой период' }]);
        } else if (input.periodId !== undefined) {
          throw invalid('Годовая, экзаменационная и итоговая отметки не относятся к периоду.', [{ path: 'periodId', message: 'Лишнее поле' }]);
        }
        const periodId = period?.id ?? null;
        const span = period ?? { starts_on: load.year_starts_on, ends_on: load.year_ends_on };
        const onList = (await studentsOfLoad(tx, load, span.starts_on, span.ends_on)).some((s) => s.id === input.studentId);
        if (!onList) throw invalid('Этого ученика нет в списке класса (группы) в этом периоде.');
        // Empty and not put off: the teacher takes the final back (Delete, or Ctrl+Z after typing it).
        const clearing = !input.deferred && input.value.trim() === '';
        let value = '';
        if (!input.deferred && !clearing) {
          const checked = checkMark(input.value, env.settings);
          if (!checked.ok) throw invalid(input.value === '' ? 'Укажите отметку или отложите её.' : checked.message, [{ path: 'value', message: checked.ok ? '' : checked.message }]);
          value = checked.value;
        }
        const current = await findFinal(tx, load.id, input.studentId, input.kind, periodId);
        const key = finalKey(load.id, input.studentId, input.kind, periodId);
        if (periodId !== null && (await periodLockOf(tx, load.id, periodId).then((l) => Boolean(l) && l!.reopened_at === null))) {
          // A deferred final may still be set after the period closed (002 §5.5).
          if (!(current?.deferred === 1 && !input.deferred && !clearing)) {
            throw locked('Период закрыт: итоговые отметки выставлены. Исправить может администратор, открыв период.', { reason: 'periodLocked', requestable: false });
          }
        }
        if ((current?.version ?? 0) !== input.version) {
          throw await staleCell(tx, env, ['final_mark'], key, current ? finalView(current) : null, current ? `«${current.value || 'отложена'}»` : 'не выставлена', current ? { userId: current.updated_by, at: current.updated_at } : undefined);
        }
        const suggested = await suggestedFor(tx, env, load, input.studentId, input.kind, period);
        if (clearing) {
          if (current) {
            await tx.deleteFrom('final_mark').where('id', '=', current.id).where('version', '=', current.version).execute();
            await ctx.audit(tx, { action: 'final.set', entity: 'final_mark', entityId: key, before: finalSnapshot(current), after: null });
          }
          return { id: 0, studentId: input.studentId, kind: input.kind, periodId, value: '', suggested, deferred: false, version: 0, periodLocked: false };
        }
        const at = ctx.now().toISOString();
        const row = await raceAsConflict(async () =>
          current
            ? await tx
                .updateTable('final_mark')
                .set({ value, suggested, deferred: input.deferred ? 1 : 0, updated_at: at, updated_by: caller.userId, version: current.version + 1 })
                .where('id', '=', current.id)
                .where('version', '=', current.version)
                .returningAll()
                .executeTakeFirstOrThrow()
            : await tx
                .insertInto('final_mark')
                .values({ load_id: load.id, student_id: input.studentId, kind: input.kind, period_id: periodId, value, suggested, deferred: input.deferred ? 1 : 0, updated_at: at, updated_by: caller.userId, version: 1 })
                .returningAll()
                .executeTakeFirstOrThrow(),
        );
        await ctx.audit(tx, { action: 'final.set', entity: 'final_mark', entityId: key, before: current ? finalSnapshot(current) : null, after: finalSnapshot(row) });

        // D-25: when every student on the list at the period's end has a final (or a deferral), the period closes.
        let periodLocked = false;
        if (period) {
          const lock = await periodLockOf(tx, load.id, period.id);
          periodLocked = Boolean(lock) && lock!.reopened_at === null;
          if (!periodLocked) {
            const end = period.ends_on;
            const due = (await studentsOfLoad(tx, load, period.starts_on, end)).filter((s) => s.to === null || s.to >= end);
            const set = await tx.selectFrom('final_mark').select(['student_id', 'value', 'deferred']).where('load_id', '=', load.id).where('kind', '=', 'period').where('period_id', '=', period.id).execute();
            const done = new Set(set.filter((f) => f.value !== '' || f.deferred === 1).map((f) => f.student_id));
            if (due.length > 0 && due.every((s) => done.has(s.id))) {
              await lockPeriod(tx, ctx, load.id, period.id, true);
              periodLocked = true;
            }
          }
        }
        return { ...finalView(row), periodLocked };
      });
    },

    async 'journal.lockPeriod'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const load = await requireLoad(tx, input.loadId);
        requireOpenYear(load);
        requireOwnLoad(caller, load);
        if (!(await periodsOf(tx, load.year_id, load.grade)).some((p) => p.id === input.periodId)) throw invalid('Этот учебный период не относится к классу.');
        await lockPeriod(tx, ctx, load.id, input.periodId, false);
        return { done: true as const };
      });
    },

    async 'journal.reopenPeriod'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const load = await requireLoad(tx, input.loadId);
        requireOpenYear(load);
        const lock = await periodLockOf(tx, load.id, input.periodId);
        if (!lock || lock.reopened_at !== null) throw invalid('Этот период не закрыт.');
        await tx.updateTable('period_lock').set({ reopened_at: ctx.now().toISOString(), reopened_by: caller.userId, reopen_reason: input.reason }).where('id', '=', lock.id).execute();
        await ctx.audit(tx, { action: 'period.reopen', entity: 'period_lock', entityId: `${load.id}:${input.periodId}`, before: { locked: true }, after: { locked: false }, reason: input.reason });
        return { done: true as const };
      });
    },
  });
}
