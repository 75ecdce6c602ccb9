import { sql } from 'kysely';
import type { PlanRowView, PlanView } from '../../src-shared/contract/plans';
import { russianDate } from '../../src-shared/rules/dates';
import { curriculumHours, hasRussianWords, hoursWord, russianWarning, teachingWeeks, type PlanStatus } from '../../src-shared/rules/plans';
import { hasPermission, type Role } from '../../src-shared/roles';
import { notFound } from '../core/errors';
import { findLoad, type LoadContext } from '../load/repository';
import type { Db } from '../store/database';

// Reading plans: the plan of a load with its rows, how many lessons took each row, and the
// curriculum's hours to compare with (D-15).

export async function requirePlanLoad(db: Db, loadId: number): Promise<LoadContext> {
  const load = await findLoad(db, loadId);
  if (!load) throw notFound('Нагрузка не найдена.');
  return load;
}

export async function planOf(db: Db, loadId: number) {
  return db.selectFrom('plan').selectAll().where('load_id', '=', loadId).executeTakeFirst();
}

export async function planRowsOf(db: Db, planId: number) {
  return db.selectFrom('plan_row').selectAll().where('plan_id', '=', planId).orderBy('number').orderBy('id').execute();
}

/** Lessons of the load per plan row they took their topic from. */
export async function givenPerRow(db: Db, loadId: number, upTo?: string): Promise<Map<number, number>> {
  let query = db.selectFrom('lesson').select(['plan_row_id', sql<number>`count(*)`.as('given')]).where('load_id', '=', loadId).where('plan_row_id', 'is not', null);
  if (upTo) query = query.where('date', '<=', upTo);
  const rows = await query.groupBy('plan_row_id').execute();
  return new Map(rows.map((r) => [r.plan_row_id!, Number(r.given)]));
}

/** Teaching weeks per grade of a year, from its study periods and holidays. */
export async function weeksByGrade(db: Db, yearId: number): Promise<(grade: number) => number> {
  const [periods, holidays] = await Promise.all([
    db.selectFrom('study_period').select(['starts_on', 'ends_on', 'grade_from', 'grade_to']).where('year_id', '=', yearId).execute(),
    db.selectFrom('holiday').select(['starts_on', 'ends_on']).where('year_id', '=', yearId).execute(),
  ]);
  const cache = new Map<number, number>();
  return (grade) => {
    let weeks = cache.get(grade);
    if (weeks === undefined) {
      weeks = teachingWeeks(
        periods.filter((p) => p.grade_from <= grade && grade <= p.grade_to),
        holidays,
      );
      cache.set(grade, weeks);
    }
    return weeks;
  };
}

/** Weekly hours by the curriculum for (subject, grade); the load's own hours where the curriculum has none. */
export async function curriculumOf(db: Db, load: Pick<LoadContext, 'id' | 'year_id' | 'subject_id' | 'grade'>, weeksOf?: (grade: number) => number) {
  const [planned, own] = await Promise.all([
    db.selectFrom('curriculum_hours').select('hours_per_week').where('year_id', '=', load.year_id).where('subject_id', '=', load.subject_id).where('grade', '=', load.grade).executeTakeFirst(),
    db.selectFrom('teaching_load').select('hours_per_week').where('id', '=', load.id).executeTakeFirst(),
  ]);
  const hoursPerWeek = Number(planned?.hours_per_week ?? own?.hours_per_week ?? 0);
  const weeks = (weeksOf ?? (await weeksByGrade(db, load.year_id)))(load.grade);
  return { hoursPerWeek, weeks, hours: curriculumHours(hoursPerWeek, weeks) };
}

export function rowWarnings(rows: ReadonlyArray<{ number: number; topic: string }>): string[] {
  return rows.filter((r) => !hasRussianWords(r.topic)).map((r) => russianWarning(r.number));
}

export function differenceWords(difference: number): string {
  if (difference === 0) return '';
  return difference > 0 ? `на ${difference} ${hoursWord(difference)} больше, чем по учебному плану` : `на ${-difference} ${hoursWord(-difference)} меньше, чем по учебному плану`;
}

export interface Viewer {
  userId: number;
  roles: readonly Role[];
}

export async function planView(db: Db, load: LoadContext, viewer: Viewer): Promise<PlanView> {
  const plan = await planOf(db, load.id);
  const [rows, given, curriculum, year, corrections] = await Promise.all([
    plan ? planRowsOf(db, plan.id) : Promise.resolve([]),
    givenPerRow(db, load.id),
    curriculumOf(db, load),
    db.selectFrom('academic_year').select('name').where('id', '=', load.year_id).executeTakeFirstOrThrow(),
    plan
      ? db
          .selectFrom('plan_correction as pc')
          .innerJoin('app_user as u', 'u.id', 'pc.corrected_by')
          .select(['pc.corrected_at', 'pc.reason', 'pc.summary', 'u.full_name'])
          .where('pc.plan_id', '=', plan.id)
          .orderBy('pc.corrected_at')
          .execute()
      : Promise.resolve([]),
  ]);
  const rowViews: PlanRowView[] = rows.map((r) => ({
    id: r.id,
    number: r.number,
    section: r.section,
    topic: r.topic,
    hours: r.hours,
    plannedDate: r.planned_date,
    plannedWeek: r.planned_week,
    controlWork: r.control_work === 1,
    workTypeId: r.work_type_id,
    homework: r.homework,
    given: given.get(r.id) ?? 0,
  }));
  const plannedHours = rows.reduce((sum, r) => sum + r.hours, 0);
  const difference = plan ? plannedHours - curriculum.hours : 0;
  const warnings = rowWarnings(rows);
  if (plan && difference !== 0) {
    warnings.unshift(
      `Часов в плане ${plannedHours}, по учебному плану ${curriculum.hours} (${curriculum.hoursPerWeek} ч в неделю × ${curriculum.weeks} учебных недель): ${differenceWords(difference)}.` +
        (plan.hours_note ? '' : ' Объясните расхождение — без объяснения план не утвердить.'),
    );
  }
  const status = (plan?.status ?? 'none') as PlanStatus | 'none';
  return {
    loadId: load.id,
    className: load.class_name,
    grade: load.grade,
    subjectName: load.subject_name,
    subgroupName: load.subgroup_name,
    teacherName: load.teacher_name,
    yearName: year.name,
    status,
    version: plan?.version ?? null,
    hoursNote: plan?.hours_note ?? '',
    reviewComment: plan?.review_comment ?? '',
    rows: rowViews,
    plannedHours,
    curriculum,
    difference,
    warnings,
    corrections: corrections.map((c) => ({ at: russianDate(c.corrected_at.slice(0, 10)), byName: c.full_name, reason: c.reason, summary: c.summary })),
    canEdit: load.teacher_id === viewer.userId && load.year_closed_at === null && status !== 'review',
    canApprove: hasPermission(viewer.roles, 'journal.approve') && status === 'review',
  };
}
