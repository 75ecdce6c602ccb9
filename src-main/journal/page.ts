import { labelOptionsFor } from '../students/visibility';
import type { z } from 'zod';
import type { JournalPage, loadSummary } from '../../src-shared/contract/journal';
import { displayedAverage, suggestFinal, weightedAverage, type WeightedMark } from '../../src-shared/rules/average';
import { localDate } from '../../src-shared/rules/dates';
import { editableFrom, isPastEditWindow } from '../../src-shared/rules/edit-window';
import type { Caller } from '../core/context';
import { invalid, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Db, Store } from '../store/database';
import { isTeacher, readsEverything, requireReadAccess, type PageAccess } from './access';
import { cellKey, finalKey, lessonAndLoad, requireLoad } from './cells';
import { environmentOf } from './environment';
import { assignmentsIn } from '../substitutions/repository';
import {
  attendanceOfLoad,
  finalsOfLoad,
  historyOf,
  lessonsOfLoad,
  loadsVisibleTo,
  marksOfLoad,
  periodLockOf,
  periodsOf,
  studentsOfLoad,
  type PeriodRow,
} from './repository';
import { findLoad, type LoadContext } from '../load/repository';
import { finalView, lessonView } from './views';

/** Every final of a load: the periods', the year's, the exam's and the final one. */
function allFinalsOfLoad(db: Db, loadId: number) {
  return db.selectFrom('final_mark').select(['id', 'student_id', 'kind', 'period_id', 'value', 'suggested', 'deferred', 'version']).where('load_id', '=', loadId).execute();
}

/** The period that contains today, else the last one begun, else the first. */
export function currentPeriod(periods: readonly PeriodRow[], today: string): PeriodRow | undefined {
  return (
    periods.find((p) => p.starts_on <= today && today <= p.ends_on) ??
    [...periods].reverse().find((p) => p.starts_on <= today) ??
    periods[0]
  );
}

export const periodSummary = (p: PeriodRow) => ({ id: p.id, name: p.name, startsOn: p.starts_on, endsOn: p.ends_on });

/** A load as the contract shows it: on the page and in «Мои уроки». */
export function loadSummaryOf(load: LoadContext, access: PageAccess, periods: readonly PeriodRow[], today: string): z.infer<typeof loadSummary> {
  return {
    loadId: load.id,
    yearId: load.year_id,
    classId: load.class_id,
    className: load.class_name,
    grade: load.grade,
    noMarks: load.no_marks === 1,
    subjectId: load.subject_id,
    subjectName: load.subject_name,
    subgroupId: load.subgroup_id,
    subgroupName: load.subgroup_name,
    teacherId: load.teacher_id,
    teacherName: load.teacher_name,
    access,
    periods: periods.map(periodSummary),
    currentPeriodId: currentPeriod(periods, today)?.id ?? null,
  };
}

/**
 * One journal page: a fixed handful of queries, one per kind of row, run together, then
 * assembled in memory (the 35 × 60 page must open in a few milliseconds).
 */
export async function buildPage(store: Store, caller: Caller, now: Date, loadId: number, periodId: number | undefined): Promise<JournalPage> {
  const { db } = store;
  const load = await findLoad(db, loadId);
  if (!load) throw notFound('Страница журнала не найдена.');
  const [access, env, periods] = await Promise.all([requireReadAccess(db, caller, load), environmentOf({ store, now: () => now }, db), periodsOf(db, load.year_id, load.grade)]);
  const today = localDate(now, env.timeZone);
  const period = periodId === undefined ? currentPeriod(periods, today) : periods.find((p) => p.id === periodId);
  if (!period) throw invalid(periodId === undefined ? 'Для этого класса не заданы учебные периоды.' : 'Этот учебный период не относится к классу страницы.');
  const from = period.starts_on;
  const to = period.ends_on;

  const { settings } = env;
  const types = [...env.workTypes.values()];
  const weightOf = (workTypeId: number) => env.workTypes.get(workTypeId)?.weight ?? 1;
  const [lock, students, lessons, marks, attendance, finals, assigned] = await Promise.all([
    periodLockOf(db, load.id, period.id),
    labelOptionsFor(db, caller, load.class_id).then((labels) => studentsOfLoad(db, load, from, to, labels)),
    lessonsOfLoad(db, load.id, from, to),
    marksOfLoad(db, load.id, from, to, weightOf),
    attendanceOfLoad(db, load.id, from, to),
    // The last period's page carries the year's columns: the year final is suggested from every period's final.
    period.id === periods[periods.length - 1]?.id ? allFinalsOfLoad(db, load.id) : finalsOfLoad(db, load.id, period.id),
    access === 'substitute' ? assignmentsIn(db, load.id, caller.userId) : Promise.resolve([]),
  ]);

  const marksByStudent = new Map<number, WeightedMark[]>();
  for (const mark of marks) {
    let list = marksByStudent.get(mark.studentId);
    if (!list) marksByStudent.set(mark.studentId, (list = []));
    list.push(mark);
  }

  const periodLocked = Boolean(lock) && lock!.reopened_at === null;
  const yearOpen = load.year_closed_at === null;
  const writes = (access === 'own' || access === 'substitute') && yearOpen;
  const mayWrite = (givenBy: number) => writes && (access === 'own' || givenBy === caller.userId);

  return {
    load: loadSummaryOf(load, access, periods, today),
    period: periodSummary(period),
    today,
    editableFrom: editableFrom(today, settings.editWindowDays),
    canEdit: writes,
    substituteLessons: assigned.map((a) => ({ date: a.date, lessonNumber: a.lesson_number, lessonId: a.lesson_id })),
    periodLock: lock ? { lockedAt: lock.locked_at, lockedByName: lock.locked_by_name, reopenedAt: lock.reopened_at, reopenReason: lock.reopen_reason } : null,
    periodLocked,
    rules: {
      markScale: settings.markScale,
      specialMarks: [...settings.specialMarks],
      averageDecimals: settings.averageDecimals,
      finalRoundingThreshold: settings.finalRoundingThreshold,
      editWindowDays: settings.editWindowDays,
    },
    workTypes: types.map((t) => ({ id: t.id, name: t.name, weight: t.weight, markDueDays: t.mark_due_days, active: t.active === 1 })),
    students: students.map((s) => {
      const own = marksByStudent.get(s.id) ?? [];
      return {
        ...s,
        average: displayedAverage(own, settings),
        suggestedFinal: suggestFinal(weightedAverage(own, settings.scale), settings),
      };
    }),
    lessons: lessons.map((l) => {
      const pastEditWindow = isPastEditWindow(l.date, today, settings.editWindowDays);
      return { ...lessonView(l, l.given_by_name), pastEditWindow, editable: mayWrite(l.given_by) && !periodLocked && !pastEditWindow };
    }),
    marks,
    attendance: attendance.map((a) => ({ lessonId: a.lesson_id, studentId: a.student_id, code: a.code as JournalPage['attendance'][number]['code'], version: a.version })),
    finals: finals.map(finalView),
  };
}

export function pageHandlers() {
  return defineHandlers({
    async 'journal.myLoads'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const everything = readsEverything(caller);
      let loads = await loadsVisibleTo(db, caller.userId, everything);
      if (input.yearId !== undefined) loads = loads.filter((l) => l.year_id === input.yearId);
      if (loads.length === 0) return [];
      const yearIds = [...new Set(loads.map((l) => l.year_id))];
      const [periods, substituted, env] = await Promise.all([
        db.selectFrom('study_period').select(['id', 'year_id', 'name', 'kind', 'starts_on', 'ends_on', 'grade_from', 'grade_to']).where('year_id', 'in', yearIds).orderBy('starts_on').execute(),
        isTeacher(caller)
          ? db
              .selectFrom('lesson')
              .select('load_id')
              .where('given_by', '=', caller.userId)
              .union(db.selectFrom('substitution').select('load_id').where('substitute_id', '=', caller.userId).where('kind', 'in', ['subject', 'merge']).where('removed_at', 'is', null))
              .execute()
          : Promise.resolve([]),
        environmentOf(ctx, db),
      ]);
      const today = localDate(ctx.now(), env.timeZone);
      const substitutedLoads = new Set(substituted.map((s) => s.load_id));
      return loads.map((load) => {
        const own = periods.filter((p) => p.year_id === load.year_id && p.grade_from <= load.grade && p.grade_to >= load.grade);
        const access =
          isTeacher(caller) && load.teacher_id === caller.userId
            ? 'own'
            : isTeacher(caller) && substitutedLoads.has(load.id)
              ? 'substitute'
              : load.class_teacher_id === caller.userId
                ? 'classTeacher'
                : 'read';
        return loadSummaryOf(load, access, own, today);
      });
    },

    async 'journal.page'(input, ctx) {
      return buildPage(ctx.store, ctx.requireCaller(), ctx.now(), input.loadId, input.periodId);
    },

    async 'journal.cellHistory'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      if (input.lessonId !== undefined) {
        const { load } = await lessonAndLoad(db, input.lessonId);
        await requireReadAccess(db, caller, load);
        return historyOf(db, ['mark', 'attendance'], cellKey(input.lessonId, input.studentId));
      }
      if (input.loadId === undefined || input.kind === undefined) throw invalid('Укажите урок или итоговую отметку (страницу и вид).');
      const load = await requireLoad(db, input.loadId);
      await requireReadAccess(db, caller, load);
      return historyOf(db, ['final_mark'], finalKey(load.id, input.studentId, input.kind, input.periodId ?? null));
    },
  });
}
