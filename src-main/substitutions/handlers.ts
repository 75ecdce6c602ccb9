import type { PlannedLesson, SubstitutionCandidate } from '../../src-shared/contract/substitutions';
import { addDays, daysBetween, weekdayOf, russianDate } from '../../src-shared/rules/dates';
import { substitutionKindTitles } from '../../src-shared/rules/substitutions';
import { conflict, invalid, locked, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import { isUniqueViolation } from '../journal/repository';
import { findLoad, type LoadContext } from '../load/repository';
import type { Db } from '../store/database';
import { schoolToday } from '../school/years';
import { monthlySheet, sheetFile } from './sheet';
import { noLessonsWhy } from './days';
import { slotLessonsQuery, substitutionQuery, toView, type SlotLesson } from './repository';

// The substitution register (002 §7A.4; D-2, D-3): who covers which lesson of an absent
// teacher, and how. The journal reads it to let the substitute write that lesson only.

const MAX_PLAN_DAYS = 31;

const who = (l: { class_name: string; subgroup_name: string | null }) => (l.subgroup_name ? `${l.class_name} (${l.subgroup_name})` : l.class_name);

/** The school year containing the date, with what a date check needs. */
async function yearOn(db: Db, date: string) {
  return db.selectFrom('academic_year').selectAll().where('starts_on', '<=', date).where('ends_on', '>=', date).executeTakeFirst();
}

/** Active teachers of the school, by name. */
async function teachersOf(db: Db) {
  return db
    .selectFrom('app_user as u')
    .innerJoin('user_role as r', 'r.user_id', 'u.id')
    .select(['u.id', 'u.full_name'])
    .where('r.role', '=', 'teacher')
    .where('u.active', '=', 1)
    .orderBy('u.full_name')
    .execute();
}

/** Everything about one date the register needs: the timetable in force and the live substitutions. */
async function dayOf(db: Db, yearId: number, date: string) {
  const [lessons, live] = await Promise.all([
    slotLessonsQuery(db, yearId, date).execute(),
    db
      .selectFrom('substitution as r')
      .innerJoin('teaching_load as tl', 'tl.id', 'r.load_id')
      .innerJoin('school_class as c', 'c.id', 'tl.class_id')
      .leftJoin('subgroup as sg', 'sg.id', 'tl.subgroup_id')
      .select(['r.id', 'r.load_id', 'r.lesson_number', 'r.absent_teacher_id', 'r.substitute_id', 'r.kind', 'c.name as class_name', 'sg.name as subgroup_name'])
      .where('r.date', '=', date)
      .where('r.removed_at', 'is', null)
      .execute(),
  ]);
  const givenAway = new Set(live.map((s) => `${s.load_id}:${s.lesson_number}`));
  const absent = new Set(live.map((s) => s.absent_teacher_id));
  /** What keeps a teacher busy at a lesson number, in words; null when free. */
  function busyWith(teacherId: number, lessonNumber: number): string | null {
    const own = lessons.find((l) => l.teacher_id === teacherId && l.lesson_number === lessonNumber && !givenAway.has(`${l.load_id}:${l.lesson_number}`));
    if (own) return `ведёт урок «${own.subject_name}», ${who(own)}`;
    const covering = live.find((s) => s.substitute_id === teacherId && s.lesson_number === lessonNumber);
    if (covering) return `уже заменяет в ${who(covering)} (${substitutionKindTitles[covering.kind as keyof typeof substitutionKindTitles]})`;
    return null;
  }
  return { lessons, live, absent, busyWith };
}

function requireWithinPlanLimit(from: string, to: string) {
  if (to < from) throw invalid('Дата окончания раньше даты начала.', [{ path: 'to', message: 'Раньше начала' }]);
  if (daysBetween(from, to) >= MAX_PLAN_DAYS) throw invalid(`Не больше ${MAX_PLAN_DAYS} дней за раз.`, [{ path: 'to', message: 'Слишком длинный срок' }]);
}

async function viewOf(db: Db, id: number) {
  return toView(await substitutionQuery(db).where('r.id', '=', id).executeTakeFirstOrThrow());
}

async function requireLoad(db: Db, loadId: number): Promise<LoadContext> {
  const load = await findLoad(db, loadId);
  if (!load) throw notFound('Нагрузка не найдена.');
  return load;
}

function requireOpen(load: Pick<LoadContext, 'year_closed_at'>) {
  if (load.year_closed_at) throw locked('Учебный год закрыт: журнал замен доступен только для чтения.', { reason: 'yearClosed', requestable: false });
}

export function substitutionHandlers() {
  return defineHandlers({
    async 'substitutions.plan'(input, ctx) {
      requireWithinPlanLimit(input.from, input.to);
      const db = ctx.store.db;
      const teacher = await db.selectFrom('app_user').select(['id', 'full_name']).where('id', '=', input.teacherId).executeTakeFirst();
      if (!teacher) throw notFound('Учитель не найден.');
      const year = await yearOn(db, input.from);
      if (!year) throw invalid(`${russianDate(input.from)} не входит ни в один учебный год.`);
      if (input.to > year.ends_on) throw invalid(`Дни должны быть в одном учебном году (${year.name}).`);
      const [teachers, loads, bells, existing] = await Promise.all([
        teachersOf(db),
        db.selectFrom('teaching_load as tl').innerJoin('subject as s', 's.id', 'tl.subject_id').select(['tl.id', 'tl.teacher_id', 'tl.class_id', 'tl.subject_id', 'tl.subgroup_id', 's.name as subject_name']).where('tl.year_id', '=', year.id).execute(),
        db.selectFrom('bell').selectAll().execute(),
        substitutionQuery(db).where('r.date', '>=', input.from).where('r.date', '<=', input.to).where('r.removed_at', 'is', null).where('r.absent_teacher_id', '=', teacher.id).execute(),
      ]);
      const startOf = new Map(bells.map((b) => [b.lesson_number, b.starts_at]));
      const subjectsOf = new Map<number, Set<number>>();
      for (const l of loads) {
        let set = subjectsOf.get(l.teacher_id);
        if (!set) subjectsOf.set(l.teacher_id, (set = new Set()));
        set.add(l.subject_id);
      }
      const lessons: PlannedLesson[] = [];
      const skippedDays: Array<{ date: string; why: string }> = [];
      for (let date = input.from; date <= input.to; date = addDays(date, 1)) {
        const closedWhy = await noLessonsWhy(db, year.id, null, date);
        if (closedWhy) {
          if (weekdayOf(date) !== 7) skippedDays.push({ date, why: closedWhy });
          continue;
        }
        const day = await dayOf(db, year.id, date);
        const mine = day.lessons.filter((l) => l.teacher_id === teacher.id).sort((a, b) => a.lesson_number - b.lesson_number);
        for (const lesson of mine) {
          if (await noLessonsWhy(db, year.id, lesson.grade, date)) continue;
          const candidates: SubstitutionCandidate[] = teachers
            .filter((t) => t.id !== teacher.id && !day.absent.has(t.id))
            .map((t) => {
              const busyWith = day.busyWith(t.id, lesson.lesson_number);
              const own = loads.find((l) => l.teacher_id === t.id && l.class_id === lesson.class_id && (l.subgroup_id === null || l.subgroup_id === lesson.subgroup_id));
              return {
                teacherId: t.id,
                fullName: t.full_name,
                sameSubject: subjectsOf.get(t.id)?.has(lesson.subject_id) ?? false,
                free: busyWith === null,
                busyWith,
                ownLoadId: own?.id ?? null,
                ownSubjectName: own?.subject_name ?? null,
              };
            })
            .sort((a, b) => Number(b.free) - Number(a.free) || Number(b.sameSubject) - Number(a.sameSubject) || a.fullName.localeCompare(b.fullName, 'ru'));
          const registered = existing.find((s) => s.date === date && s.load_id === lesson.load_id && s.lesson_number === lesson.lesson_number);
          lessons.push({
            date,
            lessonNumber: lesson.lesson_number,
            startsAt: startOf.get(lesson.lesson_number) ?? null,
            loadId: lesson.load_id,
            className: lesson.class_name,
            subjectName: lesson.subject_name,
            subgroupName: lesson.subgroup_name ?? null,
            room: lesson.room,
            substitution: registered ? toView(registered) : null,
            candidates,
          });
        }
      }
      return { teacherName: teacher.full_name, lessons, skippedDays };
    },

    async 'substitutions.assign'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const load = await requireLoad(tx, input.loadId);
        requireOpen(load);
        const slot = `${russianDate(input.date)}, ${input.lessonNumber}-й урок`;
        if (input.date < load.year_starts_on || input.date > load.year_ends_on) throw invalid(`${russianDate(input.date)} вне учебного года.`, [{ path: 'date', message: 'Вне учебного года' }]);
        const closedWhy = await noLessonsWhy(tx, load.year_id, load.grade, input.date);
        if (closedWhy) throw invalid(`${russianDate(input.date)} уроков у ${load.class_name} нет: ${closedWhy}.`, [{ path: 'date', message: 'Нет уроков' }]);
        const day = await dayOf(tx, load.year_id, input.date);
        const lesson: SlotLesson | undefined = day.lessons.find((l) => l.load_id === load.id && l.lesson_number === input.lessonNumber);
        if (!lesson) throw invalid(`По расписанию ${slot} у ${load.teacher_name} в ${load.class_name} нет урока «${load.subject_name}».`, [{ path: 'lessonNumber', message: 'Нет урока в расписании' }]);
        const taken = day.live.find((s) => s.load_id === load.id && s.lesson_number === input.lessonNumber);
        if (taken) {
          const existing = await viewOf(tx, taken.id);
          throw conflict(`На этот урок (${slot}, ${who(lesson)}) замена уже назначена: ${existing.substituteName ?? 'урок отменён'}. Сначала снимите её.`, { substitutionId: taken.id });
        }

        let targetLoadId: number | null = null;
        if (input.kind === 'cancelled') {
          if (input.substituteId !== null) throw invalid('Отменённый урок никто не ведёт: не указывайте заменяющего.', [{ path: 'substituteId', message: 'Лишнее поле' }]);
        } else {
          if (input.substituteId === null) throw invalid('Укажите заменяющего учителя.', [{ path: 'substituteId', message: 'Обязательно' }]);
          if (input.substituteId === load.teacher_id) throw invalid(`${load.teacher_name} не может заменять сам(а) себя.`, [{ path: 'substituteId', message: 'Тот же учитель' }]);
          const substitute = (await teachersOf(tx)).find((t) => t.id === input.substituteId);
          if (!substitute) throw invalid('Заменять может только работающий учитель школы.', [{ path: 'substituteId', message: 'Не учитель' }]);
          if (day.absent.has(substitute.id)) throw invalid(`${substitute.full_name} ${russianDate(input.date)} сам(а) отсутствует по журналу замен.`, [{ path: 'substituteId', message: 'Отсутствует' }]);
          const busy = day.busyWith(substitute.id, input.lessonNumber);
          // Merging classes means the substitute takes them alongside their own lesson.
          if (busy && input.kind !== 'merge') throw conflict(`${substitute.full_name} в это время (${slot}) ${busy}.`, { clash: 'teacher' });
          if (input.kind === 'merge' && busy?.startsWith('уже заменяет')) throw conflict(`${substitute.full_name} в это время (${slot}) ${busy}.`, { clash: 'teacher' });
          if (input.kind === 'ownSubject') {
            const own = await tx
              .selectFrom('teaching_load')
              .select(['id', 'subgroup_id'])
              .where('teacher_id', '=', substitute.id)
              .where('class_id', '=', load.class_id)
              .where('year_id', '=', load.year_id)
              .execute();
            const fitting = own.filter((l) => (input.targetLoadId === undefined ? l.subgroup_id === null || l.subgroup_id === load.subgroup_id : l.id === input.targetLoadId));
            if (fitting.length === 0) {
              throw invalid(`${substitute.full_name} не ведёт свой предмет в ${who(lesson)}: выберите «${substitutionKindTitles.subject}».`, [{ path: 'kind', message: 'Нет своего предмета в классе' }]);
            }
            targetLoadId = fitting[0]!.id;
          }
        }

        const row = await tx
          .insertInto('substitution')
          .values({
            year_id: load.year_id,
            date: input.date,
            lesson_number: input.lessonNumber,
            load_id: load.id,
            absent_teacher_id: load.teacher_id,
            substitute_id: input.substituteId,
            kind: input.kind,
            reason: input.reason,
            order_number: input.orderNumber,
            note: input.note,
            target_load_id: targetLoadId,
            lesson_id: null,
            created_at: ctx.now().toISOString(),
            created_by: caller.userId,
            removed_at: null,
            removed_by: null,
            removed_reason: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
          .catch((error: unknown) => {
            if (isUniqueViolation(error)) throw conflict('На этот урок замену только что назначил другой пользователь. Обновите список.');
            throw error;
          });
        const view = await viewOf(tx, row.id);
        await ctx.audit(tx, { action: 'substitution.assign', entity: 'substitution', entityId: row.id, before: null, after: view });
        return view;
      });
    },

    async 'substitutions.remove'(input, ctx) {
      const caller = ctx.requireCaller();
      return ctx.transaction(async (tx) => {
        const current = await substitutionQuery(tx).where('r.id', '=', input.id).executeTakeFirst();
        if (!current) throw notFound('Замена не найдена.');
        if (current.removed_at !== null) throw conflict('Эта замена уже снята.');
        requireOpen(await requireLoad(tx, current.load_id));
        await tx.updateTable('substitution').set({ removed_at: ctx.now().toISOString(), removed_by: caller.userId, removed_reason: input.reason }).where('id', '=', input.id).where('removed_at', 'is', null).execute();
        await ctx.audit(tx, { action: 'substitution.remove', entity: 'substitution', entityId: input.id, before: toView(current), after: await viewOf(tx, input.id), reason: input.reason });
        return { done: true as const };
      });
    },

    async 'substitutions.list'(input, ctx) {
      if (input.to < input.from) throw invalid('Дата окончания раньше даты начала.');
      let query = substitutionQuery(ctx.store.db).where('r.date', '>=', input.from).where('r.date', '<=', input.to);
      if (input.teacherId !== undefined) {
        const teacherId = input.teacherId;
        query = query.where((eb) => eb.or([eb('r.absent_teacher_id', '=', teacherId), eb('r.substitute_id', '=', teacherId)]));
      }
      if (!input.includeRemoved) query = query.where('r.removed_at', 'is', null);
      const rows = await query.orderBy('r.date').orderBy('r.lesson_number').orderBy('c.grade').orderBy('c.letter').orderBy('r.id').execute();
      return rows.map(toView);
    },

    async 'substitutions.mine'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const today = await schoolToday(db, ctx.now());
      const rows = await substitutionQuery(db)
        .where('r.substitute_id', '=', caller.userId)
        .where('r.removed_at', 'is', null)
        .where('r.date', '>=', input.from ?? addDays(today, -7))
        .where('r.date', '<=', input.to ?? addDays(today, 14))
        .orderBy('r.date')
        .orderBy('r.lesson_number')
        .execute();
      return rows.map(toView);
    },

    async 'substitutions.sheet'(input, ctx) {
      return monthlySheet(ctx.store.db, input.month, input.teacherId);
    },

    async 'substitutions.sheetFile'(input, ctx) {
      const sheet = await monthlySheet(ctx.store.db, input.month, input.teacherId);
      const school = await ctx.store.db.selectFrom('school').select('name').where('id', '=', 1).executeTakeFirst();
      return sheetFile(sheet, input.format, { schoolName: school?.name ?? '' });
    },
  });
}
