import type { YearTransitionResult } from '../../src-shared/contract/school';
import { russianDate } from '../../src-shared/rules/dates';
import { datesOverlap, isNoMarksGrade, nextGrade, nextYearName, periodsProblem, ruRange, shiftYears, transitionDeadline } from '../../src-shared/rules/periods';
import type { HandlerContext } from '../core/context';
import { AppError, conflict, invalid, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Tx } from '../store/database';
import { drawUpDestructionAct } from './consent-acts';
import { insertLoad } from '../load/handlers';
import { fullNameOf, requireActiveStaff } from './people';
import { closeSubgroupMemberships } from '../students/handlers';
import { findYear, periodsOfYear, requireOpenYear, schoolToday, yearView } from './years';

// D-14 (000 §4.2.4): the year transition. Every class of a year moves up a grade keeping its
// letter («5А» → «6А») into the next year, its students' enrollments continue there from the
// new year's first day, the 11th grade graduates on the old year's last day.
//
// Choices:
// - The next year is the first year after this one; when there is none it is created with the
//   same periods and holidays a year later (and the curriculum copied), for the administrator
//   to correct. A closed source year is allowed: the transition then writes only the
//   graduation (departure date and order) into it — the journal of that year stays untouched.
// - Subgroups, timetable and subgroup loads are not carried over; whole-class loads only on
//   request (`copyLoad`).
// - A clash (a class of the same name already in the next year, or a student already
//   enrolled there) refuses the whole transition: nothing changes.
// - D-3 «by 1 July» is advice in `notes`, never a refusal.

type YearRow = NonNullable<Awaited<ReturnType<typeof findYear>>>;

const FALLBACK_ARRIVAL_ORDER = 'Перевод в следующий класс';

function namesList(names: string[]): string {
  return names.length === 1 ? `класс ${names[0]}` : `классы ${names.join(', ')}`;
}

/** The year after `from`, made from it shifted by one year: periods, holidays, curriculum. */
async function createNextYear(tx: Tx, ctx: HandlerContext, from: YearRow): Promise<YearRow> {
  const name = nextYearName(from.name);
  if (!name) throw invalid(`Название года ${from.name} не в виде 2025/2026: создайте следующий год вручную.`);
  const startsOn = shiftYears(from.starts_on, 1);
  const endsOn = shiftYears(from.ends_on, 1);
  const others = await tx.selectFrom('academic_year').selectAll().execute();
  if (others.some((y) => y.name === name)) throw conflict(`Учебный год ${name} уже есть, но начинается не после ${from.name}: укажите год перевода явно.`);
  const clash = others.find((y) => datesOverlap({ startsOn, endsOn }, { startsOn: y.starts_on, endsOn: y.ends_on }));
  if (clash) throw conflict(`Следующий учебный год (${ruRange(startsOn, endsOn)}) пересекается с учебным годом ${clash.name} (${ruRange(clash.starts_on, clash.ends_on)}).`);
  const year = await tx.insertInto('academic_year').values({ name, starts_on: startsOn, ends_on: endsOn, closed_at: null }).returningAll().executeTakeFirstOrThrow();

  const periods = (await periodsOfYear(tx, from.id)).map((p) => ({ ...p, startsOn: shiftYears(p.startsOn, 1), endsOn: shiftYears(p.endsOn, 1) }));
  // 29 February moving to the 28th could make two periods touch: checked like any other set.
  const problem = periodsProblem({ name, startsOn, endsOn }, [], periods);
  if (problem) throw conflict(`Периоды ${from.name}, сдвинутые на год, не подходят: ${problem} Создайте год ${name} вручную.`);
  if (periods.length > 0) {
    await tx
      .insertInto('study_period')
      .values(periods.map((p) => ({ year_id: year.id, kind: p.kind, number: p.number, name: p.name, starts_on: p.startsOn, ends_on: p.endsOn, grade_from: p.gradeFrom, grade_to: p.gradeTo })))
      .execute();
  }
  const holidays = await tx.selectFrom('holiday').selectAll().where('year_id', '=', from.id).orderBy('starts_on').execute();
  if (holidays.length > 0) {
    await tx
      .insertInto('holiday')
      .values(holidays.map((h) => ({ year_id: year.id, name: h.name, starts_on: shiftYears(h.starts_on, 1), ends_on: shiftYears(h.ends_on, 1) })))
      .execute();
  }
  const hours = await tx.selectFrom('curriculum_hours').selectAll().where('year_id', '=', from.id).execute();
  if (hours.length > 0) {
    await tx.insertInto('curriculum_hours').values(hours.map((h) => ({ year_id: year.id, subject_id: h.subject_id, grade: h.grade, hours_per_week: h.hours_per_week }))).execute();
  }
  await ctx.audit(tx, { action: 'year.create', entity: 'academic_year', entityId: year.id, after: { name, startsOn, endsOn, from: from.name, periods: periods.length, holidays: holidays.length } });
  return year;
}

/** The year a transition from `from` goes into: the one named, else the next, else a new one. */
async function targetYear(tx: Tx, ctx: HandlerContext, from: YearRow, toYearId: number | undefined): Promise<{ year: YearRow; created: boolean }> {
  const later = await tx.selectFrom('academic_year').selectAll().where('starts_on', '>', from.ends_on).orderBy('starts_on').execute();
  const next = later[0];
  if (toYearId === undefined) return next ? { year: next, created: false } : { year: await createNextYear(tx, ctx, from), created: true };
  const named = await findYear(tx, toYearId);
  if (!named) throw notFound('Учебный год, в который переводить, не найден.');
  if (!next || named.id !== next.id) {
    throw invalid(next ? `Перевод из ${from.name} возможен только в следующий учебный год — ${next.name}.` : `Учебный год ${named.name} не следует за ${from.name}: перевод возможен только в следующий год.`);
  }
  return { year: named, created: false };
}

export function transitionHandlers() {
  return defineHandlers({
    async 'school.years.transition'(input, ctx) {
      return ctx.transaction(async (tx): Promise<YearTransitionResult> => {
        const from = await findYear(tx, input.fromYearId);
        if (!from) throw notFound('Учебный год не найден.');
        const today = await schoolToday(tx, ctx.now());
        const classes = await tx.selectFrom('school_class').selectAll().where('year_id', '=', from.id).orderBy('grade').orderBy('letter').execute();
        if (classes.length === 0) throw invalid(`В учебном году ${from.name} нет классов: переводить некого.`);
        const moving = classes.filter((c) => nextGrade(c.grade) !== null);
        const graduating = classes.filter((c) => nextGrade(c.grade) === null);
        const newName = (c: { grade: number; letter: string }) => `${nextGrade(c.grade)}${c.letter}`;

        const teacherOverride = new Map<number, number | null>();
        for (const change of input.classTeachers) {
          const schoolClass = classes.find((c) => c.id === change.classId);
          if (!schoolClass) throw invalid(`Смена классного руководителя: класс не из учебного года ${from.name}.`);
          if (nextGrade(schoolClass.grade) === null) throw invalid(`${schoolClass.name} выпускается: классный руководитель в следующем году ему не нужен.`);
          if (change.classTeacherId !== null && !(await requireActiveStaff(tx, change.classTeacherId))) throw notFound(`Классный руководитель ${newName(schoolClass)}: сотрудник не найден или отключён.`);
          teacherOverride.set(schoolClass.id, change.classTeacherId);
        }

        const { year: to, created } = await targetYear(tx, ctx, from, input.toYearId);
        await requireOpenYear(tx, to.id);

        // Clashes first: a refusal must leave everything as it was (the transaction rolls back a new year too).
        const taken = moving.length === 0 ? [] : await tx.selectFrom('school_class').select('name').where('year_id', '=', to.id).where('name', 'in', moving.map(newName)).orderBy('grade').orderBy('letter').execute();
        if (taken.length > 0) {
          throw conflict(
            `В учебном году ${to.name} уже есть ${namesList(taken.map((t) => t.name))}: перевод не выполнен, ничего не изменено. Смените букву ${taken.length === 1 ? 'этого класса' : 'этих классов'} или переводите вручную.`,
          );
        }
        const open = await tx
          .selectFrom('enrollment as e')
          .innerJoin('student as s', 's.id', 'e.student_id')
          .select(['e.id', 'e.student_id', 'e.class_id', 's.surname', 's.name', 's.patronymic'])
          .where('e.class_id', 'in', classes.map((c) => c.id))
          .where('e.departed_on', 'is', null)
          .orderBy('e.id')
          .execute();
        const continuing = open.filter((e) => moving.some((c) => c.id === e.class_id));
        const alreadyThere = continuing.length === 0 ? [] : await tx
          .selectFrom('enrollment as e')
          .innerJoin('school_class as c', 'c.id', 'e.class_id')
          .select(['e.student_id', 'c.name'])
          .where('c.year_id', '=', to.id)
          .where('e.student_id', 'in', tx.selectFrom('enrollment').select('student_id').where('class_id', 'in', moving.map((c) => c.id)).where('departed_on', 'is', null))
          .execute();
        if (alreadyThere.length > 0) {
          const who = alreadyThere.slice(0, 5).map((a) => `${fullNameOf(continuing.find((e) => e.student_id === a.student_id)!)} (${a.name})`);
          throw conflict(`Уже зачислены в учебный год ${to.name}: ${who.join(', ')}${alreadyThere.length > 5 ? ` и ещё ${alreadyThere.length - 5}` : ''}. Перевод не выполнен, ничего не изменено.`);
        }

        const notes: string[] = [];
        const deadline = transitionDeadline(from.ends_on);
        if (today > deadline) notes.push(`По регламенту перевод проводится до ${russianDate(deadline)}; выполнен ${russianDate(today)}.`);
        if (created) notes.push(`Учебный год ${to.name} создан по образцу ${from.name}: периоды и каникулы сдвинуты на год, учебный план перенесён — проверьте даты.`);

        // The new classes with their students.
        const arrivalOrder = input.order || FALLBACK_ARRIVAL_ORDER;
        const classResults: YearTransitionResult['classes'] = [];
        const newClassOf = new Map<number, { id: number; grade: number; name: string }>();
        for (const old of moving) {
          const grade = nextGrade(old.grade)!;
          let teacherId = teacherOverride.has(old.id) ? teacherOverride.get(old.id)! : old.class_teacher_id;
          let teacherName: string | null = null;
          if (teacherId !== null) {
            const teacher = await requireActiveStaff(tx, teacherId);
            if (teacher) teacherName = teacher.full_name;
            else {
              notes.push(`${newName(old)}: прежний классный руководитель отключён — назначьте нового.`);
              teacherId = null;
            }
          }
          const row = await tx
            .insertInto('school_class')
            .values({ year_id: to.id, grade, letter: old.letter, name: newName(old), class_teacher_id: teacherId, room: old.room, no_marks: isNoMarksGrade(grade) ? 1 : 0 })
            .returning('id')
            .executeTakeFirstOrThrow();
          newClassOf.set(old.id, { id: row.id, grade, name: newName(old) });
          const students = continuing.filter((e) => e.class_id === old.id);
          if (students.length > 0) {
            await tx
              .insertInto('enrollment')
              .values(students.map((e) => ({ student_id: e.student_id, class_id: row.id, arrived_on: to.starts_on, arrival_order: arrivalOrder, departed_on: null, departure_order: '', continues_enrollment_id: e.id })))
              .execute();
          }
          classResults.push({ fromClassId: old.id, fromName: old.name, toClassId: row.id, toName: newName(old), classTeacherName: teacherName, students: students.length });
        }

        // The graduates leave on the last day of the year (D-14) and their consents go (D-45).
        const graduationOrder = input.order ? `Выпуск, ${input.order}` : 'Выпуск';
        const graduatedClasses: YearTransitionResult['graduatedClasses'] = [];
        let consentActs = 0;
        for (const schoolClass of graduating) {
          const graduates = open.filter((e) => e.class_id === schoolClass.id);
          if (graduates.length > 0) {
            await tx.updateTable('enrollment').set({ departed_on: from.ends_on, departure_order: graduationOrder }).where('id', 'in', graduates.map((e) => e.id)).execute();
          }
          for (const graduate of graduates) {
            await closeSubgroupMemberships(tx, graduate.student_id, schoolClass.id, from.ends_on);
            const act = await drawUpDestructionAct(tx, ctx, { studentId: graduate.student_id, className: schoolClass.name, reason: 'Выпуск', departureOrder: graduationOrder, departedOn: from.ends_on, today });
            if (act !== null) consentActs += 1;
          }
          graduatedClasses.push({ classId: schoolClass.id, className: schoolClass.name, students: graduates.length });
        }

        // The whole-class load, when asked for; a load that no longer fits is named in the notes.
        let copiedLoads = 0;
        if (input.copyLoad) {
          const loads = await tx
            .selectFrom('teaching_load as tl')
            .innerJoin('subject as s', 's.id', 'tl.subject_id')
            .select(['tl.class_id', 'tl.subject_id', 'tl.subgroup_id', 'tl.teacher_id', 'tl.hours_per_week', 's.name as subject_name'])
            .where('tl.class_id', 'in', moving.length === 0 ? [-1] : moving.map((c) => c.id))
            .orderBy('tl.class_id')
            .orderBy('tl.subject_id')
            .orderBy('tl.id')
            .execute();
          const curriculum = await tx.selectFrom('curriculum_hours').selectAll().where('year_id', '=', to.id).execute();
          const bySubgroups = new Set<string>();
          for (const load of loads) {
            const target = newClassOf.get(load.class_id)!;
            if (load.subgroup_id !== null) {
              bySubgroups.add(`${target.name} «${load.subject_name}»`);
              continue;
            }
            const planned = curriculum.find((h) => h.subject_id === load.subject_id && h.grade === target.grade);
            try {
              await insertLoad(tx, { classId: target.id, subjectId: load.subject_id, teacherId: load.teacher_id, subgroupId: null, hoursPerWeek: planned ? Number(planned.hours_per_week) : Number(load.hours_per_week) });
              copiedLoads += 1;
            } catch (error) {
              // The checks refuse before writing anything, so the transaction goes on.
              if (!(error instanceof AppError)) throw error;
              notes.push(`${target.name}: нагрузка «${load.subject_name}» не перенесена — ${error.message}`);
            }
          }
          if (bySubgroups.size > 0) notes.push(`Нагрузка по подгруппам не перенесена (подгруппы создаются заново): ${[...bySubgroups].join(', ')}.`);
        }

        const movedStudents = continuing.length;
        const graduatedStudents = graduatedClasses.reduce((sum, c) => sum + c.students, 0);
        await ctx.audit(tx, {
          action: 'year.transition',
          entity: 'academic_year',
          entityId: to.id,
          after: {
            from: from.name,
            to: to.name,
            yearCreated: created,
            order: input.order,
            classes: classResults.length,
            students: movedStudents,
            graduates: graduatedStudents,
            loads: copiedLoads,
            consentActs,
          },
        });
        return { fromYearId: from.id, toYear: await yearView(tx, to.id), yearCreated: created, classes: classResults, graduatedClasses, movedStudents, graduatedStudents, copiedLoads, consentActs, notes };
      });
    },
  });
}
