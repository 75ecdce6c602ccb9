import type { TransferView } from '../../src-shared/contract/substitutions';
import { russianDate } from '../../src-shared/rules/dates';
import { conflict, invalid, locked, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import { isUniqueViolation } from '../journal/repository';
import { findLoad, loadContextQuery } from '../load/repository';
import type { Db } from '../store/database';
import { shortPersonName as shortName } from '../../src-shared/rules/substitutions';
import { noLessonsWhy } from './days';
import { slotLessonsQuery } from './repository';

// Transfers (перенос): a lesson moved for one day to another date or lesson number. The
// weekly timetable stays as it is; the day's timetable and the teacher's home apply it.

function transferQuery(db: Db) {
  return loadContextQuery(db)
    .innerJoin('lesson_transfer as x', 'x.load_id', 'tl.id')
    .select(['x.id as transfer_id', 'x.load_id', 'x.from_date', 'x.from_lesson_number', 'x.to_date', 'x.to_lesson_number', 'x.room', 'x.reason', 'x.order_number'])
    .where('x.removed_at', 'is', null);
}
type TransferRow = Awaited<ReturnType<ReturnType<typeof transferQuery>['execute']>>[number];

const toView = (r: TransferRow): TransferView => ({
  id: r.transfer_id,
  loadId: r.load_id,
  className: r.class_name,
  subjectName: r.subject_name,
  subgroupName: r.subgroup_name ?? null,
  teacherName: r.teacher_name,
  fromDate: r.from_date,
  fromLessonNumber: r.from_lesson_number,
  toDate: r.to_date,
  toLessonNumber: r.to_lesson_number,
  room: r.room,
  reason: r.reason,
  orderNumber: r.order_number,
});

export const transferredFromText = (r: Pick<TransferRow, 'from_date' | 'from_lesson_number'>) => `перенесён с ${russianDate(r.from_date)}, ${r.from_lesson_number} урок`;

/** The transfers that change a date: lessons moved away from it, and lessons moved into it. */
export async function transfersOn(db: Db, date: string) {
  const rows = await transferQuery(db)
    .where((eb) => eb.or([eb('x.from_date', '=', date), eb('x.to_date', '=', date)]))
    .execute();
  return {
    away: new Set(rows.filter((r) => r.from_date === date).map((r) => `${r.load_id}:${r.from_lesson_number}`)),
    into: rows.filter((r) => r.to_date === date),
  };
}

/**
 * A day's lessons: the weekly timetable in force on the date, less what was moved away, plus
 * what was moved in. Each carries the teacher, class and subgroup for clash checks.
 */
export async function dayTimetable(db: Db, yearId: number, date: string) {
  const [weekly, transfers] = await Promise.all([
    slotLessonsQuery(db, yearId, date).execute(),
    transfersOn(db, date),
  ]);
  return [
    ...weekly.filter((l) => !transfers.away.has(`${l.load_id}:${l.lesson_number}`)).map((l) => ({ ...l, transferred_from: null as string | null })),
    ...transfers.into.map((r) => ({
      lesson_number: r.to_lesson_number,
      room: r.room,
      load_id: r.load_id,
      teacher_id: r.teacher_id,
      class_id: r.class_id,
      subject_id: r.subject_id,
      subgroup_id: r.subgroup_id,
      class_name: r.class_name,
      grade: r.grade,
      subject_name: r.subject_name,
      subgroup_name: r.subgroup_name,
      teacher_name: r.teacher_name,
      transferred_from: transferredFromText(r),
    })),
  ];
}

export function transferHandlers() {
  return defineHandlers({
    async 'transfers.add'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const load = await findLoad(tx, input.loadId);
        if (!load) throw notFound('Нагрузка не найдена.');
        if (load.year_closed_at) throw locked('Учебный год закрыт: переносы уроков невозможны.', { reason: 'yearClosed', requestable: false });
        if (input.fromDate === input.toDate && input.fromLessonNumber === input.toLessonNumber) throw invalid('Урок переносится на другую дату или другой урок.');
        for (const date of [input.fromDate, input.toDate]) {
          if (date < load.year_starts_on || date > load.year_ends_on) throw invalid(`${russianDate(date)} вне учебного года.`);
          const why = await noLessonsWhy(tx, load.year_id, load.grade, date);
          if (why) throw invalid(`${russianDate(date)} уроков у ${load.class_name} нет: ${why}.`, [{ path: date === input.fromDate ? 'fromDate' : 'toDate', message: 'Нет уроков' }]);
        }
        const from = (await dayTimetable(tx, load.year_id, input.fromDate)).find((l) => l.load_id === load.id && l.lesson_number === input.fromLessonNumber && l.transferred_from === null);
        if (!from) throw invalid(`По расписанию ${russianDate(input.fromDate)} у ${load.class_name} нет ${input.fromLessonNumber}-го урока «${load.subject_name}».`, [{ path: 'fromLessonNumber', message: 'Нет урока' }]);
        const target = (await dayTimetable(tx, load.year_id, input.toDate)).filter((l) => l.lesson_number === input.toLessonNumber);
        const slot = `${russianDate(input.toDate)}, ${input.toLessonNumber} урок`;
        const teacherBusy = target.find((l) => l.teacher_id === load.teacher_id);
        if (teacherBusy) throw conflict(`${load.teacher_name} в это время (${slot}) ведёт урок «${teacherBusy.subject_name}», ${teacherBusy.class_name}.`, { clash: 'teacher' });
        const classBusy = target.find((l) => l.class_id === load.class_id && (l.subgroup_id === null || load.subgroup_id === null || l.subgroup_id === load.subgroup_id));
        if (classBusy) throw conflict(`У ${load.class_name} в это время (${slot}) уже стоит урок «${classBusy.subject_name}» (${shortName(classBusy.teacher_name)}).`, { clash: 'class' });
        const room = input.room ?? from.room;
        const roomBusy = room ? target.find((l) => l.room === room) : undefined;
        if (roomBusy) throw conflict(`Кабинет ${room} в это время (${slot}) занят: «${roomBusy.subject_name}», ${roomBusy.class_name}.`, { clash: 'room' });
        const row = await tx
          .insertInto('lesson_transfer')
          .values({ year_id: load.year_id, load_id: load.id, from_date: input.fromDate, from_lesson_number: input.fromLessonNumber, to_date: input.toDate, to_lesson_number: input.toLessonNumber, room, reason: input.reason, order_number: input.orderNumber, created_at: ctx.now().toISOString(), created_by: caller.userId, removed_at: null, removed_by: null })
          .returning('id')
          .executeTakeFirstOrThrow()
          .catch((error: unknown) => {
            if (isUniqueViolation(error)) throw conflict('Этот урок уже перенесён.');
            throw error;
          });
        const view = toView(await transferQuery(tx).where('x.id', '=', row.id).executeTakeFirstOrThrow());
        await ctx.audit(tx, { action: 'transfer.add', entity: 'lesson_transfer', entityId: row.id, before: null, after: view, reason: input.reason });
        return view;
      });
    },

    async 'transfers.remove'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const current = await transferQuery(tx).where('x.id', '=', input.id).executeTakeFirst();
        if (!current) throw notFound('Перенос не найден или уже отменён.');
        await tx.updateTable('lesson_transfer').set({ removed_at: ctx.now().toISOString(), removed_by: caller.userId }).where('id', '=', input.id).execute();
        await ctx.audit(tx, { action: 'transfer.remove', entity: 'lesson_transfer', entityId: input.id, before: toView(current), after: null });
        return { done: true as const };
      });
    },

    async 'transfers.list'(input, ctx) {
      const rows = await transferQuery(ctx.store.db)
        .where((eb) => eb.or([eb.and([eb('x.from_date', '>=', input.from), eb('x.from_date', '<=', input.to)]), eb.and([eb('x.to_date', '>=', input.from), eb('x.to_date', '<=', input.to)])]))
        .orderBy('x.to_date')
        .orderBy('x.to_lesson_number')
        .execute();
      return rows.map(toView);
    },

    async 'transfers.day'(input, ctx) {
      const db = ctx.store.db;
      const year = await db.selectFrom('academic_year').select('id').where('starts_on', '<=', input.date).where('ends_on', '>=', input.date).executeTakeFirst();
      if (!year) return { date: input.date, holiday: null, lessons: [] };
      const why = await noLessonsWhy(db, year.id, null, input.date);
      if (why) return { date: input.date, holiday: why, lessons: [] };
      const [lessons, substitutions] = await Promise.all([
        dayTimetable(db, year.id, input.date),
        db
          .selectFrom('substitution as r')
          .leftJoin('app_user as u', 'u.id', 'r.substitute_id')
          .select(['r.load_id', 'r.lesson_number', 'r.kind', 'u.full_name'])
          .where('r.date', '=', input.date)
          .where('r.removed_at', 'is', null)
          .execute(),
      ]);
      const shown = [];
      for (const l of lessons) {
        if (input.classId !== undefined && l.class_id !== input.classId) continue;
        if (await noLessonsWhy(db, year.id, l.grade, input.date)) continue;
        const sub = substitutions.find((s) => s.load_id === l.load_id && s.lesson_number === l.lesson_number);
        shown.push({
          lessonNumber: l.lesson_number,
          loadId: l.load_id,
          className: l.class_name,
          subjectName: l.subject_name,
          subgroupName: l.subgroup_name ?? null,
          teacherName: l.teacher_name,
          room: l.room,
          transferredFrom: l.transferred_from,
          substitution: sub ? (sub.kind === 'cancelled' ? 'урок отменён' : `замена: ${shortName(sub.full_name ?? '')}`) : null,
        });
      }
      // «1А» before «10А»: class names compare by their grade's number.
      shown.sort((a, b) => a.lessonNumber - b.lessonNumber || a.className.localeCompare(b.className, 'ru', { numeric: true }));
      return { date: input.date, holiday: null, lessons: shown };
    },
  });
}
