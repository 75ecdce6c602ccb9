import { daysBetween } from '../../src-shared/rules/dates';
import { datesOverlap, holidayProblem, periodName, periodsProblem, rangeProblem, ruRange, type PeriodLike } from '../../src-shared/rules/periods';
import { conflict, invalid, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import { isForeignKeyViolation } from './db-errors';
import { holidaysOfYear, listYears, periodsOfYear, requireOpenYear, resolveYearId, schoolToday, toPeriod, yearView } from './years';

function yearBoundsProblem(startsOn: string, endsOn: string): string | null {
  if (startsOn >= endsOn) return 'Дата начала учебного года должна быть раньше даты окончания.';
  if (daysBetween(startsOn, endsOn) > 366) return 'Учебный год не может быть длиннее года.';
  return null;
}

/** Year structure (D-10, D-14) and subjects with the curriculum. */
export function calendarHandlers() {
  return defineHandlers({
    async 'school.years.list'(_input, ctx) {
      return listYears(ctx.store.db);
    },

    async 'school.years.create'(input, ctx) {
      const problem = yearBoundsProblem(input.startsOn, input.endsOn);
      if (problem) throw invalid(problem);
      return ctx.transaction(async (tx) => {
        const others = await tx.selectFrom('academic_year').selectAll().execute();
        const same = others.find((y) => y.name === input.name);
        if (same) throw conflict(`Учебный год ${input.name} уже есть.`);
        const clash = others.find((y) => datesOverlap({ startsOn: input.startsOn, endsOn: input.endsOn }, { startsOn: y.starts_on, endsOn: y.ends_on }));
        if (clash) throw conflict(`Даты ${ruRange(input.startsOn, input.endsOn)} пересекаются с учебным годом ${clash.name} (${ruRange(clash.starts_on, clash.ends_on)}).`);
        const row = await tx.insertInto('academic_year').values({ name: input.name, starts_on: input.startsOn, ends_on: input.endsOn, closed_at: null }).returningAll().executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'year.create', entity: 'academic_year', entityId: row.id, after: input });
        return yearView(tx, row.id);
      });
    },

    async 'school.years.update'(input, ctx) {
      const problem = yearBoundsProblem(input.startsOn, input.endsOn);
      if (problem) throw invalid(problem);
      return ctx.transaction(async (tx) => {
        const year = await requireOpenYear(tx, input.id);
        const others = (await tx.selectFrom('academic_year').selectAll().where('id', '!=', input.id).execute());
        if (others.some((y) => y.name === input.name)) throw conflict(`Учебный год ${input.name} уже есть.`);
        const clash = others.find((y) => datesOverlap({ startsOn: input.startsOn, endsOn: input.endsOn }, { startsOn: y.starts_on, endsOn: y.ends_on }));
        if (clash) throw conflict(`Даты ${ruRange(input.startsOn, input.endsOn)} пересекаются с учебным годом ${clash.name} (${ruRange(clash.starts_on, clash.ends_on)}).`);
        const bounds = { name: input.name, startsOn: input.startsOn, endsOn: input.endsOn };
        for (const period of await periodsOfYear(tx, input.id)) {
          const outside = rangeProblem(period, bounds, period.name);
          if (outside) throw conflict(outside);
        }
        for (const holiday of await holidaysOfYear(tx, input.id)) {
          const outside = rangeProblem(holiday, bounds, `Каникулы «${holiday.name}»`);
          if (outside) throw conflict(outside);
        }
        await tx.updateTable('academic_year').set({ name: input.name, starts_on: input.startsOn, ends_on: input.endsOn }).where('id', '=', input.id).execute();
        await ctx.audit(tx, { action: 'year.update', entity: 'academic_year', entityId: input.id, before: { name: year.name, startsOn: year.starts_on, endsOn: year.ends_on }, after: bounds });
        return yearView(tx, input.id);
      });
    },

    async 'school.years.close'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const year = await requireOpenYear(tx, input.id);
        const closedAt = ctx.now().toISOString();
        await tx.updateTable('academic_year').set({ closed_at: closedAt }).where('id', '=', input.id).execute();
        await ctx.audit(tx, { action: 'year.close', entity: 'academic_year', entityId: input.id, before: { closedAt: null }, after: { name: year.name, closedAt } });
        return yearView(tx, input.id);
      });
    },

    async 'school.periods.add'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const year = await requireOpenYear(tx, input.yearId);
        const existing = await periodsOfYear(tx, input.yearId);
        const sameKind = existing.filter((p) => p.kind === input.kind && p.gradeFrom === input.gradeFrom && p.gradeTo === input.gradeTo);
        const firstNumber = sameKind.reduce((max, p) => Math.max(max, p.number), 0) + 1;
        const candidates = [...input.periods]
          .sort((a, b) => a.startsOn.localeCompare(b.startsOn))
          .map((p, index) => ({ ...p, number: firstNumber + index, name: p.name || periodName(input.kind, firstNumber + index), gradeFrom: input.gradeFrom, gradeTo: input.gradeTo }));
        const problem = periodsProblem({ name: year.name, startsOn: year.starts_on, endsOn: year.ends_on }, existing, candidates);
        if (problem) throw conflict(problem);
        const rows = await tx
          .insertInto('study_period')
          .values(candidates.map((c) => ({ year_id: input.yearId, kind: input.kind, number: c.number, name: c.name, starts_on: c.startsOn, ends_on: c.endsOn, grade_from: c.gradeFrom, grade_to: c.gradeTo })))
          .returningAll()
          .execute();
        const periods = rows.map(toPeriod).sort((a, b) => a.startsOn.localeCompare(b.startsOn));
        await ctx.audit(tx, { action: 'period.add', entity: 'academic_year', entityId: input.yearId, after: periods });
        return periods;
      });
    },

    async 'school.periods.update'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const row = await tx.selectFrom('study_period').selectAll().where('id', '=', input.id).executeTakeFirst();
        if (!row) throw notFound('Учебный период не найден.');
        const year = await requireOpenYear(tx, row.year_id);
        const before = toPeriod(row);
        const candidate: PeriodLike = { id: row.id, name: input.name, startsOn: input.startsOn, endsOn: input.endsOn, gradeFrom: row.grade_from, gradeTo: row.grade_to };
        const problem = periodsProblem({ name: year.name, startsOn: year.starts_on, endsOn: year.ends_on }, await periodsOfYear(tx, row.year_id), [candidate]);
        if (problem) throw conflict(problem);
        const updated = await tx.updateTable('study_period').set({ name: input.name, starts_on: input.startsOn, ends_on: input.endsOn }).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'period.update', entity: 'study_period', entityId: row.id, before, after: toPeriod(updated) });
        return toPeriod(updated);
      });
    },

    async 'school.periods.remove'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const row = await tx.selectFrom('study_period').selectAll().where('id', '=', input.id).executeTakeFirst();
        if (!row) throw notFound('Учебный период не найден.');
        await requireOpenYear(tx, row.year_id);
        try {
          await tx.deleteFrom('study_period').where('id', '=', input.id).execute();
        } catch (error) {
          if (isForeignKeyViolation(error)) throw conflict(`Период «${row.name}» удалить нельзя: по нему уже выставлены итоговые отметки или напечатан журнал. Измените даты вместо удаления.`);
          throw error;
        }
        await ctx.audit(tx, { action: 'period.remove', entity: 'study_period', entityId: row.id, before: toPeriod(row) });
        return { done: true as const };
      });
    },

    async 'school.holidays.add'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const year = await requireOpenYear(tx, input.yearId);
        const candidate = { name: input.name, startsOn: input.startsOn, endsOn: input.endsOn };
        const problem = holidayProblem({ name: year.name, startsOn: year.starts_on, endsOn: year.ends_on }, await holidaysOfYear(tx, input.yearId), candidate);
        if (problem) throw conflict(problem);
        const row = await tx.insertInto('holiday').values({ year_id: input.yearId, name: input.name, starts_on: input.startsOn, ends_on: input.endsOn }).returningAll().executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'holiday.add', entity: 'holiday', entityId: row.id, after: input });
        return { id: row.id, yearId: row.year_id, name: row.name, startsOn: row.starts_on, endsOn: row.ends_on };
      });
    },

    async 'school.holidays.remove'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const row = await tx.selectFrom('holiday').selectAll().where('id', '=', input.id).executeTakeFirst();
        if (!row) throw notFound('Каникулы не найдены.');
        await requireOpenYear(tx, row.year_id);
        await tx.deleteFrom('holiday').where('id', '=', input.id).execute();
        await ctx.audit(tx, { action: 'holiday.remove', entity: 'holiday', entityId: row.id, before: { name: row.name, startsOn: row.starts_on, endsOn: row.ends_on } });
        return { done: true as const };
      });
    },

    async 'school.subjects.list'(_input, ctx) {
      const rows = await ctx.store.db.selectFrom('subject').selectAll().orderBy('sort_order').orderBy('name').execute();
      return rows.map(toSubject);
    },

    async 'school.subjects.create'(input, ctx) {
      if (input.gradeFrom > input.gradeTo) throw invalid(`Начальный класс ${input.gradeFrom} больше конечного ${input.gradeTo}.`);
      return ctx.transaction(async (tx) => {
        const same = await tx.selectFrom('subject').select('id').where('name', '=', input.name).executeTakeFirst();
        if (same) throw conflict(`Предмет «${input.name}» уже есть.`);
        const row = await tx
          .insertInto('subject')
          .values({ name: input.name, short_name: input.shortName || input.name.slice(0, 20), grade_from: input.gradeFrom, grade_to: input.gradeTo, sort_order: input.sortOrder })
          .returningAll()
          .executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'subject.create', entity: 'subject', entityId: row.id, after: toSubject(row) });
        return toSubject(row);
      });
    },

    async 'school.subjects.update'(input, ctx) {
      if (input.gradeFrom > input.gradeTo) throw invalid(`Начальный класс ${input.gradeFrom} больше конечного ${input.gradeTo}.`);
      return ctx.transaction(async (tx) => {
        const row = await tx.selectFrom('subject').selectAll().where('id', '=', input.id).executeTakeFirst();
        if (!row) throw notFound('Предмет не найден.');
        const same = await tx.selectFrom('subject').select('id').where('name', '=', input.name).where('id', '!=', input.id).executeTakeFirst();
        if (same) throw conflict(`Предмет «${input.name}» уже есть.`);
        const updated = await tx
          .updateTable('subject')
          .set({ name: input.name, short_name: input.shortName || input.name.slice(0, 20), grade_from: input.gradeFrom, grade_to: input.gradeTo, sort_order: input.sortOrder })
          .where('id', '=', input.id)
          .returningAll()
          .executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'subject.update', entity: 'subject', entityId: row.id, before: toSubject(row), after: toSubject(updated) });
        return toSubject(updated);
      });
    },

    async 'school.curriculum.get'(input, ctx) {
      const db = ctx.store.db;
      const yearId = await resolveYearId(db, input.yearId, await schoolToday(db, ctx.now()));
      if (yearId === null) return [];
      const rows = await db
        .selectFrom('curriculum_hours as h')
        .innerJoin('subject as s', 's.id', 'h.subject_id')
        .select(['h.subject_id', 's.name', 'h.grade', 'h.hours_per_week'])
        .where('h.year_id', '=', yearId)
        .orderBy('s.sort_order')
        .orderBy('s.name')
        .orderBy('h.grade')
        .execute();
      return rows.map((r) => ({ subjectId: r.subject_id, subjectName: r.name, grade: r.grade, hoursPerWeek: Number(r.hours_per_week) }));
    },

    async 'school.curriculum.set'(input, ctx) {
      return ctx.transaction(async (tx) => {
        await requireOpenYear(tx, input.yearId);
        const subject = await tx.selectFrom('subject').selectAll().where('id', '=', input.subjectId).executeTakeFirst();
        if (!subject) throw notFound('Предмет не найден.');
        const grades = input.hours.map((h) => h.grade);
        if (new Set(grades).size !== grades.length) throw invalid('Каждая параллель указывается один раз.');
        const outside = input.hours.find((h) => h.hoursPerWeek > 0 && (h.grade < subject.grade_from || h.grade > subject.grade_to));
        if (outside) throw invalid(`«${subject.name}» изучается в ${subject.grade_from}–${subject.grade_to} классах, а часы указаны для ${outside.grade} класса.`);
        const before = await tx.selectFrom('curriculum_hours').select(['grade', 'hours_per_week']).where('year_id', '=', input.yearId).where('subject_id', '=', input.subjectId).orderBy('grade').execute();
        if (grades.length > 0) await tx.deleteFrom('curriculum_hours').where('year_id', '=', input.yearId).where('subject_id', '=', input.subjectId).where('grade', 'in', grades).execute();
        const kept = input.hours.filter((h) => h.hoursPerWeek > 0);
        if (kept.length > 0) {
          await tx.insertInto('curriculum_hours').values(kept.map((h) => ({ year_id: input.yearId, subject_id: input.subjectId, grade: h.grade, hours_per_week: h.hoursPerWeek }))).execute();
        }
        await ctx.audit(tx, {
          action: 'curriculum.set',
          entity: 'subject',
          entityId: input.subjectId,
          before: before.map((b) => ({ grade: b.grade, hoursPerWeek: Number(b.hours_per_week) })),
          after: { yearId: input.yearId, hours: input.hours },
        });
        return { done: true as const };
      });
    },
  });
}

function toSubject(row: { id: number; name: string; short_name: string; grade_from: number; grade_to: number; sort_order: number }) {
  return { id: row.id, name: row.name, shortName: row.short_name, gradeFrom: row.grade_from, gradeTo: row.grade_to, sortOrder: row.sort_order };
}

