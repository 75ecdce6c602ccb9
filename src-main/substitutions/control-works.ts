import type { z } from 'zod';
import type { controlWorkView } from '../../src-shared/contract/substitutions';
import { addDays, daysBetween, weekdayOf, russianDate } from '../../src-shared/rules/dates';
import { defaultControlWorkSettings, type ControlWorkSettings } from '../../src-shared/rules/substitutions';
import { invalid, locked, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import { findLoad, loadContextQuery } from '../load/repository';
import type { Db, Tx } from '../store/database';
import { schoolToday } from '../school/years';
import { noLessonsWhy } from './days';
import { plural } from '../../src-shared/rules/plural';

// The control-work schedule (002 §7A.5, §2.11; 003 §3.1.1): planned per class and subject,
// corrected later with a reason; the school's limits per class a day and a week are warned
// about, never enforced; works whose marks are not in by the grade's days show as overdue.

const SETTINGS_KEY = 'controlWorks';

async function readSettings(db: Db): Promise<ControlWorkSettings> {
  const row = await db.selectFrom('school_setting').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst();
  return row ? { ...defaultControlWorkSettings, ...(JSON.parse(row.value) as Partial<ControlWorkSettings>) } : defaultControlWorkSettings;
}

function workQuery(db: Db) {
  return loadContextQuery(db)
    .innerJoin('control_work as w', 'w.load_id', 'tl.id')
    .select(['w.id as work_id', 'w.load_id', 'w.date', 'w.title', 'w.planned_date', 'w.correction_reason'])
    .where('w.removed_at', 'is', null);
}
type WorkRow = Awaited<ReturnType<ReturnType<typeof workQuery>['execute']>>[number];

const toView = (r: WorkRow): z.infer<typeof controlWorkView> => ({
  id: r.work_id,
  loadId: r.load_id,
  classId: r.class_id,
  className: r.class_name,
  subjectName: r.subject_name,
  subgroupName: r.subgroup_name ?? null,
  teacherName: r.teacher_name,
  date: r.date,
  title: r.title,
  plannedDate: r.planned_date,
  correctionReason: r.correction_reason,
});

const worksWord = (n: number) => plural(n, 'работа', 'работы', 'работ');

/** Warnings when the class would have more works that day or week than the school allows. */
async function limitWarnings(db: Db, work: WorkRow): Promise<string[]> {
  const settings = await readSettings(db);
  const monday = addDays(work.date, 1 - weekdayOf(work.date));
  const week = await workQuery(db).where('tl.class_id', '=', work.class_id).where('w.date', '>=', monday).where('w.date', '<=', addDays(monday, 6)).orderBy('w.date').orderBy('w.id').execute();
  const sameDay = week.filter((w) => w.date === work.date);
  const warnings: string[] = [];
  const list = (rows: WorkRow[]) => rows.map((w) => `«${w.subject_name}» ${russianDate(w.date)}`).join(', ');
  if (sameDay.length > settings.perDay) {
    warnings.push(`У ${work.class_name} ${russianDate(work.date)} будет ${sameDay.length} контрольных ${worksWord(sameDay.length)} (${list(sameDay)}) — больше нормы школы (${settings.perDay} в день).`);
  }
  if (week.length > settings.perWeek) {
    warnings.push(`У ${work.class_name} на неделе с ${russianDate(monday)} будет ${week.length} контрольных ${worksWord(week.length)} (${list(week)}) — больше нормы школы (${settings.perWeek} в неделю).`);
  }
  return warnings;
}

async function requireSchoolDay(db: Db, load: { year_id: number; grade: number; class_name: string; year_starts_on: string; year_ends_on: string }, date: string) {
  if (date < load.year_starts_on || date > load.year_ends_on) throw invalid(`${russianDate(date)} вне учебного года.`, [{ path: 'date', message: 'Вне учебного года' }]);
  const why = await noLessonsWhy(db, load.year_id, load.grade, date);
  if (why) throw invalid(`${russianDate(date)} уроков у ${load.class_name} нет: ${why}.`, [{ path: 'date', message: 'Нет уроков' }]);
}

async function workOf(tx: Tx, id: number) {
  const work = await workQuery(tx).where('w.id', '=', id).executeTakeFirst();
  if (!work) throw notFound('Контрольная работа не найдена в графике.');
  const load = (await findLoad(tx, work.load_id))!;
  if (load.year_closed_at) throw locked('Учебный год закрыт: график контрольных работ доступен только для чтения.', { reason: 'yearClosed', requestable: false });
  return { work, load };
}

export function controlWorkHandlers() {
  return defineHandlers({
    async 'controlWorks.list'(input, ctx) {
      let query = workQuery(ctx.store.db).where('w.date', '>=', input.from).where('w.date', '<=', input.to);
      if (input.classId !== undefined) query = query.where('tl.class_id', '=', input.classId);
      return (await query.orderBy('w.date').orderBy('c.grade').orderBy('c.letter').orderBy('s.sort_order').execute()).map(toView);
    },

    async 'controlWorks.plan'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const load = await findLoad(tx, input.loadId);
        if (!load) throw notFound('Нагрузка не найдена.');
        if (load.year_closed_at) throw locked('Учебный год закрыт: график контрольных работ доступен только для чтения.', { reason: 'yearClosed', requestable: false });
        await requireSchoolDay(tx, load, input.date);
        const row = await tx
          .insertInto('control_work')
          .values({ year_id: load.year_id, load_id: load.id, date: input.date, title: input.title, planned_date: input.date, correction_reason: null, created_at: ctx.now().toISOString(), created_by: caller.userId, removed_at: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        const work = await workQuery(tx).where('w.id', '=', row.id).executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'controlWork.plan', entity: 'control_work', entityId: row.id, before: null, after: toView(work) });
        return { work: toView(work), warnings: await limitWarnings(tx, work) };
      });
    },

    async 'controlWorks.move'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const { work, load } = await workOf(tx, input.id);
        await requireSchoolDay(tx, load, input.date);
        await tx.updateTable('control_work').set({ date: input.date, correction_reason: input.reason }).where('id', '=', input.id).execute();
        const moved = await workQuery(tx).where('w.id', '=', input.id).executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'controlWork.move', entity: 'control_work', entityId: input.id, before: toView(work), after: toView(moved), reason: input.reason });
        return { work: toView(moved), warnings: await limitWarnings(tx, moved) };
      });
    },

    async 'controlWorks.remove'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const { work } = await workOf(tx, input.id);
        await tx.updateTable('control_work').set({ removed_at: ctx.now().toISOString() }).where('id', '=', input.id).execute();
        await ctx.audit(tx, { action: 'controlWork.remove', entity: 'control_work', entityId: input.id, before: toView(work), after: null });
        return { done: true as const };
      });
    },

    async 'controlWorks.settings'(_input, ctx) {
      return readSettings(ctx.store.db);
    },

    async 'controlWorks.saveSettings'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const before = await readSettings(tx);
        const value = JSON.stringify(input);
        const updated = await tx.updateTable('school_setting').set({ value }).where('key', '=', SETTINGS_KEY).executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) await tx.insertInto('school_setting').values({ key: SETTINGS_KEY, value }).execute();
        await ctx.audit(tx, { action: 'controlWork.settings', entity: 'school_setting', entityId: SETTINGS_KEY, before, after: input });
        return input;
      });
    },

    async 'controlWorks.overdue'(_input, ctx) {
      const db = ctx.store.db;
      const [today, settings] = await Promise.all([schoolToday(db, ctx.now()), readSettings(db)]);
      const past = await workQuery(db).where('w.date', '<', today).where('y.closed_at', 'is', null).orderBy('w.date').execute();
      const overdue = [];
      for (const work of past) {
        const dueDate = addDays(work.date, settings.dueDaysByGrade[work.grade] ?? 3);
        if (today <= dueDate) continue;
        const marked = await db
          .selectFrom('mark as m')
          .innerJoin('lesson as l', 'l.id', 'm.lesson_id')
          .select('m.id')
          .where('l.load_id', '=', work.load_id)
          .where('l.date', '=', work.date)
          .limit(1)
          .executeTakeFirst();
        if (!marked) overdue.push({ work: toView(work), dueDate, daysOverdue: daysBetween(dueDate, today) });
      }
      return overdue;
    },
  });
}
