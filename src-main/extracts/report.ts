import { scaleRange } from '../../src-shared/rules/marks';
import { roundTo, suggestFinal, weightedAverage } from '../../src-shared/rules/average';
import { isAbsence } from '../../src-shared/rules/attendance';
import { finalColumns, formatAverage, outsideEnrollment, sectionTitle, shortName, printedStudentLabels, subjectFinals } from '../printing/model';
import type { ClassJournalData, PeriodInfo, StudentInfo } from '../printing/repository';

// The student's report for a date range (000 §4.6.8, D-9, D-31): per subject the marks with
// dates and work types, the weighted averages (D-22), the finals so far (D-23), absences
// by reason (D-27, D-28) and the forecast of the period's final — the period's weighted
// average so far, rounded by the school's rule (the one the teacher is offered, 002 §5.4).
// Pure functions over the printing repository's rows.

export interface ReportMark {
  date: string;
  value: string;
  workType: string;
}

export interface SubjectReport {
  title: string;
  teacherName: string;
  marks: ReportMark[];
  /** Weighted average of the range's marks, as the school shows it; '' when none counts. */
  rangeAverage: string;
  /** Weighted average from the period's first day to the report's last; '' when none counts. */
  periodAverage: string;
  /** The period final the average gives by the school's rounding rule; null without marks. */
  forecast: string | null;
  /** The forecast is the scale's lowest mark: the student may fail the period. */
  atRisk: boolean;
  /** «I четверть: 4; Год: отсрочена». */
  finals: string;
  /** Lessons of this subject missed within the range. */
  absences: number;
}

export interface AbsenceCounts {
  total: number;
  illness: number;
  excused: number;
  unexcused: number;
  unresolved: number;
  late: number;
}

export interface StudentReport {
  student: StudentInfo;
  /** The name as printed: namesakes told apart, the movement in the range noted (D-13). */
  label: string;
  className: string;
  from: string;
  to: string;
  /** The part of the range the student was in the class; equal to the range for most. */
  enrolledFrom: string;
  enrolledTo: string;
  /** Grades 0–1 or a class without marks (D-19): attendance only. */
  noMarks: boolean;
  /** The study period whose final is forecast; null when the range is outside every period. */
  period: PeriodInfo | null;
  subjects: SubjectReport[];
  absences: AbsenceCounts;
  classTeacherName: string | null;
}

/** The period the report's last day falls in, else the latest that began before it. */
export function periodOf(periods: readonly PeriodInfo[], date: string): PeriodInfo | null {
  return periods.find((p) => p.startsOn <= date && date <= p.endsOn) ?? [...periods].reverse().find((p) => p.startsOn <= date) ?? null;
}

/** The range to read so that the forecast's period is covered from its first day. */
export function readRange(periods: readonly PeriodInfo[], from: string, to: string): { from: string; to: string } {
  const period = periodOf(periods, to);
  return { from: period && period.startsOn < from ? period.startsOn : from, to };
}

/** Students enrolled at any day of [from, to] (the data may cover more: the period's start). */
export function studentsInRange(data: ClassJournalData, from: string, to: string): StudentInfo[] {
  return data.students.filter((s) => s.arrivedOn <= to && (s.departedOn === null || s.departedOn >= from));
}

/** Every student's report over [from, to] from one read of the class (see `readRange`). */
export function buildReports(data: ClassJournalData, from: string, to: string, onlyStudentIds?: ReadonlySet<number>): StudentReport[] {
  const { school, schoolClass } = data;
  const settings = school.settings;
  const noMarks = schoolClass.noMarks || schoolClass.grade <= 1;
  const period = periodOf(schoolClass.periods, to);
  const periodFrom = period ? period.startsOn : from;
  const students = studentsInRange(data, from, to).filter((s) => !onlyStudentIds || onlyStudentIds.has(s.id));
  const labels = printedStudentLabels(students, from, to);
  const lessonById = new Map(data.lessons.map((l) => [l.id, l]));
  const range = scaleRange(settings.scale);
  const shown = (average: number | null) => formatAverage(average === null ? null : roundTo(average, settings.averageDecimals), settings.averageDecimals);

  // Finals recorded so far: the periods begun by the report's end, then the year's own.
  const periodsSoFar = schoolClass.periods.filter((p) => p.startsOn <= to);

  return students.map((student) => {
    const enrolledFrom = student.arrivedOn > from ? student.arrivedOn : from;
    const enrolledTo = student.departedOn !== null && student.departedOn < to ? student.departedOn : to;
    const inSubgroup = (subgroupId: number) =>
      data.memberships.some((m) => m.subgroupId === subgroupId && m.studentId === student.id && m.fromDate <= to && (m.toDate === null || m.toDate >= from));
    const loads = data.loads.filter((load) => load.subgroupId === null || inSubgroup(load.subgroupId));
    const loadIds = new Set(loads.map((l) => l.id));

    const marksByLoad = new Map<number, Array<{ date: string; value: string; weight: number; workType: string }>>();
    for (const mark of data.marks) {
      if (mark.studentId !== student.id) continue;
      const lesson = lessonById.get(mark.lessonId);
      if (!lesson || !loadIds.has(lesson.loadId) || outsideEnrollment(student, lesson.date)) continue;
      let list = marksByLoad.get(lesson.loadId);
      if (!list) marksByLoad.set(lesson.loadId, (list = []));
      list.push({ date: lesson.date, value: mark.value, weight: mark.weight, workType: mark.workType });
    }
    const absences: AbsenceCounts = { total: 0, illness: 0, excused: 0, unexcused: 0, unresolved: 0, late: 0 };
    const absencesByLoad = new Map<number, number>();
    for (const row of data.attendance) {
      if (row.studentId !== student.id) continue;
      const lesson = lessonById.get(row.lessonId);
      if (!lesson || !loadIds.has(lesson.loadId) || lesson.date < enrolledFrom || lesson.date > enrolledTo) continue;
      if (row.code === 'ОП') {
        absences.late += 1;
        continue;
      }
      if (!isAbsence(row.code)) continue;
      absences.total += 1;
      if (row.code === 'Б') absences.illness += 1;
      else if (row.code === 'УП') absences.excused += 1;
      else if (row.code === 'НП') absences.unexcused += 1;
      else absences.unresolved += 1;
      absencesByLoad.set(lesson.loadId, (absencesByLoad.get(lesson.loadId) ?? 0) + 1);
    }

    const kinds = new Set(data.finals.filter((f) => f.studentId === student.id).map((f) => f.kind));
    const columns = finalColumns(periodsSoFar, 'year', kinds).filter((c) => c.kind === 'period' || kinds.has(c.kind));
    const finalsBySubject = new Map(subjectFinals({ ...data, finals: data.finals.filter((f) => f.studentId === student.id && loadIds.has(f.loadId)), loads }, columns).map((s) => [s.subjectId, s]));

    const subjects: SubjectReport[] = loads.map((load) => {
      const all = marksByLoad.get(load.id) ?? [];
      const inRange = all.filter((m) => m.date >= from && m.date <= to);
      const inPeriod = all.filter((m) => m.date >= periodFrom && m.date <= to);
      const rangeAverage = weightedAverage(inRange, settings.scale);
      const periodAverage = weightedAverage(inPeriod, settings.scale);
      const forecast = noMarks || !period ? null : suggestFinal(periodAverage, settings);
      const finals = finalsBySubject.get(load.subjectId);
      const finalsText = (finals?.columns ?? [])
        .map((c) => {
          const value = c.values.get(student.id);
          return value ? `${c.label}: ${value === 'отср.' ? 'отсрочена' : value}` : '';
        })
        .filter((t) => t !== '')
        .join('; ');
      return {
        title: sectionTitle(load),
        teacherName: shortName(load.teacherName),
        marks: inRange.map(({ date, value, workType }) => ({ date, value, workType })),
        rangeAverage: shown(rangeAverage),
        periodAverage: shown(periodAverage),
        forecast,
        atRisk: forecast !== null && range !== null && Number(forecast) <= range.min,
        finals: finalsText,
        absences: absencesByLoad.get(load.id) ?? 0,
      };
    });
    return {
      student,
      label: labels.get(student.id)!,
      className: schoolClass.name,
      from,
      to,
      enrolledFrom,
      enrolledTo,
      noMarks,
      period,
      subjects,
      absences,
      classTeacherName: schoolClass.classTeacherName,
    };
  });
}
