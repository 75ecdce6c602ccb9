import { addDays, russianDate } from '../../src-shared/rules/dates';
import { ruRange } from '../../src-shared/rules/periods';
import { conflict, invalid, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Tx } from '../store/database';
import { actOfConsent, drawUpDestructionAct, listConsentActs } from '../school/consent-acts';
import { consentsOf, currentEnrollment, fullNameOf, labelled, listStudents, studentMovement, toConsent } from '../school/people';
import { requireOpenClass, requireOpenYear, resolveYearId, schoolToday } from '../school/years';
import { requireKeeperOf } from './parents';
import { levelForStudent, personalDataReader, redactStudent } from './visibility';


export interface NewStudent {
  surname: string;
  name: string;
  patronymic: string;
  birthDate: string | null;
  gender: string;
  classId: number;
  arrivedOn: string;
  arrivalOrder: string;
}

/** A birth date after today is a typing slip: refused before anything is written. */
async function requireBirthDateNotAhead(tx: Tx, birthDate: string | null, now: Date) {
  if (birthDate === null) return;
  const today = await schoolToday(tx, now);
  if (birthDate > today) throw invalid(`Дата рождения ${russianDate(birthDate)} ещё не наступила: проверьте год.`, [{ path: 'birthDate', message: 'Дата рождения ещё не наступила' }]);
}

/** Enrolls a new student (D-13) after the checks a screen and an import both need. */
export async function insertStudent(tx: Tx, student: NewStudent, createdAt: string) {
  await requireBirthDateNotAhead(tx, student.birthDate, new Date(createdAt));
  const { year, schoolClass } = await requireOpenClass(tx, student.classId);
  if (student.arrivedOn < year.starts_on || student.arrivedOn > year.ends_on) {
    throw invalid(`Дата зачисления ${russianDate(student.arrivedOn)} вне учебного года ${year.name} (${ruRange(year.starts_on, year.ends_on)}).`);
  }
  const row = await tx
    .insertInto('student')
    .values({ surname: student.surname, name: student.name, patronymic: student.patronymic, birth_date: student.birthDate, gender: student.gender, created_at: createdAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  const enrollment = await tx
    .insertInto('enrollment')
    .values({ student_id: row.id, class_id: student.classId, arrived_on: student.arrivedOn, arrival_order: student.arrivalOrder, departed_on: null, departure_order: '' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { studentId: row.id, enrollmentId: enrollment.id, className: schoolClass.name };
}

/** Students (D-6: the secretary too), their movement (D-13) and consents (D-45): students.*. */
export function studentHandlers() {
  return defineHandlers({
    async 'students.list'(input, ctx) {
      const db = ctx.store.db;
      const today = await schoolToday(db, ctx.now());
      let yearId: number | null;
      if (input.classId !== undefined) {
        const schoolClass = await db.selectFrom('school_class').select('year_id').where('id', '=', input.classId).executeTakeFirst();
        if (!schoolClass) throw notFound('Класс не найден.');
        yearId = schoolClass.year_id;
      } else {
        yearId = await resolveYearId(db, input.yearId, today);
      }
      if (yearId === null) return [];
      const reader = await personalDataReader(db, ctx.requireCaller());
      const rows = await listStudents(db, { yearId, classId: input.classId, date: input.date ?? today, withHistory: input.withHistory });
      return labelled(rows.map((row) => redactStudent(row, reader.level(row.enrollment.classId))));
    },

    async 'students.get'(input, ctx) {
      const db = ctx.store.db;
      const student = await db.selectFrom('student').selectAll().where('id', '=', input.id).executeTakeFirst();
      if (!student) throw notFound('Ученик не найден.');
      const enrollments = await db
        .selectFrom('enrollment as e')
        .innerJoin('school_class as c', 'c.id', 'e.class_id')
        .select(['e.id', 'e.class_id', 'c.name', 'c.year_id', 'e.arrived_on', 'e.arrival_order', 'e.departed_on', 'e.departure_order'])
        .where('e.student_id', '=', input.id)
        .orderBy('e.arrived_on')
        .execute();
      const level = await levelForStudent(db, await personalDataReader(db, ctx.requireCaller()), input.id);
      return redactStudent({
        id: student.id,
        surname: student.surname,
        name: student.name,
        patronymic: student.patronymic,
        fullName: fullNameOf(student),
        birthDate: student.birth_date,
        gender: student.gender,
        enrollments: enrollments.map((e) => ({
          id: e.id,
          classId: e.class_id,
          className: e.name,
          yearId: e.year_id,
          arrivedOn: e.arrived_on,
          arrivalOrder: e.arrival_order,
          departedOn: e.departed_on,
          departureOrder: e.departure_order,
        })),
        consents: (await consentsOf(db, [input.id])).get(input.id) ?? [],
        personalData: 'full' as const,
      }, level);
    },

    async 'students.create'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const created = await insertStudent(tx, input, ctx.now().toISOString());
        const schoolClass = await tx.selectFrom('school_class').select('year_id').where('id', '=', input.classId).executeTakeFirstOrThrow();
        const [row] = labelled(await listStudents(tx, { yearId: schoolClass.year_id, studentId: created.studentId, date: input.arrivedOn, withHistory: true }));
        await ctx.audit(tx, { action: 'student.create', entity: 'student', entityId: created.studentId, after: { ...input, className: created.className } });
        return row!;
      });
    },

    async 'students.update'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const before = await tx.selectFrom('student').select(['surname', 'name', 'patronymic', 'birth_date', 'gender']).where('id', '=', input.id).executeTakeFirst();
        if (!before) throw notFound('Ученик не найден.');
        await requireKeeperOf(tx, ctx.requireCaller(), input.id);
        await requireBirthDateNotAhead(tx, input.birthDate, ctx.now());
        const after = { surname: input.surname, name: input.name, patronymic: input.patronymic, birth_date: input.birthDate, gender: input.gender };
        await tx.updateTable('student').set(after).where('id', '=', input.id).execute();
        await ctx.audit(tx, { action: 'student.update', entity: 'student', entityId: input.id, before, after });
        return { done: true as const };
      });
    },

    async 'students.depart'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const enrollment = await currentEnrollment(tx, input.studentId);
        if (!enrollment) throw notFound('Ученик не числится ни в одном классе.');
        await requireOpenYear(tx, enrollment.year_id);
        if (input.departedOn < enrollment.arrived_on) throw invalid(`Дата выбытия ${russianDate(input.departedOn)} раньше даты зачисления ${russianDate(enrollment.arrived_on)}.`);
        if (input.departedOn > enrollment.year_ends_on) throw invalid(`Дата выбытия ${russianDate(input.departedOn)} позже конца учебного года ${enrollment.year_name}.`);
        await tx.updateTable('enrollment').set({ departed_on: input.departedOn, departure_order: input.departureOrder }).where('id', '=', enrollment.id).execute();
        await closeSubgroupMemberships(tx, input.studentId, enrollment.class_id, input.departedOn);
        // D-45: leaving the school ends the purpose of the consents.
        await drawUpDestructionAct(tx, ctx, {
          studentId: input.studentId,
          className: enrollment.class_name,
          reason: 'Выбытие',
          departureOrder: input.departureOrder,
          departedOn: input.departedOn,
          today: await schoolToday(tx, ctx.now()),
        });
        await ctx.audit(tx, {
          action: 'student.depart',
          entity: 'student',
          entityId: input.studentId,
          before: { className: enrollment.class_name, departedOn: null },
          after: { className: enrollment.class_name, departedOn: input.departedOn, departureOrder: input.departureOrder },
        });
        return { done: true as const };
      });
    },

    async 'students.transfer'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const enrollment = await currentEnrollment(tx, input.studentId);
        if (!enrollment) throw notFound('Ученик не числится ни в одном классе.');
        const { schoolClass: target } = await requireOpenClass(tx, input.toClassId);
        await requireOpenYear(tx, enrollment.year_id);
        if (target.id === enrollment.class_id) throw invalid(`Ученик уже в классе ${target.name}.`);
        if (target.year_id !== enrollment.year_id) throw invalid('Перевод возможен только в класс того же учебного года.');
        if (input.date <= enrollment.arrived_on) throw invalid(`Дата перевода ${russianDate(input.date)} должна быть позже даты зачисления ${russianDate(enrollment.arrived_on)}.`);
        if (input.date > enrollment.year_ends_on) throw invalid(`Дата перевода ${russianDate(input.date)} позже конца учебного года ${enrollment.year_name}.`);
        const lastDay = addDays(input.date, -1);
        await tx.updateTable('enrollment').set({ departed_on: lastDay, departure_order: input.order }).where('id', '=', enrollment.id).execute();
        await closeSubgroupMemberships(tx, input.studentId, enrollment.class_id, lastDay);
        await tx.insertInto('enrollment').values({ student_id: input.studentId, class_id: target.id, arrived_on: input.date, arrival_order: input.order, departed_on: null, departure_order: '' }).execute();
        await ctx.audit(tx, {
          action: 'student.transfer',
          entity: 'student',
          entityId: input.studentId,
          before: { className: enrollment.class_name },
          after: { className: target.name, from: input.date, order: input.order },
        });
        return { done: true as const };
      });
    },

    async 'students.movement'(input, ctx) {
      if (input.from > input.to) throw invalid('Начало периода позже его конца.');
      return studentMovement(ctx.store.db, input.from, input.to);
    },

    async 'students.consents.add'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const student = await tx.selectFrom('student').select('id').where('id', '=', input.studentId).executeTakeFirst();
        if (!student) throw notFound('Ученик не найден.');
        await requireKeeperOf(tx, ctx.requireCaller(), input.studentId);
        if (!(await currentEnrollment(tx, input.studentId))) throw conflict('Ученик выбыл из школы: его согласия уничтожены по акту, новые не регистрируются.');
        const today = await schoolToday(tx, ctx.now());
        if (input.givenOn > today) throw invalid(`Дата согласия ${russianDate(input.givenOn)} ещё не наступила.`);
        const row = await tx
          .insertInto('consent')
          .values({ student_id: input.studentId, given_by: input.givenBy, giver_name: input.giverName, given_on: input.givenOn, withdrawn_on: null })
          .returningAll()
          .executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'consent.add', entity: 'student', entityId: input.studentId, after: toConsent(row) });
        return toConsent(row);
      });
    },

    async 'students.consents.withdraw'(input, ctx) {
      return ctx.transaction(async (tx) => {
        const row = await tx.selectFrom('consent').selectAll().where('id', '=', input.id).executeTakeFirst();
        if (!row) throw notFound('Согласие не найдено.');
        await requireKeeperOf(tx, ctx.requireCaller(), row.student_id);
        if (row.destroyed_on !== null) {
          const act = await actOfConsent(tx, row.destruction_act_id);
          throw conflict(`Согласие уничтожено${act ? ` по акту № ${act.number} от ${russianDate(act.drawn_up_on)}` : ''}: отзывать нечего.`);
        }
        if (row.withdrawn_on !== null) throw conflict(`Согласие уже отозвано ${russianDate(row.withdrawn_on)}.`);
        if (input.withdrawnOn < row.given_on) throw invalid(`Дата отзыва ${russianDate(input.withdrawnOn)} раньше даты согласия ${russianDate(row.given_on)}.`);
        const updated = await tx.updateTable('consent').set({ withdrawn_on: input.withdrawnOn }).where('id', '=', input.id).returningAll().executeTakeFirstOrThrow();
        await ctx.audit(tx, { action: 'consent.withdraw', entity: 'student', entityId: row.student_id, before: toConsent(row), after: toConsent(updated) });
        return toConsent(updated);
      });
    },

    async 'students.consentActs'(input, ctx) {
      if (input.from !== undefined && input.to !== undefined && input.from > input.to) throw invalid('Начало периода позже его конца.');
      const db = ctx.store.db;
      const reader = await personalDataReader(db, ctx.requireCaller());
      const acts = await listConsentActs(db, input);
      if (reader.everything) return acts;
      // A class teacher sees the acts of her own class's former students; others none (consents are hers to keep).
      const visible: typeof acts = [];
      for (const act of acts) if ((await levelForStudent(db, reader, act.studentId)) === 'full') visible.push(act);
      return visible;
    },
  });
}


/** Leaving a class ends the student's subgroup memberships there on the same day. */
export async function closeSubgroupMemberships(tx: Tx, studentId: number, classId: number, lastDay: string) {
  const groups = tx.selectFrom('subgroup').select('id').where('class_id', '=', classId);
  await tx.updateTable('subgroup_member').set({ to_date: lastDay }).where('student_id', '=', studentId).where('subgroup_id', 'in', groups).where('to_date', 'is', null).execute();
  // Memberships that would only have started after leaving are void.
  await tx.deleteFrom('subgroup_member').where('student_id', '=', studentId).where('subgroup_id', 'in', groups).where('from_date', '>', lastDay).execute();
}
