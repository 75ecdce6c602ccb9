import type { ReportFilter } from '../../src-shared/contract/reports';
import { russianDate } from '../../src-shared/rules/dates';
import type { Role } from '../../src-shared/roles';
import type { Caller } from '../core/context';
import { forbidden, invalid, notFound } from '../core/errors';
import { resolveYearId, schoolToday } from '../school/years';
import type { Db } from '../store/database';

// What a report covers (year, dates, period) and whose rows the caller may see (D-30 … D-32):
// the deputy, the director and the administrator the whole school; a teacher their own loads
// and, as a class teacher, every load of their class.

const SEES_EVERYTHING: readonly Role[] = ['director', 'deputy', 'administrator'];

/** Null: the whole school. Otherwise the user whose loads and classes bound every row. */
export type RowScope = { all: true } | { all: false; userId: number };

export function rowScope(caller: Caller): RowScope {
  return caller.roles.some((role) => SEES_EVERYTHING.includes(role)) ? { all: true } : { all: false, userId: caller.userId };
}

export interface PeriodRef {
  id: number;
  name: string;
  kind: string;
  number: number;
  startsOn: string;
  endsOn: string;
  gradeFrom: number;
  gradeTo: number;
}

export interface ResolvedRange {
  yearId: number;
  yearName: string;
  from: string;
  to: string;
  period: PeriodRef | null;
  today: string;
}

export function rangeText(range: Pick<ResolvedRange, 'from' | 'to' | 'period'>): string {
  const dates = `${russianDate(range.from)} – ${russianDate(range.to)}`;
  return range.period ? `${range.period.name} (${dates})` : dates;
}

async function periodById(db: Db, periodId: number) {
  const row = await db.selectFrom('study_period').selectAll().where('id', '=', periodId).executeTakeFirst();
  if (!row) throw notFound('Учебный период не найден.');
  return row;
}

function toRef(row: { id: number; name: string; kind: string; number: number; starts_on: string; ends_on: string; grade_from: number; grade_to: number }): PeriodRef {
  return { id: row.id, name: row.name, kind: row.kind, number: row.number, startsOn: row.starts_on, endsOn: row.ends_on, gradeFrom: row.grade_from, gradeTo: row.grade_to };
}

/**
 * The dates a report covers. A period gives its own; explicit dates must be in order; with
 * neither, the period under way today (or the last one ended), else the year so far.
 * `needsPeriod`: forms of period results refuse plain dates.
 */
export async function resolveRange(db: Db, now: Date, filter: ReportFilter, needsPeriod = false): Promise<ResolvedRange | null> {
  const today = await schoolToday(db, now);
  if (filter.periodId !== undefined) {
    const period = await periodById(db, filter.periodId);
    const year = await db.selectFrom('academic_year').select(['id', 'name']).where('id', '=', period.year_id).executeTakeFirstOrThrow();
    return { yearId: year.id, yearName: year.name, from: period.starts_on, to: period.ends_on, period: toRef(period), today };
  }
  if ((filter.from === undefined) !== (filter.to === undefined)) {
    throw invalid('Укажите обе даты: начало и конец.', [{ path: filter.from === undefined ? 'from' : 'to', message: 'Не указана' }]);
  }
  if (filter.from !== undefined && filter.to !== undefined) {
    if (filter.to < filter.from) throw invalid('Дата окончания раньше даты начала.', [{ path: 'to', message: 'Раньше начала' }]);
    if (needsPeriod) throw invalid('Итоги считаются за учебный период: выберите четверть, триместр или полугодие.', [{ path: 'periodId', message: 'Выберите период' }]);
    const year =
      filter.yearId !== undefined
        ? await db.selectFrom('academic_year').select(['id', 'name']).where('id', '=', filter.yearId).executeTakeFirst()
        : await db.selectFrom('academic_year').select(['id', 'name']).where('starts_on', '<=', filter.to).where('ends_on', '>=', filter.from).orderBy('starts_on', 'desc').executeTakeFirst();
    if (!year) throw invalid('Эти даты не попадают ни в один учебный год.', [{ path: 'from', message: 'Вне учебного года' }]);
    return { yearId: year.id, yearName: year.name, from: filter.from, to: filter.to, period: null, today };
  }
  const yearId = await resolveYearId(db, filter.yearId, today);
  if (yearId === null) return null;
  const year = await db.selectFrom('academic_year').selectAll().where('id', '=', yearId).executeTakeFirstOrThrow();
  const periods = await db.selectFrom('study_period').selectAll().where('year_id', '=', yearId).orderBy('starts_on').orderBy('grade_from').execute();
  // Forms of results want a period that has ended (or the one under way); control the one under way.
  const current = periods.find((p) => p.starts_on <= today && today <= p.ends_on);
  const lastEnded = periods.filter((p) => p.ends_on < today).at(-1);
  const chosen = needsPeriod ? (lastEnded ?? current ?? periods[0]) : current;
  if (chosen) return { yearId, yearName: year.name, from: chosen.starts_on, to: chosen.ends_on, period: toRef(chosen), today };
  if (needsPeriod) throw invalid('В учебном году нет периодов: итоги считать не за что.', [{ path: 'periodId', message: 'Нет периодов' }]);
  const to = today < year.ends_on ? (today < year.starts_on ? year.starts_on : today) : year.ends_on;
  return { yearId, yearName: year.name, from: year.starts_on, to, period: null, today };
}

/** The period before this one in the same year and of the same kind and grades, if any. */
export async function previousPeriod(db: Db, period: PeriodRef): Promise<PeriodRef | null> {
  const row = await db
    .selectFrom('study_period')
    .selectAll()
    .where('ends_on', '<', period.startsOn)
    .where('kind', '=', period.kind)
    .where('grade_from', '=', period.gradeFrom)
    .where('grade_to', '=', period.gradeTo)
    .where('year_id', 'in', db.selectFrom('study_period').select('year_id').where('id', '=', period.id))
    .orderBy('starts_on', 'desc')
    .executeTakeFirst();
  return row ? toRef(row) : null;
}

/** The period of the same kind, number and grades in the year before this period's year, if any. */
export async function samePeriodLastYear(db: Db, period: PeriodRef): Promise<PeriodRef | null> {
  const year = await db
    .selectFrom('academic_year')
    .select('id')
    .where('starts_on', '<', period.startsOn)
    .where('id', 'not in', db.selectFrom('study_period').select('year_id').where('id', '=', period.id))
    .orderBy('starts_on', 'desc')
    .executeTakeFirst();
  if (!year) return null;
  const row = await db
    .selectFrom('study_period')
    .selectAll()
    .where('year_id', '=', year.id)
    .where('kind', '=', period.kind)
    .where('number', '=', period.number)
    .where('grade_from', '=', period.gradeFrom)
    .where('grade_to', '=', period.gradeTo)
    .executeTakeFirst();
  return row ? toRef(row) : null;
}

/**
 * Refuses a filter that names rows outside the caller's scope: another teacher, a class
 * the caller neither leads nor teaches in, a load that is not theirs or their class's.
 */
export async function requireFilterInScope(db: Db, scope: RowScope, filter: ReportFilter): Promise<void> {
  if (scope.all) return;
  const me = scope.userId;
  const ledClasses = filter.classId === undefined ? [] : await db.selectFrom('school_class').select('id').where('id', '=', filter.classId).where('class_teacher_id', '=', me).execute();
  const leadsClass = ledClasses.length > 0;
  if (filter.teacherId !== undefined && filter.teacherId !== me && !leadsClass) {
    throw forbidden('Отчёты по другим учителям доступны заместителю директора и директору.');
  }
  if (filter.classId !== undefined && !leadsClass) {
    const own = await db.selectFrom('teaching_load').select('id').where('class_id', '=', filter.classId).where('teacher_id', '=', me).executeTakeFirst();
    if (!own) throw forbidden('Отчёты по этому классу доступны его классному руководителю, учителям класса и администрации.');
  }
  if (filter.loadId !== undefined) {
    const load = await db
      .selectFrom('teaching_load as tl')
      .innerJoin('school_class as c', 'c.id', 'tl.class_id')
      .select(['tl.teacher_id', 'c.class_teacher_id'])
      .where('tl.id', '=', filter.loadId)
      .executeTakeFirst();
    if (!load) throw notFound('Нагрузка не найдена.');
    if (load.teacher_id !== me && load.class_teacher_id !== me) throw forbidden('Это страница журнала другого учителя.');
  }
}

/** Class-wide forms (attendance, the class teacher's report): the class teacher or the administration. */
export async function requireClassLead(db: Db, scope: RowScope, classId: number): Promise<void> {
  const schoolClass = await db.selectFrom('school_class').select(['class_teacher_id']).where('id', '=', classId).executeTakeFirst();
  if (!schoolClass) throw notFound('Класс не найден.');
  if (!scope.all && schoolClass.class_teacher_id !== scope.userId) throw forbidden('Этот отчёт по классу доступен его классному руководителю и администрации.');
}

export async function schoolName(db: Db): Promise<string> {
  const school = await db.selectFrom('school').select('name').where('id', '=', 1).executeTakeFirst();
  return school?.name ?? '';
}
