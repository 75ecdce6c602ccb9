import { displayedAverage } from '../../src-shared/rules/average';
import { isAbsence } from '../../src-shared/rules/attendance';
import { studentLabels, type LabelOptions } from '../../src-shared/rules/student-labels';
import type { ClassJournalData, LessonInfo, LoadInfo, PeriodInfo, StudentInfo } from './repository';
import { russianDate, russianDayMonth } from '../../src-shared/rules/dates';
import { plural } from '../../src-shared/rules/plural';

// The class journal as printed: sections per subject (and subgroup) with their cells, and
// the summary sheets. Pure functions over the repository's rows.

export interface FinalColumn {
  label: string;
  kind: string;
  periodId: number | null;
}

export interface SectionModel {
  load: LoadInfo;
  title: string;
  students: StudentInfo[];
  lessons: LessonInfo[];
  /** lessonId → studentId → what the cell shows: the attendance code, then the marks. */
  cells: Map<number, Map<number, string>>;
  averages: Map<number, string>;
  finals: Array<FinalColumn & { values: Map<number, string> }>;
}

const MONTHS_NOMINATIVE = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

export function monthName(month: number): string {
  return MONTHS_NOMINATIVE[month - 1] ?? String(month);
}

export { russianDate, russianDayMonth as shortDate };

/** «Иванова Мария Сергеевна» → «Иванова М. С.». */
export function shortName(fullName: string): string {
  const [surname, ...rest] = fullName.trim().split(/\s+/);
  if (!surname) return fullName;
  return [surname, ...rest.map((part) => `${part[0] ?? ''}.`)].join(' ');
}

/** «приказ № 4-у» from an order number entered as «4-у» or «№ 4-у»; empty when none was entered. */
function orderText(order: string): string {
  const number = order.trim().replace(/^№\s*/, '');
  return number === '' ? '' : `, приказ № ${number}`;
}

/** D-13: «прибыла 06.10.2025, приказ № 12-у», «выбыл 10.10.2025, приказ № 15-у». */
export function movementNotes(student: StudentInfo, from: string, to: string): string[] {
  const feminine = student.gender === 'ж';
  const notes: string[] = [];
  if (student.arrivedOn > from && student.arrivedOn <= to) {
    notes.push(`${feminine ? 'прибыла' : 'прибыл'} ${russianDate(student.arrivedOn)}${orderText(student.arrivalOrder)}`);
  }
  if (student.departedOn !== null && student.departedOn >= from && student.departedOn < to) {
    notes.push(`${feminine ? 'выбыла' : 'выбыл'} ${russianDate(student.departedOn)}${orderText(student.departureOrder)}`);
  }
  return notes;
}

/**
 * How each student is named on paper: the shared label (namesakes told apart, by the birth
 * date when the reader may see it), then the movement in the period (D-13).
 */
export function printedStudentLabels(students: readonly StudentInfo[], from: string, to: string, options: LabelOptions = { birthDates: true }): Map<number, string> {
  const names = studentLabels(students, { ...options, initials: 'always' });
  return new Map(
    students.map((s) => {
      const name = names.get(s.id)!;
      const notes = movementNotes(s, from, to);
      return [s.id, notes.length > 0 ? `${name} (${notes.join('; ')})` : name];
    }),
  );
}

/** D-13: a lesson before the student came or after they left: the cell is dashed, not left blank. */
export function outsideEnrollment(student: StudentInfo, date: string): boolean {
  return date < student.arrivedOn || (student.departedOn !== null && date > student.departedOn);
}

export const NOT_ENROLLED = '—';

/** Short column titles for finals: «I четверть» stays; a kind without a period gets a word. */
export function finalColumns(periods: readonly PeriodInfo[], period: PeriodInfo | 'year', extraKinds: ReadonlySet<string>): FinalColumn[] {
  if (period !== 'year') return [{ label: period.name, kind: 'period', periodId: period.id }];
  const columns: FinalColumn[] = periods.map((p) => ({ label: p.name, kind: 'period', periodId: p.id }));
  columns.push({ label: 'Год', kind: 'year', periodId: null });
  if (extraKinds.has('exam')) columns.push({ label: 'Экзамен', kind: 'exam', periodId: null });
  if (extraKinds.has('final')) columns.push({ label: 'Итоговая', kind: 'final', periodId: null });
  return columns;
}

function finalText(value: string, deferred: boolean): string {
  if (value.trim() !== '') return value;
  return deferred ? 'отср.' : '';
}

export function formatAverage(value: number | null, decimals: number): string {
  return value === null ? '' : value.toFixed(decimals).replace('.', ',');
}

export function sectionTitle(load: LoadInfo): string {
  return load.subgroupName ? `${load.subjectName}, ${load.subgroupName}` : load.subjectName;
}

export function buildSections(data: ClassJournalData, period: PeriodInfo | 'year'): SectionModel[] {
  const { students, school } = data;
  const marksByLesson = new Map<number, Map<number, Array<{ value: string; weight: number }>>>();
  for (const mark of data.marks) {
    let cell = marksByLesson.get(mark.lessonId);
    if (!cell) marksByLesson.set(mark.lessonId, (cell = new Map()));
    let list = cell.get(mark.studentId);
    if (!list) cell.set(mark.studentId, (list = []));
    list.push({ value: mark.value, weight: mark.weight });
  }
  const codes = new Map<number, Map<number, string>>();
  for (const row of data.attendance) {
    let cell = codes.get(row.lessonId);
    if (!cell) codes.set(row.lessonId, (cell = new Map()));
    cell.set(row.studentId, row.code);
  }
  const lessonsByLoad = new Map<number, LessonInfo[]>();
  for (const lesson of data.lessons) {
    let list = lessonsByLoad.get(lesson.loadId);
    if (!list) lessonsByLoad.set(lesson.loadId, (list = []));
    list.push(lesson);
  }
  const kinds = new Set(data.finals.map((f) => f.kind));

  return data.loads.map((load) => {
    const members = load.subgroupId === null ? null : new Set(data.memberships.filter((m) => m.subgroupId === load.subgroupId).map((m) => m.studentId));
    const sectionStudents = members ? students.filter((s) => members.has(s.id)) : students;
    const lessons = lessonsByLoad.get(load.id) ?? [];
    const cells = new Map<number, Map<number, string>>();
    const studentMarks = new Map<number, Array<{ value: string; weight: number }>>();
    for (const lesson of lessons) {
      const row = new Map<number, string>();
      const lessonMarks = marksByLesson.get(lesson.id);
      const lessonCodes = codes.get(lesson.id);
      for (const student of sectionStudents) {
        const code = lessonCodes?.get(student.id);
        const marks = lessonMarks?.get(student.id) ?? [];
        if (marks.length > 0) {
          let all = studentMarks.get(student.id);
          if (!all) studentMarks.set(student.id, (all = []));
          all.push(...marks);
        }
        const parts = [...(code ? [code] : []), ...marks.map((m) => m.value)];
        if (parts.length > 0) row.set(student.id, parts.join(' '));
        else if (outsideEnrollment(student, lesson.date)) row.set(student.id, NOT_ENROLLED);
      }
      cells.set(lesson.id, row);
    }
    const averages = new Map<number, string>();
    for (const [studentId, marks] of studentMarks) {
      averages.set(studentId, formatAverage(displayedAverage(marks, school.settings), school.settings.averageDecimals));
    }
    const finals = finalColumns(data.schoolClass.periods, period, kinds).map((column) => {
      const values = new Map<number, string>();
      for (const final of data.finals) {
        if (final.loadId !== load.id || final.kind !== column.kind) continue;
        if (column.periodId !== null && final.periodId !== column.periodId) continue;
        values.set(final.studentId, finalText(final.value, final.deferred));
      }
      return { ...column, values };
    });
    return { load, title: sectionTitle(load), students: sectionStudents, lessons, cells, averages, finals };
  });
}

export interface SubjectFinals {
  subjectId: number;
  subjectName: string;
  columns: Array<FinalColumn & { values: Map<number, string> }>;
}

/** Finals per subject (subgroups merged: a student has a final in one of them). */
export function subjectFinals(data: ClassJournalData, columns: readonly FinalColumn[]): SubjectFinals[] {
  const subjects: SubjectFinals[] = [];
  const bySubject = new Map<number, SubjectFinals>();
  const loadSubject = new Map<number, number>();
  for (const load of data.loads) {
    loadSubject.set(load.id, load.subjectId);
    if (bySubject.has(load.subjectId)) continue;
    const entry: SubjectFinals = {
      subjectId: load.subjectId,
      subjectName: load.subjectName,
      columns: columns.map((c) => ({ ...c, values: new Map<number, string>() })),
    };
    bySubject.set(load.subjectId, entry);
    subjects.push(entry);
  }
  for (const final of data.finals) {
    const subject = bySubject.get(loadSubject.get(final.loadId) ?? -1);
    if (!subject) continue;
    for (const column of subject.columns) {
      if (column.kind !== final.kind) continue;
      if (column.periodId !== null && column.periodId !== final.periodId) continue;
      column.values.set(final.studentId, finalText(final.value, final.deferred));
    }
  }
  return subjects;
}

export interface MonthAbsences {
  key: string; // 'YYYY-MM'
  label: string;
  total: Map<number, number>;
  illness: Map<number, number>;
}

/** D-29: missed lessons per student per month, illness («Б») separately. */
export function absencesByMonth(data: ClassJournalData): MonthAbsences[] {
  const months: MonthAbsences[] = [];
  const byKey = new Map<string, MonthAbsences>();
  // Every month of the range, even one without absences, in calendar order.
  let [year, month] = data.from.split('-').map(Number) as [number, number];
  const [endYear, endMonth] = data.to.split('-').map(Number) as [number, number];
  while (year < endYear || (year === endYear && month <= endMonth)) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    const entry: MonthAbsences = { key, label: monthName(month), total: new Map(), illness: new Map() };
    months.push(entry);
    byKey.set(key, entry);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  const lessonMonth = new Map(data.lessons.map((l) => [l.id, l.date.slice(0, 7)]));
  for (const row of data.attendance) {
    if (!isAbsence(row.code)) continue;
    const entry = byKey.get(lessonMonth.get(row.lessonId) ?? '');
    if (!entry) continue;
    entry.total.set(row.studentId, (entry.total.get(row.studentId) ?? 0) + 1);
    if (row.code === 'Б') entry.illness.set(row.studentId, (entry.illness.get(row.studentId) ?? 0) + 1);
  }
  return months;
}

/** Whether a printout may go to the archive, and if not, what is missing (Russian, for the user). */
export interface ArchiveReadiness {
  final: boolean;
  missing: string[];
}

/**
 * A period (or year) prints as final only once it has ended and every student still in the
 * class at its end has a final in every subject they take (a deferred one counts as set).
 */
export function archiveReadiness(data: ClassJournalData, period: PeriodInfo | 'year', today: string): ArchiveReadiness {
  const missing: string[] = [];
  const { schoolClass } = data;
  const endsOn = period === 'year' ? schoolClass.year.endsOn : period.endsOn;
  if (today <= endsOn) {
    missing.push(
      period === 'year'
        ? `${schoolClass.year.name} учебный год ещё не окончен (последний день — ${russianDate(endsOn)})`
        : `период «${period.name}» ещё не окончен (последний день — ${russianDate(endsOn)})`,
    );
  }
  if (!schoolClass.noMarks && schoolClass.grade > 1) {
    const kind = period === 'year' ? 'year' : 'period';
    const periodId = period === 'year' ? null : period.id;
    const set = new Set(
      data.finals
        .filter((f) => f.kind === kind && f.periodId === periodId && (f.value.trim() !== '' || f.deferred))
        .map((f) => `${f.loadId}:${f.studentId}`),
    );
    const stayed = data.students.filter((s) => s.departedOn === null || s.departedOn > endsOn);
    const lacking: string[] = [];
    for (const load of data.loads) {
      const members =
        load.subgroupId === null
          ? null
          : new Set(data.memberships.filter((m) => m.subgroupId === load.subgroupId && (m.toDate === null || m.toDate >= endsOn)).map((m) => m.studentId));
      const count = stayed.filter((s) => (members === null || members.has(s.id)) && !set.has(`${load.id}:${s.id}`)).length;
      if (count > 0) lacking.push(`${sectionTitle(load)} (нет у ${count} ${plural(count, 'учащегося', 'учащихся', 'учащихся')})`);
    }
    if (lacking.length > 0) missing.push(`не выставлены итоговые отметки за ${period === 'year' ? 'год' : period.name}: ${lacking.join(', ')}`);
  }
  return { final: missing.length === 0, missing };
}
