import { conflict, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { HandlerContext } from '../core/context';
import { readSchoolSettings, writeSchoolSettings } from './school-settings';
import { forgetEnvironment } from '../journal/environment';
import type { Db, Tx } from '../store/database';

/** D-22 weights, D-18 days allowed for the marks of each type. */
export const defaultWorkTypes = [
  { name: 'Ответ на уроке', weight: 1, markDueDays: 1 },
  { name: 'Самостоятельная работа', weight: 1.5, markDueDays: 3 },
  { name: 'Контрольная работа', weight: 2, markDueDays: 3 },
  { name: 'Диктант', weight: 2, markDueDays: 3 },
  { name: 'Домашняя работа', weight: 1, markDueDays: 1 },
  { name: 'Тест', weight: 1.5, markDueDays: 3 },
  { name: 'Проект', weight: 1.5, markDueDays: 7 },
  { name: 'Изложение/сочинение', weight: 2, markDueDays: 7 },
] as const;

type WorkTypeRow = { id: number; name: string; weight: number; mark_due_days: number; sort_order: number; active: number };

function toWorkType(r: WorkTypeRow) {
  return { id: r.id, name: r.name, weight: Number(r.weight), markDueDays: r.mark_due_days, sortOrder: r.sort_order, active: r.active === 1 };
}

/**
 * The default work types, inside the caller's transaction, when the table is empty: the
 * journal cannot take a mark without one. `setup.createSchool` calls it for a new school
 * (with the new administrator as the audit's author, nobody being signed in yet).
 */
export async function seedDefaultWorkTypes(tx: Tx, ctx: HandlerContext, userId?: number): Promise<void> {
  if (await tx.selectFrom('work_type').select('id').limit(1).executeTakeFirst()) return;
  const rows = defaultWorkTypes.map((w, index) => ({ name: w.name, weight: w.weight, mark_due_days: w.markDueDays, sort_order: (index + 1) * 10, active: 1 }));
  await tx.insertInto('work_type').values(rows).execute();
  await ctx.audit(tx, { action: 'workTypes.seed', entity: 'work_type', entityId: null, after: defaultWorkTypes, ...(userId === undefined ? {} : { userId }) });
}

/**
 * A database made before the seed moved into `setup.createSchool` may have no work types:
 * they are seeded once, on first use. Safe to call from a read: it writes only into an empty table.
 */
export async function ensureWorkTypes(ctx: HandlerContext): Promise<void> {
  const any = await ctx.store.db.selectFrom('work_type').select('id').limit(1).executeTakeFirst();
  if (any) return;
  await changingEnvironment(ctx, (tx) => seedDefaultWorkTypes(tx, ctx));
}

/** A write to what every journal save reads (settings, work types): applies from the next save. */
async function changingEnvironment<T>(ctx: HandlerContext, work: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await ctx.transaction(work);
  } finally {
    forgetEnvironment(ctx.store);
  }
}

async function workTypeById(db: Db, id: number) {
  const row = await db.selectFrom('work_type').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Вид работы не найден.');
  return toWorkType(row);
}

/** Marks settings (D-20, D-21, D-23, D-25) and work types with weights (D-22). */
export function settingsHandlers() {
  return defineHandlers({
    async 'settings.get'(_input, ctx) {
      return readSchoolSettings(ctx.store.db);
    },

    async 'settings.update'(input, ctx) {
      return changingEnvironment(ctx, async (tx) => {
        const before = await readSchoolSettings(tx);
        const after = { ...before, ...input };
        await writeSchoolSettings(tx, after);
        const changed = Object.fromEntries(Object.entries(input).filter(([key, value]) => JSON.stringify(before[key as keyof typeof before]) !== JSON.stringify(value)));
        await ctx.audit(tx, {
          action: 'settings.update',
          entity: 'school_setting',
          entityId: 'school',
          before: Object.fromEntries(Object.keys(changed).map((key) => [key, before[key as keyof typeof before]])),
          after: changed,
        });
        return after;
      });
    },

    async 'settings.workTypes.list'(input, ctx) {
      await ensureWorkTypes(ctx);
      let query = ctx.store.db.selectFrom('work_type').selectAll();
      if (!input.includeInactive) query = query.where('active', '=', 1);
      const rows = await query.orderBy('sort_order').orderBy('name').execute();
      return rows.map(toWorkType);
    },

    async 'settings.workTypes.create'(input, ctx) {
      await ensureWorkTypes(ctx);
      return changingEnvironment(ctx, async (tx) => {
        if (await tx.selectFrom('work_type').select('id').where('name', '=', input.name).executeTakeFirst()) throw conflict(`Вид работы «${input.name}» уже есть.`);
        const row = await tx
          .insertInto('work_type')
          .values({ name: input.name, weight: input.weight, mark_due_days: input.markDueDays, sort_order: input.sortOrder, active: input.active ? 1 : 0 })
          .returningAll()
          .executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'workType.create', entity: 'work_type', entityId: row.id, after: toWorkType(row) });
        return toWorkType(row);
      });
    },

    async 'settings.workTypes.update'(input, ctx) {
      return changingEnvironment(ctx, async (tx) => {
        const before = await workTypeById(tx, input.id);
        if (await tx.selectFrom('work_type').select('id').where('name', '=', input.name).where('id', '!=', input.id).executeTakeFirst()) throw conflict(`Вид работы «${input.name}» уже есть.`);
        await tx
          .updateTable('work_type')
          .set({ name: input.name, weight: input.weight, mark_due_days: input.markDueDays, sort_order: input.sortOrder, active: input.active ? 1 : 0 })
          .where('id', '=', input.id)
          .execute();
        const after = await workTypeById(tx, input.id);
        await ctx.audit(tx, { action: 'workType.update', entity: 'work_type', entityId: input.id, before, after });
        return after;
      });
    },
  });
}
