import type { AcademicYear, StudyPeriod } from '../../src-shared/contract/school';
import type { PeriodKind } from '../../src-shared/rules/periods';
import { localDate } from '../../src-shared/rules/dates';
import { locked, notFound } from '../core/errors';
import type { Db } from '../store/database';

// The academic year, its study periods and holidays (D-10), and the D-14 guard every other
// domain may use: a closed year is read-only.

export async function schoolToday(db: Db, now: Date): Promise<string> {
  const school = await db.selectFrom('school').select('time_zone').where('id', '=', 1).executeTakeFirst();
  return localDate(now, school?.time_zone ?? 'Europe/Moscow');
}

export async function findYear(db: Db, yearId: number) {
  return db.selectFrom('academic_year').selectAll().where('id', '=', yearId).executeTakeFirst();
}

/** D-14: true when the year is closed (or does not exist: nothing may be written into it). */
export async function isYearClosed(db: Db, yearId: number): Promise<boolean> {
  const year = await findYear(db, yearId);
  return !year || year.closed_at !== null;
}

/** D-14: refuses any write into a closed year with `locked`; returns the year. */
export async function requireOpenYear(db: Db, yearId: number) {
  const year = await findYear(db, yearId);
  if (!year) throw notFound('Учебный год не найден.');
  if (year.closed_at !== null) throw locked(`Учебный год ${year.name} закрыт: изменения невозможны, доступны просмотр и печать.`, { reason: 'yearClosed' });
  return year;
}

/** The class with its year, refusing writes when that year is closed. */
export async function requireOpenClass(db: Db, classId: number) {
  const schoolClass = await db.selectFrom('school_class').selectAll().where('id', '=', classId).executeTakeFirst();
  if (!schoolClass) throw notFound('Класс не найден.');
  const year = await requireOpenYear(db, schoolClass.year_id);
  return { schoolClass, year };
}

/** The year a call means when it names none: the one containing today, else the latest open, else the latest. */
export async function resolveYearId(db: Db, yearId: number | undefined, today: string): Promise<number | null> {
  if (yearId !== undefined) {
    if (!(await findYear(db, yearId))) throw notFound('Учебный год не найден.');
    return yearId;
  }
  const years = await db.selectFrom('academic_year').select(['id', 'starts_on', 'ends_on', 'closed_at']).orderBy('starts_on', 'desc').execute();
  const current = years.find((y) => y.starts_on <= today && today <= y.ends_on) ?? years.find((y) => y.closed_at === null) ?? years[0];
  return current?.id ?? null;
}

type PeriodRow = { id: number; year_id: number; kind: string; number: number; name: string; starts_on: string; ends_on: string; grade_from: number; grade_to: number };

export function toPeriod(row: PeriodRow): StudyPeriod {
  return {
    id: row.id,
    yearId: row.year_id,
    kind: row.kind as PeriodKind,
    number: row.number,
    name: row.name,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    gradeFrom: row.grade_from,
    gradeTo: row.grade_to,
  };
}

export async function periodsOfYear(db: Db, yearId: number): Promise<StudyPeriod[]> {
  const rows = await db.selectFrom('study_period').selectAll().where('year_id', '=', yearId).orderBy('starts_on').orderBy('grade_from').execute();
  return rows.map(toPeriod);
}

export async function holidaysOfYear(db: Db, yearId: number) {
  const rows = await db.selectFrom('holiday').selectAll().where('year_id', '=', yearId).orderBy('starts_on').execute();
  return rows.map((h) => ({ id: h.id, yearId: h.year_id, name: h.name, startsOn: h.starts_on, endsOn: h.ends_on }));
}

export async function listYears(db: Db): Promise<AcademicYear[]> {
  const [years, periods, holidays] = await Promise.all([
    db.selectFrom('academic_year').selectAll().orderBy('starts_on', 'desc').execute(),
    db.selectFrom('study_period').selectAll().orderBy('starts_on').orderBy('grade_from').execute(),
    db.selectFrom('holiday').selectAll().orderBy('starts_on').execute(),
  ]);
  return years.map((y) => ({
    id: y.id,
    name: y.name,
    startsOn: y.starts_on,
    endsOn: y.ends_on,
    closedAt: y.closed_at,
    periods: periods.filter((p) => p.year_id === y.id).map(toPeriod),
    holidays: holidays.filter((h) => h.year_id === y.id).map((h) => ({ id: h.id, yearId: h.year_id, name: h.name, startsOn: h.starts_on, endsOn: h.ends_on })),
  }));
}

export async function yearView(db: Db, yearId: number): Promise<AcademicYear> {
  const year = await findYear(db, yearId);
  if (!year) throw notFound('Учебный год не найден.');
  return {
    id: year.id,
    name: year.name,
    startsOn: year.starts_on,
    endsOn: year.ends_on,
    closedAt: year.closed_at,
    periods: await periodsOfYear(db, yearId),
    holidays: await holidaysOfYear(db, yearId),
  };
}
