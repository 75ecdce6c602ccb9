import type { Writable } from 'node:stream';
import { councilDecisionTitles, type CouncilDecisionKind } from '../../src-shared/contract/extracts';
import { localDate } from '../../src-shared/rules/dates';
import { isAbsence } from '../../src-shared/rules/attendance';
import { invalid } from '../core/errors';
import { documentDate, periodLabel, resolvePeriod, safeFileName, sheetsFor } from '../printing/class-journal';
import type { GridSpec } from '../printing/layout';
import { finalColumns, russianDate, shortDate, printedStudentLabels, subjectFinals } from '../printing/model';
import { PdfWriter } from '../printing/pdf';
import { readClass, readClassJournal, readSchool, type ClassInfo, type PeriodInfo, type StudentInfo } from '../printing/repository';
import type { Db } from '../store/database';
import { Flow, type TextLine } from './paper';
import { buildReports, readRange, type AbsenceCounts, type StudentReport } from './report';

// The parents' paper: the student's report / fortnightly extract with its tear-off strip,
// and the results letter after the finals. One PDF per class (or per student), each student
// from a new sheet.

export interface PrintedPaper {
  bytes: Buffer | null;
  sha256: string;
  pages: number;
  sheets: number;
  title: string;
  fileName: string;
  /** The students printed, in order. */
  students: StudentInfo[];
  schoolClass: ClassInfo;
}

const MARGINS = { bindingMm: 20, outerMm: 12, topMm: 12, bottomMm: 14 };

/** «3 урока», «5 уроков». */
function lessons(count: number): string {
  const lastTwo = count % 100;
  const last = count % 10;
  const word = lastTwo >= 11 && lastTwo <= 14 ? 'уроков' : last === 1 ? 'урок' : last >= 2 && last <= 4 ? 'урока' : 'уроков';
  return `${count} ${word}`;
}

export function absencesText(a: AbsenceCounts): string {
  if (a.total === 0 && a.late === 0) return 'Пропусков уроков и опозданий нет.';
  const parts = [
    a.illness > 0 ? `по болезни — ${a.illness}` : '',
    a.excused > 0 ? `по уважительной причине — ${a.excused}` : '',
    a.unexcused > 0 ? `без уважительной причины — ${a.unexcused}` : '',
    a.unresolved > 0 ? `причина не указана — ${a.unresolved}` : '',
  ].filter((p) => p !== '');
  const missed = a.total === 0 ? 'Пропусков уроков нет.' : `Пропущено ${lessons(a.total)}: ${parts.join(', ')}.`;
  return a.late > 0 ? `${missed} Опозданий: ${a.late}.` : missed;
}

function studentWord(student: StudentInfo): string {
  return student.gender === 'ж' ? 'Ученица' : student.gender === 'м' ? 'Ученик' : 'Ученик (ученица)';
}

function thresholdText(threshold: number): string {
  return String(threshold).replace('.', ',');
}

function reportPart(flow: Flow, report: StudentReport, schoolName: string, settings: { finalRoundingThreshold: number }, today: string) {
  const { student } = report;
  flow.startPart(`Отчёт об успеваемости и посещаемости · ${report.label} · ${report.className} класс`);
  const head: TextLine[] = [
    { text: schoolName, font: 'serif', size: 9, gapAfter: 4, align: 'center' },
    { text: 'Отчёт об успеваемости и посещаемости ученика', font: 'serifBold', size: 13, gapAfter: 2, align: 'center' },
    { text: `за период с ${russianDate(report.from)} по ${russianDate(report.to)}`, font: 'serif', size: 10.5, gapAfter: 8, align: 'center' },
    { text: `${studentWord(student)}: ${report.label}, ${report.className} класс`, font: 'serifBold', size: 11, gapAfter: 2 },
  ];
  if (report.enrolledFrom !== report.from || report.enrolledTo !== report.to) {
    head.push({ text: `Учтены дни обучения в классе: с ${russianDate(report.enrolledFrom)} по ${russianDate(report.enrolledTo)}.`, font: 'serifItalic', size: 10, gapAfter: 2 });
  }
  flow.text(head);
  flow.gap(6);

  const width = flow.width;
  if (report.noMarks) {
    flow.text([{ text: 'Безотметочное обучение: отметки не выставляются. Ниже — посещаемость уроков.', font: 'serif', size: 10.5, gapAfter: 6 }]);
    const spec: GridSpec = {
      columns: [
        { width: width - 200, header: 'Предмет', align: 'left', font: 'sans' },
        { width: 120, header: 'Учитель', align: 'left', font: 'sans' },
        { width: 80, header: 'Пропущено уроков', align: 'center', font: 'sans' },
      ],
      headerHeight: 22,
      size: 9,
      minSize: 7,
      minRowHeight: 14,
    };
    flow.table(spec, report.subjects.map((s) => [s.title, s.teacherName, s.absences > 0 ? String(s.absences) : '—']));
  } else {
    const periodName = report.period?.name ?? 'период';
    const fixed = 92 + 40 + 44 + 40 + 70 + 36;
    const spec: GridSpec = {
      columns: [
        { width: 92, header: 'Предмет', align: 'left', font: 'sans' },
        { width: width - fixed, header: 'Отметки: дата — отметка (вид работы)', align: 'left', font: 'sans' },
        { width: 40, header: 'Средний балл за эти дни', align: 'center', font: 'sans' },
        { width: 44, header: `Средний балл: ${periodName}`, align: 'center', font: 'sans' },
        { width: 40, header: 'Прогноз отметки', align: 'center', font: 'sans' },
        { width: 70, header: 'Итоговые отметки', align: 'left', font: 'sans' },
        { width: 36, header: 'Пропуски', align: 'center', font: 'sans' },
      ],
      headerHeight: 34,
      size: 8.5,
      minSize: 6.5,
      minRowHeight: 14,
      linesBeforeShrink: 8,
    };
    const rows = report.subjects.map((s) => [
      s.title,
      s.marks.length === 0 ? '—' : s.marks.map((m) => `${shortDate(m.date)} — ${m.value} (${m.workType})`).join('; '),
      s.rangeAverage || '—',
      s.periodAverage || '—',
      s.forecast === null ? '—' : s.atRisk ? `${s.forecast} (!)` : s.forecast,
      s.finals || '—',
      s.absences > 0 ? String(s.absences) : '—',
    ]);
    flow.table(spec, rows, (i) => report.subjects[i]!.atRisk);
    flow.gap(6);
    const risky = report.subjects.filter((s) => s.atRisk).map((s) => s.title);
    const notes: TextLine[] = [];
    if (risky.length > 0) {
      notes.push({ text: `Внимание: есть риск неудовлетворительной отметки за ${periodName} — ${risky.join(', ')} (отмечено «!»).`, font: 'serifBold', size: 10, gapAfter: 4 });
    }
    notes.push({
      text: `Средний балл — взвешенный по видам работ. Прогноз — средний балл с начала периода «${periodName}» по ${russianDate(report.to)}, округлённый по правилу школы (дробная часть от ${thresholdText(settings.finalRoundingThreshold)} — в большую сторону); итоговую отметку выставляет учитель.`,
      font: 'serifItalic',
      size: 8.5,
      gapAfter: 4,
    });
    flow.text(notes);
  }
  flow.gap(4);
  flow.text([{ text: `Посещаемость: ${absencesText(report.absences)}`, font: 'serif', size: 10.5, gapAfter: 10 }]);
  flow.signature('Классный руководитель', report.classTeacherName);
  flow.text([{ text: `Дата: ${russianDate(today)}`, font: 'serif', size: 10, gapAfter: 6 }]);
  flow.tearOffStrip([
    { text: `${report.label}, ${report.className} класс. Отчёт об успеваемости и посещаемости за период с ${russianDate(report.from)} по ${russianDate(report.to)}.`, font: 'serif', size: 9.5, gapAfter: 8 },
    { text: 'С отчётом ознакомлен(а): ____________________ (подпись)   «__» ______________ 20__ г.', font: 'serif', size: 11, gapAfter: 2 },
    { text: 'Талон вернуть классному руководителю.', font: 'sansItalic', size: 7.5 },
  ]);
  flow.endPart();
}

export interface ReportRequest {
  classId: number;
  from: string;
  to: string;
  studentIds?: readonly number[];
  duplex: boolean;
  now: Date;
  out?: Writable;
}

/** The report for each student of a class (or the chosen ones), one student per sheet. */
export async function printStudentReports(db: Db, request: ReportRequest): Promise<PrintedPaper> {
  const school = await readSchool(db);
  const schoolClass = await readClass(db, request.classId);
  const { from, to } = request;
  if (to < schoolClass.year.startsOn || from > schoolClass.year.endsOn) {
    throw invalid(`Период с ${russianDate(from)} по ${russianDate(to)} не входит в ${schoolClass.year.name} учебный год ${schoolClass.name} класса.`);
  }
  const data = await readClassJournal(db, school, schoolClass, readRange(schoolClass.periods, from, to));
  const reports = buildReports(data, from, to, request.studentIds ? new Set(request.studentIds) : undefined);
  if (request.studentIds && reports.length !== new Set(request.studentIds).size) {
    throw invalid(`Не все выбранные ученики учились в ${schoolClass.name} классе с ${russianDate(from)} по ${russianDate(to)}.`);
  }
  if (reports.length === 0) throw invalid(`В ${schoolClass.name} классе с ${russianDate(from)} по ${russianDate(to)} не было учеников.`);
  const today = localDate(request.now, school.timeZone);
  const single = reports.length === 1 ? reports[0]! : null;
  const title = single
    ? `Отчёт об успеваемости и посещаемости: ${single.label}, ${schoolClass.name} класс, ${russianDate(from)}–${russianDate(to)}`
    : `Отчёты об успеваемости и посещаемости учеников ${schoolClass.name} класса, ${russianDate(from)}–${russianDate(to)}`;
  const pdf = new PdfWriter({ title, subject: school.name, date: documentDate(today) }, MARGINS, request.duplex, request.out);
  const flow = new Flow(pdf, '');
  for (const report of reports) {
    reportPart(flow, report, school.name, school.settings, today);
    await pdf.drain();
  }
  const finished = await pdf.finish();
  const who = single ? `${single.student.surname} ${single.student.name}` : `${schoolClass.name} класс`;
  return {
    bytes: finished.bytes,
    sha256: finished.sha256,
    pages: finished.pages,
    sheets: sheetsFor(finished.pages, request.duplex),
    title,
    fileName: safeFileName(`Отчёт ${who} ${russianDate(from)}-${russianDate(to)}.pdf`),
    students: reports.map((r) => r.student),
    schoolClass,
  };
}

/** «переведена в 6 класс», «оставлен на повторное обучение в 5 классе». */
export function decisionSentence(decision: CouncilDecisionKind, student: StudentInfo, grade: number): string {
  const f = student.gender === 'ж';
  const m = student.gender === 'м';
  const end = (masculine: string, feminine: string, both: string) => (f ? feminine : m ? masculine : both);
  switch (decision) {
    case 'promoted':
      return `${end('переведён', 'переведена', 'переведён(а)')} в ${grade + 1} класс`;
    case 'promotedConditionally':
      return `${end('переведён', 'переведена', 'переведён(а)')} в ${grade + 1} класс условно (с академической задолженностью)`;
    case 'retained':
      return `${end('оставлен', 'оставлена', 'оставлен(а)')} на повторное обучение в ${grade} классе`;
    case 'graduated':
      return `${end('окончил', 'окончила', 'окончил(а)')} обучение и ${end('выпущен', 'выпущена', 'выпущен(а)')} из школы`;
  }
}

export interface CouncilRecord {
  studentId: number;
  decision: CouncilDecisionKind;
  protocolDate: string;
  protocolNumber: string;
}

export async function councilDecisionsOfClass(db: Db, schoolClass: ClassInfo): Promise<Map<number, CouncilRecord>> {
  const rows = await db
    .selectFrom('council_decision')
    .select(['student_id', 'decision', 'protocol_date', 'protocol_number'])
    .where('year_id', '=', schoolClass.year.id)
    .where('class_id', '=', schoolClass.id)
    .execute();
  return new Map(
    rows
      .filter((r): r is typeof r & { decision: CouncilDecisionKind } => r.decision in councilDecisionTitles)
      .map((r) => [r.student_id, { studentId: r.student_id, decision: r.decision, protocolDate: r.protocol_date, protocolNumber: r.protocol_number }]),
  );
}

export interface LettersRequest {
  classId: number;
  period: { id: number } | 'year';
  studentIds?: readonly number[];
  duplex: boolean;
  now: Date;
  out?: Writable;
}

/** The results letter after the finals (003 App.2 §4): one per student, batch per class. */
export async function printResultsLetters(db: Db, request: LettersRequest): Promise<PrintedPaper> {
  const school = await readSchool(db);
  const schoolClass = await readClass(db, request.classId);
  const period: PeriodInfo | 'year' = resolvePeriod(schoolClass, request.period);
  const range = period === 'year' ? { from: schoolClass.year.startsOn, to: schoolClass.year.endsOn } : { from: period.startsOn, to: period.endsOn };
  const data = await readClassJournal(db, school, schoolClass, range);
  const wanted = request.studentIds ? new Set(request.studentIds) : null;
  const students = data.students.filter((s) => !wanted || wanted.has(s.id));
  if (wanted && students.length !== wanted.size) throw invalid(`Не все выбранные ученики учились в ${schoolClass.name} классе в этот период.`);
  if (students.length === 0) throw invalid(`В ${schoolClass.name} классе в этот период не было учеников.`);
  const labels = printedStudentLabels(data.students, range.from, range.to);
  const council = period === 'year' ? await councilDecisionsOfClass(db, schoolClass) : new Map<number, CouncilRecord>();
  const noMarks = schoolClass.noMarks || schoolClass.grade <= 1;
  const kinds = new Set(data.finals.map((f) => f.kind));
  const columns = finalColumns(schoolClass.periods, period, kinds);
  const subjects = subjectFinals(data, columns);
  const lessonById = new Map(data.lessons.map((l) => [l.id, l]));
  const today = localDate(request.now, school.timeZone);
  const what = periodLabel(schoolClass, period);
  const title = `Итоги: ${what}, ${schoolClass.name} класс`;
  const pdf = new PdfWriter({ title, subject: school.name, date: documentDate(today) }, MARGINS, request.duplex, request.out);
  const flow = new Flow(pdf, '');

  for (const student of students) {
    const label = labels.get(student.id)!;
    flow.startPart(`Итоги: ${what} · ${label} · ${schoolClass.name} класс`);
    flow.text([
      { text: school.name, font: 'serif', size: 9, gapAfter: 10, align: 'center' },
      { text: `Об итогах: ${what}`, font: 'serifBold', size: 13, gapAfter: 12, align: 'center' },
      { text: `Уважаемые родители (законные представители)!`, font: 'serif', size: 11, gapAfter: 6, align: 'center' },
      { text: `Сообщаем итоги обучения: ${studentWord(student).toLowerCase()} ${label}, ${schoolClass.name} класс.`, font: 'serif', size: 11, gapAfter: 8 },
    ]);
    if (noMarks) {
      flow.text([{ text: 'Безотметочное обучение: итоговые отметки не выставляются.', font: 'serif', size: 11, gapAfter: 8 }]);
    } else {
      const rows = subjects
        .map((subject) => [subject.subjectName, ...subject.columns.map((c) => (c.values.get(student.id) ?? '—').replace('отср.', 'отсрочена'))]);
      const rest = flow.width - 180;
      const each = Math.max(40, Math.min(70, rest / Math.max(1, columns.length)));
      const spec: GridSpec = {
        columns: [{ width: flow.width - each * columns.length, header: 'Предмет', align: 'left', font: 'sans' }, ...columns.map((c) => ({ width: each, header: c.label, align: 'center' as const, font: 'sans' as const }))],
        headerHeight: 24,
        size: 9.5,
        minSize: 7,
        minRowHeight: 15,
      };
      if (rows.length > 0) flow.table(spec, rows);
      else flow.text([{ text: 'Итоговые отметки ещё не выставлены.', font: 'serifItalic', size: 10.5 }]);
      flow.gap(8);
    }
    const absences: AbsenceCounts = { total: 0, illness: 0, excused: 0, unexcused: 0, unresolved: 0, late: 0 };
    for (const row of data.attendance) {
      if (row.studentId !== student.id || !lessonById.has(row.lessonId)) continue;
      if (row.code === 'ОП') absences.late += 1;
      else if (isAbsence(row.code)) {
        absences.total += 1;
        if (row.code === 'Б') absences.illness += 1;
        else if (row.code === 'УП') absences.excused += 1;
        else if (row.code === 'НП') absences.unexcused += 1;
        else absences.unresolved += 1;
      }
    }
    flow.text([{ text: `Посещаемость: ${absencesText(absences)}`, font: 'serif', size: 10.5, gapAfter: 8 }]);
    if (period === 'year') {
      const decision = council.get(student.id);
      flow.text([
        decision
          ? {
              text: `Решением педагогического совета от ${russianDate(decision.protocolDate)} (протокол № ${decision.protocolNumber}) ${studentWord(student).toLowerCase()} ${decisionSentence(decision.decision, student, schoolClass.grade)}.`,
              font: 'serifBold',
              size: 11,
              gapAfter: 10,
            }
          : { text: 'Решение педагогического совета: ________________________________________________', font: 'serif', size: 11, gapAfter: 10 },
      ]);
    }
    flow.gap(8);
    flow.signature('Классный руководитель', schoolClass.classTeacherName);
    flow.signature('Директор', school.directorName);
    flow.text([{ text: `Дата: ${russianDate(today)}`, font: 'serif', size: 10 }]);
    flow.endPart();
    await pdf.drain();
  }
  const finished = await pdf.finish();
  return {
    bytes: finished.bytes,
    sha256: finished.sha256,
    pages: finished.pages,
    sheets: sheetsFor(finished.pages, request.duplex),
    title,
    fileName: safeFileName(`Итоги ${schoolClass.name} ${what}.pdf`),
    students,
    schoolClass,
  };
}

