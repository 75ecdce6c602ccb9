import { weekdayOf, russianDate } from '../../src-shared/rules/dates';
import { periodsOfGrade } from '../../src-shared/rules/periods';
import { bellsProblem, slotClash, weekdayNames, type SlotEntry } from '../../src-shared/rules/timetable';
import { conflict, invalid, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Db } from '../store/database';
import { loadContextQuery } from '../load/repository';
import { periodsOfYear, requireOpenYear, resolveYearId, schoolToday } from '../school/years';
import { transferredFromText, transfersOn } from '../substitutions/transfers';
import { coveredLessonsOn, givenAwayOn, recordedLessonsOn } from './today';

/** Timetable entries with their load's names (the load's own id is `id`, the entry's `entry_id`). */
function entryQuery(db: Db) {
  return loadContextQuery(db)
    .innerJoin('timetable_entry as t', 't.load_id', 'tl.id')
    .select(['t.id as entry_id', 't.load_id', 't.weekday', 't.lesson_number', 't.room', 't.valid_from', 't.valid_to']);
}

type EntryRow = Awaited<ReturnType<ReturnType<typeof entryQuery>['executeTakeFirstOrThrow']>>;

function toEntry(r: EntryRow) {
  return {
    id: r.entry_id,
    loadId: r.load_id,
    weekday: r.weekday,
    lessonNumber: r.lesson_number,
    room: r.room,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    classId: r.class_id,
    className: r.class_name,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    subgroupId: r.subgroup_id,
    subgroupName: r.subgroup_name ?? null,
    teacherId: r.teacher_id,
    teacherName: r.teacher_name,
  };
}

function toSlot(r: EntryRow): SlotEntry {
  return { weekday: r.weekday, lessonNumber: r.lesson_number, validFrom: r.valid_from, validTo: r.valid_to, teacherId: r.teacher_id, classId: r.class_id, subgroupId: r.subgroup_id, room: r.room };
}

function describeLesson(r: EntryRow): string {
  const who = r.subgroup_name ? `${r.class_name} (${r.subgroup_name})` : r.class_name;
  return `«${r.subject_name}», ${who}, ${r.teacher_name}, с ${russianDate(r.valid_from)}${r.valid_to ? ` по ${russianDate(r.valid_to)}` : ''}`;
}

function clashMessage(kind: 'teacher' | 'room' | 'class', mine: EntryRow, other: EntryRow): string {
  const when = `${weekdayNames[mine.weekday]}, ${mine.lesson_number} урок`;
  switch (kind) {
    case 'teacher':
      return `${mine.teacher_name} в это время (${when}) уже ведёт урок: ${describeLesson(other)}.`;
    case 'room':
      return `Кабинет ${mine.room} в это время (${when}) занят: ${describeLesson(other)}.`;
    case 'class':
      return `У ${mine.subgroup_name ? `подгруппы «${mine.subgroup_name}» ` : ''}${mine.class_name} в это время (${when}) уже стоит урок: ${describeLesson(other)}.`;
  }
}

/** Refuses an entry that clashes with another at its weekday and lesson, naming the clash. */
async function requireNoClash(db: Db, candidate: EntryRow): Promise<void> {
  const others = await entryQuery(db).where('tl.year_id', '=', candidate.year_id).where('t.weekday', '=', candidate.weekday).where('t.lesson_number', '=', candidate.lesson_number).where('t.id', '!=', candidate.entry_id).execute();
  for (const other of others) {
    const kind = slotClash(toSlot(candidate), toSlot(other));
    if (kind) throw conflict(clashMessage(kind, candidate, other), { clash: kind, entryId: other.entry_id });
  }
}

/** Bells and the weekly timetable (D-10; D-6: the secretary too); a teacher's lessons today. */
export function timetableHandlers() {
  return defineHandlers({
    async 'timetable.bells.get'(_input, ctx) {
      const rows = await ctx.store.db.selectFrom('bell').selectAll().orderBy('lesson_number').execute();
      return rows.map((b) => ({ lessonNumber: b.lesson_number, startsAt: b.starts_at, endsAt: b.ends_at }));
    },

    async 'timetable.bells.set'(input, ctx) {
      const problem = bellsProblem(input.bells);
      if (problem) throw invalid(problem);
      return ctx.transaction(async (tx) => {
        const before = await tx.selectFrom('bell').selectAll().orderBy('lesson_number').execute();
        await tx.deleteFrom('bell').execute();
        const bells = [...input.bells].sort((a, b) => a.lessonNumber - b.lessonNumber);
        if (bells.length > 0) await tx.insertInto('bell').values(bells.map((b) => ({ lesson_number: b.lessonNumber, starts_at: b.startsAt, ends_at: b.endsAt }))).execute();
        await ctx.audit(tx, { action: 'bells.set', entity: 'bell', entityId: null, before: before.map((b) => ({ lessonNumber: b.lesson_number, startsAt: b.starts_at, endsAt: b.ends_at })), after: bells });
        return bells;
      });
    },

    async 'timetable.list'(input, ctx) {
      const db = ctx.store.db;
      const today = await schoolToday(db, ctx.now());
      const yearId = await resolveYearId(db, input.yearId, today);
      if (yearId === null) return [];
      const date = input.date ?? today;
      let query = entryQuery(db)
        .where('tl.year_id', '=', yearId)
        .where('t.valid_from', '<=', date)
        .where((eb) => eb.or([eb('t.valid_to', 'is', null), eb('t.valid_to', '>=', date)]));
      if (input.classId !== undefined) query = query.where('tl.class_id', '=', input.classId);
      if (input.teacherId !== undefined) query = query.where('tl.teacher_id', '=', input.teacherId);
      const rows = await query.orderBy('t.weekday').orderBy('t.lesson_number').orderBy('c.grade').orderBy('c.letter').orderBy('sg.name').execute();
      return rows.map(toEntry);
    },

    async 'timetable.add'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const load = await tx.selectFrom('teaching_load as tl').innerJoin('school_class as c', 'c.id', 'tl.class_id').select(['tl.id', 'tl.year_id', 'c.room']).where('tl.id', '=', input.loadId).executeTakeFirst();
        if (!load) throw notFound('Нагрузка не найдена.');
        const year = await requireOpenYear(tx, load.year_id);
        if (input.validFrom < year.starts_on || input.validFrom > year.ends_on) throw invalid(`Дата начала ${russianDate(input.validFrom)} вне учебного года ${year.name}.`);
        if (input.validTo !== null && input.validTo < input.validFrom) throw invalid('Дата окончания раньше даты начала.');
        const bells = await tx.selectFrom('bell').select('lesson_number').execute();
        if (bells.length > 0 && !bells.some((b) => b.lesson_number === input.lessonNumber)) throw invalid(`Урока № ${input.lessonNumber} нет в расписании звонков.`);
        const row = await tx
          .insertInto('timetable_entry')
          .values({ load_id: input.loadId, weekday: input.weekday, lesson_number: input.lessonNumber, room: input.room ?? load.room, valid_from: input.validFrom, valid_to: input.validTo ?? year.ends_on })
          .returning('id')
          .executeTakeFirstOrThrow();
        const entry = await entryQuery(tx).where('t.id', '=', row.id).executeTakeFirstOrThrow();
        await requireNoClash(tx, entry);
        await ctx.audit(tx, { action: 'timetable.add', entity: 'timetable_entry', entityId: row.id, after: toEntry(entry) });
        return toEntry(entry);
      });
    },

    async 'timetable.end'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const entry = await entryQuery(tx).where('t.id', '=', input.id).executeTakeFirst();
        if (!entry) throw notFound('Урок в расписании не найден.');
        await requireOpenYear(tx, entry.year_id);
        if (input.validTo < entry.valid_from) throw invalid(`Урок действует с ${russianDate(entry.valid_from)}: дата окончания не может быть раньше. Уберите его из расписания.`);
        await tx.updateTable('timetable_entry').set({ valid_to: input.validTo }).where('id', '=', input.id).execute();
        const after = await entryQuery(tx).where('t.id', '=', input.id).executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'timetable.end', entity: 'timetable_entry', entityId: input.id, before: toEntry(entry), after: toEntry(after) });
        return toEntry(after);
      });
    },

    async 'timetable.remove'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const entry = await entryQuery(tx).where('t.id', '=', input.id).executeTakeFirst();
        if (!entry) throw notFound('Урок в расписании не найден.');
        await requireOpenYear(tx, entry.year_id);
        await tx.deleteFrom('timetable_entry').where('id', '=', input.id).execute();
        await ctx.audit(tx, { action: 'timetable.remove', entity: 'timetable_entry', entityId: input.id, before: toEntry(entry) });
        return { done: true as const };
      });
    },

    async 'timetable.today'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const date = input.date ?? (await schoolToday(db, ctx.now()));
      const weekday = weekdayOf(date);
      const year = await db.selectFrom('academic_year').selectAll().where('starts_on', '<=', date).where('ends_on', '>=', date).executeTakeFirst();
      if (!year) return { date, weekday, holiday: null, lessons: [] };
      const holiday = await db.selectFrom('holiday').select('name').where('year_id', '=', year.id).where('starts_on', '<=', date).where('ends_on', '>=', date).executeTakeFirst();
      if (holiday) return { date, weekday, holiday: holiday.name, lessons: [] };
      const [rows, bells, periods, transfers, covering] = await Promise.all([
        entryQuery(db)
          .where('tl.year_id', '=', year.id)
          .where('tl.teacher_id', '=', caller.userId)
          .where('t.weekday', '=', weekday)
          .where('t.valid_from', '<=', date)
          .where((eb) => eb.or([eb('t.valid_to', 'is', null), eb('t.valid_to', '>=', date)]))
          .orderBy('t.lesson_number')
          .orderBy('c.grade')
          .orderBy('c.letter')
          .execute(),
        db.selectFrom('bell').selectAll().execute(),
        periodsOfYear(db, year.id),
        transfersOn(db, date),
        coveredLessonsOn(db, year.id, date, caller.userId),
      ]);
      // A lesson moved for this day (перенос): gone from its slot, listed at the new one.
      const movedIn = transfers.into.filter((t) => t.teacher_id === caller.userId);
      // The register gave her own lesson to a substitute or cancelled it: not hers to write.
      const givenAway = await givenAwayOn(db, date, rows.map((r) => r.load_id));
      const bellOf = new Map(bells.map((b) => [b.lesson_number, b]));
      // Outside the study periods of a grade (its holidays) that grade has no lessons.
      const studies = (grade: number) => periods.length === 0 || periodsOfGrade(periods, grade).some((p) => p.startsOn <= date && date <= p.endsOn);
      const lessons = [
        ...rows
          .filter((r) => !transfers.away.has(`${r.load_id}:${r.lesson_number}`) && !givenAway.has(`${r.load_id}:${r.lesson_number}`))
          .map((r) => ({ ...r, transferredFrom: undefined as string | undefined, substituteFor: undefined as string | undefined })),
        ...movedIn.map((t) => ({ ...t, lesson_number: t.to_lesson_number, transferredFrom: transferredFromText(t), substituteFor: undefined })),
        ...covering.map((r) => ({ ...r, transferredFrom: undefined })),
      ].filter((r) => studies(r.grade));
      const recorded = await recordedLessonsOn(db, date, lessons.map((r) => r.load_id));
      return {
        date,
        weekday,
        holiday: null,
        lessons: lessons
          .sort((a, b) => a.lesson_number - b.lesson_number)
          .map((r) => ({
            lessonNumber: r.lesson_number,
            startsAt: bellOf.get(r.lesson_number)?.starts_at ?? null,
            endsAt: bellOf.get(r.lesson_number)?.ends_at ?? null,
            loadId: r.load_id,
            classId: r.class_id,
            className: r.class_name,
            subjectId: r.subject_id,
            subjectName: r.subject_name,
            subgroupId: r.subgroup_id,
            subgroupName: r.subgroup_name ?? null,
            room: r.room,
            lessonId: recorded.get(`${r.load_id}:${r.lesson_number}`) ?? null,
            ...(r.transferredFrom ? { transferredFrom: r.transferredFrom } : {}),
            ...(r.substituteFor ? { substituteFor: r.substituteFor } : {}),
          })),
      };
    },
  });
}
