import { sql } from 'kysely';
import type { ControlSummary, LessonIssue, ReportFilter } from '../../src-shared/contract/reports';
import { invalid } from '../core/errors';
import { fulfilmentDigest } from '../plans/fulfilment';
import { shortName } from '../printing/model';
import type { Db } from '../store/database';
import { resolveYearId, schoolToday } from '../school/years';
import { controlLines, type ControlLine } from './control';

// The deputy's home page (D-32): where the school's journal is behind, the five worst
// teachers and classes on each measure, periods that ended and are not printed, the last
// backup. Every figure comes with the filter of the report behind it.

const WORST = 5;
const DAY_MS = 86_400_000;

interface Measure {
  key: string;
  title: string;
  value: (line: ControlLine) => number;
  /** The lesson list behind it, or null when the control table is the list. */
  issue: LessonIssue | null;
}

const MEASURES: Measure[] = [
  { key: 'noTopic', title: 'Уроки без темы', value: (l) => l.noTopic, issue: 'noTopic' },
  { key: 'noHomework', title: 'Уроки без домашнего задания', value: (l) => l.noHomework, issue: 'noHomework' },
  { key: 'late', title: 'Тема или задание записаны позже срока', value: (l) => l.topicLate + l.homeworkLate, issue: 'late' },
  { key: 'marksLate', title: 'Отметки за работы выставлены позже срока', value: (l) => l.marksLate, issue: null },
  { key: 'accumulation', title: 'Ученики без отметок или с одной отметкой', value: (l) => l.studentsNoMarks + l.studentsOneMark, issue: null },
  { key: 'unresolved', title: 'Невыясненные «ОТ»', value: (l) => l.unresolvedAbsences, issue: null },
];

function worst(lines: ControlLine[], measure: Measure, keyOf: (l: ControlLine) => number, labelOf: (l: ControlLine) => string) {
  const totals = new Map<number, { label: string; value: number }>();
  for (const line of lines) {
    const key = keyOf(line);
    const entry = totals.get(key) ?? { label: labelOf(line), value: 0 };
    entry.value += measure.value(line);
    totals.set(key, entry);
  }
  return [...totals.entries()]
    .filter(([, e]) => e.value > 0)
    .sort((a, b) => b[1].value - a[1].value || a[1].label.localeCompare(b[1].label, 'ru'))
    .slice(0, WORST);
}

export async function controlSummary(db: Db, now: Date, input: { from?: string; to?: string }): Promise<ControlSummary> {
  const today = await schoolToday(db, now);
  if ((input.from === undefined) !== (input.to === undefined)) throw invalid('Укажите обе даты: начало и конец.', [{ path: input.from === undefined ? 'from' : 'to', message: 'Не указана' }]);
  if (input.from !== undefined && input.to !== undefined && input.to < input.from) throw invalid('Дата окончания раньше даты начала.', [{ path: 'to', message: 'Раньше начала' }]);
  const yearId = await resolveYearId(db, undefined, input.from ?? today);
  const lastBackup = await db.selectFrom('backup_run').select('started_at').where('status', '=', 'ok').orderBy('started_at', 'desc').executeTakeFirst();
  const backup = lastBackup ? { at: lastBackup.started_at, ageDays: Math.floor((now.getTime() - Date.parse(lastBackup.started_at)) / DAY_MS) } : null;
  if (yearId === null) return { from: input.from ?? today, to: input.to ?? today, yearId: null, measures: [], awaitingPrint: [], lastBackup: backup, fulfilment: null };

  // By default: the period under way from its first day to today.
  const year = await db.selectFrom('academic_year').select(['id', 'starts_on', 'ends_on']).where('id', '=', yearId).executeTakeFirstOrThrow();
  let from = input.from;
  let to = input.to;
  if (from === undefined || to === undefined) {
    const current = await db.selectFrom('study_period').select(['starts_on']).where('year_id', '=', yearId).where('starts_on', '<=', today).where('ends_on', '>=', today).orderBy('starts_on').executeTakeFirst();
    to = today < year.ends_on ? today : year.ends_on;
    from = current?.starts_on ?? (to < year.starts_on ? to : year.starts_on);
    if (to < from) to = from;
  }
  const lines = await controlLines(db, { yearId, from, to, filter: {}, scope: { all: true } });
  const base: Partial<ReportFilter> = { yearId, from, to };
  const measures = MEASURES.map((measure) => {
    const drillFor = (extra: Partial<ReportFilter>): Partial<ReportFilter> => (measure.issue ? { ...base, form: 'controlLessons', issue: measure.issue, ...extra } : { ...base, form: 'control', ...extra });
    return {
      key: measure.key,
      title: measure.title,
      total: lines.reduce((sum, l) => sum + measure.value(l), 0),
      drill: drillFor({}),
      worstTeachers: worst(lines, measure, (l) => l.teacherId, (l) => shortName(l.teacherName)).map(([teacherId, e]) => ({ label: e.label, value: e.value, drill: drillFor({ teacherId }) })),
      worstClasses: worst(lines, measure, (l) => l.classId, (l) => l.className).map(([classId, e]) => ({ label: e.label, value: e.value, drill: drillFor({ classId }) })),
    };
  });

  // Periods of this year that ended, with the classes of their grades whose journal for the period is not in the print log.
  const ended = await db
    .selectFrom('study_period as p')
    .innerJoin('school_class as c', (join) => join.onRef('c.year_id', '=', 'p.year_id').onRef('c.grade', '>=', 'p.grade_from').onRef('c.grade', '<=', 'p.grade_to'))
    .select(['p.id as periodId', 'p.name as periodName', 'p.ends_on as endsOn', 'c.id as classId', 'c.name as className', 'c.grade'])
    .where('p.year_id', '=', yearId)
    .where('p.ends_on', '<', today)
    // print_log belongs to printing (its own table type): asked in plain SQL.
    .where(sql<boolean>`not exists (select 1 from print_log pl where pl.document = 'class_journal' and pl.class_id = c.id and pl.period_id = p.id and pl.sha256 <> '' and pl.options not like '%"preliminary":true%')`)
    .orderBy('p.starts_on')
    .orderBy('c.grade')
    .orderBy('c.name')
    .execute();
  const byPeriod = new Map<number, ControlSummary['awaitingPrint'][number]>();
  for (const row of ended) {
    const entry = byPeriod.get(row.periodId) ?? { periodName: row.periodName, endsOn: row.endsOn, classesNotPrinted: [] };
    entry.classesNotPrinted.push(row.className);
    byPeriod.set(row.periodId, entry);
  }
  const fulfilment = await fulfilmentDigest(db, year, to);
  return { from, to, yearId, measures, awaitingPrint: [...byPeriod.values()], lastBackup: backup, fulfilment };
}
