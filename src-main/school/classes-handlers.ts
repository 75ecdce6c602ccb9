import { isNoMarksGrade } from '../../src-shared/rules/periods';
import { conflict, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Tx } from '../store/database';
import { listClasses, requireActiveStaff } from './people';
import { requireOpenClass, requireOpenYear, resolveYearId, schoolToday } from './years';

export async function classById(tx: Tx, classId: number, date: string) {
  const schoolClass = await tx.selectFrom('school_class').select('year_id').where('id', '=', classId).executeTakeFirst();
  if (!schoolClass) throw notFound('Класс не найден.');
  const [view] = await listClasses(tx, schoolClass.year_id, date, classId);
  return view!;
}

/** Inserts a class after the checks a screen and an import both need. */
export async function insertClass(tx: Tx, input: { yearId: number; grade: number; letter: string; classTeacherId: number | null; room: string }) {
  await requireOpenYear(tx, input.yearId);
  const name = `${input.grade}${input.letter}`;
  const same = await tx.selectFrom('school_class').select('id').where('year_id', '=', input.yearId).where('name', '=', name).executeTakeFirst();
  if (same) throw conflict(`Класс ${name} в этом году уже есть.`);
  if (input.classTeacherId !== null && !(await requireActiveStaff(tx, input.classTeacherId))) throw notFound('Классный руководитель: сотрудник не найден или отключён.');
  return tx
    .insertInto('school_class')
    .values({ year_id: input.yearId, grade: input.grade, letter: input.letter, name, class_teacher_id: input.classTeacherId, room: input.room, no_marks: isNoMarksGrade(input.grade) ? 1 : 0 })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The year's classes (school.classes.*): listed, created, changed. */
export function classHandlers() {
  return defineHandlers({
    async 'school.classes.list'(input, ctx) {
      const db = ctx.store.db;
      const today = await schoolToday(db, ctx.now());
      const yearId = await resolveYearId(db, input.yearId, today);
      return yearId === null ? [] : listClasses(db, yearId, input.date ?? today);
    },

    async 'school.classes.create'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const row = await insertClass(tx, input);
        const view = await classById(tx, row.id, await schoolToday(tx, ctx.now()));
        await ctx.audit(tx, { action: 'class.create', entity: 'school_class', entityId: row.id, after: view });
        return view;
      });
    },

    async 'school.classes.update'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const { schoolClass } = await requireOpenClass(tx, input.id);
        const today = await schoolToday(tx, ctx.now());
        const before = await classById(tx, input.id, today);
        const name = `${schoolClass.grade}${input.letter}`;
        if (name !== schoolClass.name) {
          const same = await tx.selectFrom('school_class').select('id').where('year_id', '=', schoolClass.year_id).where('name', '=', name).executeTakeFirst();
          if (same) throw conflict(`Класс ${name} в этом году уже есть.`);
        }
        if (input.classTeacherId !== null && !(await requireActiveStaff(tx, input.classTeacherId))) throw notFound('Классный руководитель: сотрудник не найден или отключён.');
        await tx.updateTable('school_class').set({ letter: input.letter, name, class_teacher_id: input.classTeacherId, room: input.room }).where('id', '=', input.id).execute();
        const after = await classById(tx, input.id, today);
        await ctx.audit(tx, { action: 'class.update', entity: 'school_class', entityId: input.id, before, after });
        return after;
      });
    },
  });
}
