import { addDays, russianDate } from '../../src-shared/rules/dates';
import { subgroupMoveProblem } from '../../src-shared/rules/periods';
import { conflict, invalid, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Db, Tx } from '../store/database';
import { isForeignKeyViolation } from '../school/db-errors';
import { fullNameOf } from '../school/people';
import { loadContextQuery } from './repository';
import { periodsOfYear, requireOpenClass, requireOpenYear, resolveYearId, schoolToday } from '../school/years';

/** A load as the `load.*` methods answer it: its names and weekly hours. */
export function loadQuery(db: Db) {
  return loadContextQuery(db).select('tl.hours_per_week');
}

type LoadRow = Awaited<ReturnType<ReturnType<typeof loadQuery>['executeTakeFirstOrThrow']>>;

export function toLoad(r: LoadRow) {
  return {
    id: r.id,
    yearId: r.year_id,
    classId: r.class_id,
    className: r.class_name,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    subgroupId: r.subgroup_id,
    subgroupName: r.subgroup_name ?? null,
    teacherId: r.teacher_id,
    teacherName: r.teacher_name,
    hoursPerWeek: Number(r.hours_per_week),
  };
}

async function loadById(db: Db, id: number) {
  const row = await loadQuery(db).where('tl.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Нагрузка не найдена.');
  return toLoad(row);
}

/** An active account with the teacher role, or a Russian refusal. */
export async function requireTeacher(db: Db, userId: number) {
  const user = await db.selectFrom('app_user').select(['id', 'full_name', 'active']).where('id', '=', userId).executeTakeFirst();
  if (!user || user.active !== 1) throw notFound('Учитель не найден или его учётная запись отключена.');
  const role = await db.selectFrom('user_role').select('role').where('user_id', '=', userId).where('role', '=', 'teacher').executeTakeFirst();
  if (!role) throw invalid(`${user.full_name}: нагрузку можно назначить только сотруднику с ролью «Учитель».`);
  return user;
}

export interface NewLoad {
  classId: number;
  subjectId: number;
  teacherId: number;
  subgroupId: number | null;
  hoursPerWeek: number;
}

/** Assigns a teacher (D-11) after the checks a screen and an import both need. */
export async function insertLoad(tx: Tx, input: NewLoad): Promise<number> {
  const { schoolClass } = await requireOpenClass(tx, input.classId);
  const subject = await tx.selectFrom('subject').selectAll().where('id', '=', input.subjectId).executeTakeFirst();
  if (!subject) throw notFound('Предмет не найден.');
  if (schoolClass.grade < subject.grade_from || schoolClass.grade > subject.grade_to) {
    throw invalid(`«${subject.name}» изучается в ${subject.grade_from}–${subject.grade_to} классах, а ${schoolClass.name} — ${schoolClass.grade} класс.`);
  }
  await requireTeacher(tx, input.teacherId);
  if (input.subgroupId !== null) {
    const group = await tx.selectFrom('subgroup').selectAll().where('id', '=', input.subgroupId).executeTakeFirst();
    if (!group || group.class_id !== input.classId || group.subject_id !== input.subjectId) throw invalid(`Подгруппа не относится к предмету «${subject.name}» класса ${schoolClass.name}.`);
  }
  const existing = await loadQuery(tx).where('tl.class_id', '=', input.classId).where('tl.subject_id', '=', input.subjectId).execute();
  const same = existing.find((l) => l.subgroup_id === input.subgroupId);
  if (same) {
    const who = same.subgroup_name ? `${schoolClass.name} (${same.subgroup_name})` : schoolClass.name;
    throw conflict(`«${subject.name}» в ${who} уже ведёт ${same.teacher_name}. Смените учителя в этой нагрузке.`);
  }
  const mixed = existing.find((l) => (l.subgroup_id === null) !== (input.subgroupId === null));
  if (mixed) {
    throw conflict(
      input.subgroupId === null
        ? `«${subject.name}» в ${schoolClass.name} ведётся по подгруппам; нагрузку на весь класс назначить нельзя.`
        : `«${subject.name}» в ${schoolClass.name} уже назначен на весь класс (${mixed.teacher_name}); по подгруппам назначить нельзя.`,
    );
  }
  const row = await tx
    .insertInto('teaching_load')
    .values({ year_id: schoolClass.year_id, class_id: input.classId, subject_id: input.subjectId, subgroup_id: input.subgroupId, teacher_id: input.teacherId, hours_per_week: input.hoursPerWeek })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Creates a subgroup after the checks a screen and an import both need. */
export async function insertSubgroup(tx: Tx, input: { classId: number; subjectId: number; name: string }) {
  const { schoolClass } = await requireOpenClass(tx, input.classId);
  const subject = await tx.selectFrom('subject').selectAll().where('id', '=', input.subjectId).executeTakeFirst();
  if (!subject) throw notFound('Предмет не найден.');
  if (schoolClass.grade < subject.grade_from || schoolClass.grade > subject.grade_to) {
    throw invalid(`«${subject.name}» не изучается в ${schoolClass.grade} классе.`);
  }
  const same = await tx.selectFrom('subgroup').select('id').where('class_id', '=', input.classId).where('subject_id', '=', input.subjectId).where('name', '=', input.name).executeTakeFirst();
  if (same) throw conflict(`Подгруппа «${input.name}» по предмету «${subject.name}» в ${schoolClass.name} уже есть.`);
  return tx.insertInto('subgroup').values({ class_id: input.classId, subject_id: input.subjectId, name: input.name }).returning('id').executeTakeFirstOrThrow();
}

async function subgroupsOf(db: Db, classId: number, date: string, subgroupId?: number) {
  let query = db.selectFrom('subgroup as g').innerJoin('subject as s', 's.id', 'g.subject_id').select(['g.id', 'g.class_id', 'g.subject_id', 's.name as subject_name', 'g.name']).where('g.class_id', '=', classId);
  if (subgroupId !== undefined) query = query.where('g.id', '=', subgroupId);
  const groups = await query.orderBy('s.sort_order').orderBy('s.name').orderBy('g.name').execute();
  const members = await db
    .selectFrom('subgroup_member as m')
    .innerJoin('subgroup as g', 'g.id', 'm.subgroup_id')
    .innerJoin('student as st', 'st.id', 'm.student_id')
    .select(['m.subgroup_id', 'm.student_id', 'm.from_date', 'm.to_date', 'st.surname', 'st.name', 'st.patronymic'])
    .where('g.class_id', '=', classId)
    .where('m.from_date', '<=', date)
    .where((eb) => eb.or([eb('m.to_date', 'is', null), eb('m.to_date', '>=', date)]))
    .orderBy('st.surname')
    .orderBy('st.name')
    .execute();
  return groups.map((g) => ({
    id: g.id,
    classId: g.class_id,
    subjectId: g.subject_id,
    subjectName: g.subject_name,
    name: g.name,
    members: members.filter((m) => m.subgroup_id === g.id).map((m) => ({ studentId: m.student_id, fullName: fullNameOf(m), fromDate: m.from_date, toDate: m.to_date })),
  }));
}

async function requireSubgroup(tx: Tx, subgroupId: number) {
  const group = await tx.selectFrom('subgroup').selectAll().where('id', '=', subgroupId).executeTakeFirst();
  if (!group) throw notFound('Подгруппа не найдена.');
  const { schoolClass, year } = await requireOpenClass(tx, group.class_id);
  return { group, schoolClass, year };
}

/** Memberships of a student in the subgroups of one class and subject that last to `date` or later. */
async function membershipsFrom(tx: Tx, studentId: number, classId: number, subjectId: number, date: string) {
  return tx
    .selectFrom('subgroup_member as m')
    .innerJoin('subgroup as g', 'g.id', 'm.subgroup_id')
    .select(['m.id', 'm.subgroup_id', 'g.name', 'm.from_date', 'm.to_date'])
    .where('m.student_id', '=', studentId)
    .where('g.class_id', '=', classId)
    .where('g.subject_id', '=', subjectId)
    .where((eb) => eb.or([eb('m.to_date', 'is', null), eb('m.to_date', '>=', date)]))
    .orderBy('m.from_date')
    .execute();
}

/** Teaching load (D-11) and subgroups (D-12). */
export function loadHandlers() {
  return defineHandlers({
    async 'load.list'(input, ctx) {
      const db = ctx.store.db;
      const yearId = await resolveYearId(db, input.yearId, await schoolToday(db, ctx.now()));
      if (yearId === null) return [];
      let query = loadQuery(db).where('tl.year_id', '=', yearId);
      if (input.classId !== undefined) query = query.where('tl.class_id', '=', input.classId);
      if (input.teacherId !== undefined) query = query.where('tl.teacher_id', '=', input.teacherId);
      const rows = await query.orderBy('c.grade').orderBy('c.letter').orderBy('s.sort_order').orderBy('s.name').orderBy('sg.name').execute();
      return rows.map(toLoad);
    },

    async 'load.create'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const id = await insertLoad(tx, input);
        const load = await loadById(tx, id);
        await ctx.audit(tx, { action: 'load.create', entity: 'teaching_load', entityId: id, after: load });
        return load;
      });
    },

    async 'load.update'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const before = await loadById(tx, input.id);
        await requireOpenYear(tx, before.yearId);
        await requireTeacher(tx, input.teacherId);
        await tx.updateTable('teaching_load').set({ teacher_id: input.teacherId, hours_per_week: input.hoursPerWeek }).where('id', '=', input.id).execute();
        const after = await loadById(tx, input.id);
        await ctx.audit(tx, { action: 'load.update', entity: 'teaching_load', entityId: input.id, before, after });
        return after;
      });
    },

    async 'load.remove'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const before = await loadById(tx, input.id);
        await requireOpenYear(tx, before.yearId);
        const lesson = await tx.selectFrom('lesson').select('id').where('load_id', '=', input.id).limit(1).executeTakeFirst();
        if (lesson) throw conflict(`По нагрузке «${before.subjectName}», ${before.className} уже есть уроки в журнале: снять её нельзя. Смените учителя.`);
        await tx.deleteFrom('timetable_entry').where('load_id', '=', input.id).execute();
        try {
          await tx.deleteFrom('teaching_load').where('id', '=', input.id).execute();
        } catch (error) {
          if (isForeignKeyViolation(error)) throw conflict(`По нагрузке «${before.subjectName}», ${before.className} уже есть записи в журнале: снять её нельзя. Смените учителя.`);
          throw error;
        }
        await ctx.audit(tx, { action: 'load.remove', entity: 'teaching_load', entityId: input.id, before });
        return { done: true as const };
      });
    },

    async 'school.subgroups.list'(input, ctx) {
      const db = ctx.store.db;
      return subgroupsOf(db, input.classId, input.date ?? (await schoolToday(db, ctx.now())));
    },

    async 'school.subgroups.create'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const row = await insertSubgroup(tx, input);
        await ctx.audit(tx, { action: 'subgroup.create', entity: 'subgroup', entityId: row.id, after: input });
        const [view] = await subgroupsOf(tx, input.classId, await schoolToday(tx, ctx.now()), row.id);
        return view!;
      });
    },

    async 'school.subgroups.addMembers'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const { group, schoolClass, year } = await requireSubgroup(tx, input.subgroupId);
        if (input.fromDate < year.starts_on || input.fromDate > year.ends_on) throw invalid(`Дата ${russianDate(input.fromDate)} вне учебного года ${year.name}.`);
        const added: number[] = [];
        for (const studentId of new Set(input.studentIds)) {
          const student = await tx.selectFrom('student').select(['surname', 'name', 'patronymic']).where('id', '=', studentId).executeTakeFirst();
          if (!student) throw notFound('Ученик не найден.');
          const enrolled = await tx
            .selectFrom('enrollment')
            .select('id')
            .where('student_id', '=', studentId)
            .where('class_id', '=', schoolClass.id)
            .where('arrived_on', '<=', input.fromDate)
            .where((eb) => eb.or([eb('departed_on', 'is', null), eb('departed_on', '>=', input.fromDate)]))
            .executeTakeFirst();
          if (!enrolled) throw invalid(`${fullNameOf(student)} не учится в ${schoolClass.name} на ${russianDate(input.fromDate)}.`);
          const [current] = await membershipsFrom(tx, studentId, schoolClass.id, group.subject_id, input.fromDate);
          if (current) {
            throw conflict(
              current.subgroup_id === group.id
                ? `${fullNameOf(student)} уже в подгруппе «${current.name}».`
                : `${fullNameOf(student)} уже в подгруппе «${current.name}»: переводите между подгруппами с начала периода.`,
            );
          }
          await tx.insertInto('subgroup_member').values({ subgroup_id: group.id, student_id: studentId, from_date: input.fromDate, to_date: null }).execute();
          added.push(studentId);
        }
        await ctx.audit(tx, { action: 'subgroup.addMembers', entity: 'subgroup', entityId: group.id, after: { studentIds: added, fromDate: input.fromDate } });
        return { done: true as const };
      });
    },

    async 'school.subgroups.move'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const { group: target, schoolClass, year } = await requireSubgroup(tx, input.toSubgroupId);
        const student = await tx.selectFrom('student').select(['surname', 'name', 'patronymic']).where('id', '=', input.studentId).executeTakeFirst();
        if (!student) throw notFound('Ученик не найден.');
        // D-12: only from the first day of a study period of this grade.
        const problem = subgroupMoveProblem(await periodsOfYear(tx, year.id), schoolClass.grade, input.effectiveOn);
        if (problem) throw conflict(problem);
        const memberships = await membershipsFrom(tx, input.studentId, schoolClass.id, target.subject_id, input.effectiveOn);
        const current = memberships[0];
        if (!current) throw invalid(`${fullNameOf(student)} не состоит ни в одной подгруппе этого предмета: включите в подгруппу.`);
        if (current.subgroup_id === target.id && memberships.length === 1) throw invalid(`${fullNameOf(student)} уже в подгруппе «${target.name}».`);
        const lastDay = addDays(input.effectiveOn, -1);
        for (const membership of memberships) {
          if (membership.from_date >= input.effectiveOn) await tx.deleteFrom('subgroup_member').where('id', '=', membership.id).execute();
          else await tx.updateTable('subgroup_member').set({ to_date: lastDay }).where('id', '=', membership.id).execute();
        }
        await tx.insertInto('subgroup_member').values({ subgroup_id: target.id, student_id: input.studentId, from_date: input.effectiveOn, to_date: null }).execute();
        await ctx.audit(tx, {
          action: 'subgroup.move',
          entity: 'student',
          entityId: input.studentId,
          before: { subgroup: current.name },
          after: { subgroup: target.name, from: input.effectiveOn },
        });
        return { done: true as const };
      });
    },
  });
}
