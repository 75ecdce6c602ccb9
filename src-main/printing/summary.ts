import type { Writable } from 'node:stream';
import type { Db } from '../store/database';
import { localDate } from '../../src-shared/rules/dates';
import { datedNote, documentDate, drawCertificationText, drawRecordLines, historyAnchor, notFinal, safeFileName, type PrintedDocument, type PrintOccasion } from './class-journal';
import { drawFurniture, titleBlock, type PlannedPage } from './layout';
import type { CouncilDecisionKind } from '../../src-shared/contract/extracts';
import { archiveReadiness, finalColumns, printedStudentLabels, russianDate, shortName, subjectFinals } from './model';
import { sheetsPhrase } from './russian-numbers';
import { MM, PdfWriter } from './pdf';
import { classesOfYear, readClass, readClassJournal, readPrintSettings, readSchool, readYear, type ClassInfo, type SchoolInfo, type StudentInfo } from './repository';
import { planStudentGrid } from './student-grid';

// The yearly summary sheet of marks («Сводная ведомость учета успеваемости», D-35: kept
// 25 years; D-36: to the archive): students × subjects, the period finals and the year's,
// per class or for the whole school. Its own PDF, A4 landscape.

export type SummaryScope = { classId: number } | { yearId: number };

export interface SummaryRequest extends PrintOccasion {
  scope: SummaryScope;
  bindingMarginMm?: number;
  out?: Writable;
}

interface ClassPart {
  pages: PlannedPage[];
  className: string;
  missing: string[];
  latestChange: string | null;
}

/**
 * The council's decisions on the class (D-14) as the summary sheet records them; a blank
 * line to fill in by hand while none is entered.
 */
async function councilLine(db: Db, schoolClass: ClassInfo, students: readonly StudentInfo[], labels: ReadonlyMap<number, string>): Promise<string> {
  const rows = await db
    .selectFrom('council_decision')
    .select(['student_id', 'decision', 'protocol_date', 'protocol_number'])
    .where('class_id', '=', schoolClass.id)
    .where('year_id', '=', schoolClass.year.id)
    .execute();
  if (rows.length === 0) return 'Решение педагогического совета о переводе: от «____» ______________ 20____ г., протокол № ______';
  const order = new Map(students.map((s, i) => [s.id, i]));
  const protocols = new Map<string, typeof rows>();
  for (const row of rows) {
    const key = `${row.protocol_date}\u0000${row.protocol_number}`;
    protocols.set(key, [...(protocols.get(key) ?? []), row]);
  }
  const groups: Array<[CouncilDecisionKind, string, boolean]> = [
    ['promoted', `переведены в ${schoolClass.grade + 1} класс`, false],
    ['promotedConditionally', 'переведены условно', true],
    ['retained', 'оставлены на повторное обучение', true],
    ['graduated', 'выпущены', false],
  ];
  const parts = [...protocols.values()]
    .sort((a, b) => (a[0]!.protocol_date < b[0]!.protocol_date ? -1 : 1))
    .map((list) => {
      const counts = groups
        .map(([kind, words, named]) => {
          const of = list.filter((r) => r.decision === kind).sort((a, b) => (order.get(a.student_id) ?? 0) - (order.get(b.student_id) ?? 0));
          if (of.length === 0) return '';
          return `${words} — ${of.length}${named ? ` (${of.map((r) => labels.get(r.student_id) ?? '').join(', ')})` : ''}`;
        })
        .filter((t) => t !== '');
      return `от ${russianDate(list[0]!.protocol_date)}, протокол № ${list[0]!.protocol_number}: ${counts.join(', ')}`;
    });
  const missing = students.filter((s) => !rows.some((r) => r.student_id === s.id) && (s.departedOn === null || s.departedOn >= schoolClass.year.endsOn)).length;
  return `Решение педагогического совета ${parts.join('; ')}${missing > 0 ? `; решение не внесено — ${missing}` : ''}.`;
}

async function classPages(db: Db, pdf: PdfWriter, school: SchoolInfo, classId: number, today: string, caseIndex: string): Promise<ClassPart> {
  const schoolClass = await readClass(db, classId);
  const range = { from: schoolClass.year.startsOn, to: schoolClass.year.endsOn };
  const data = await readClassJournal(db, school, schoolClass, range, undefined, 'finals');
  const readiness = archiveReadiness(data, 'year', today);
  const labels = printedStudentLabels(data.students, range.from, range.to);
  const header = `Сводная ведомость учета успеваемости · ${schoolClass.name} класс · ${schoolClass.year.name} учебный год`;
  const title = [
    { text: school.name, font: 'serif' as const, size: 9, gapAfter: 2, align: 'center' as const },
    { text: `Сводная ведомость учета успеваемости учащихся ${schoolClass.name} класса`, font: 'serifBold' as const, size: 13, gapAfter: 1, align: 'center' as const },
    { text: `за ${schoolClass.year.name} учебный год · Срок хранения — 25 лет${caseIndex ? ` · Индекс дела: ${caseIndex}` : ''}`, font: 'serif' as const, size: 10, align: 'center' as const },
  ];
  const council = { text: await councilLine(db, schoolClass, data.students, labels), font: 'serif' as const, size: 10, gapAfter: 10 };
  if (schoolClass.noMarks || schoolClass.grade <= 1) {
    // Grades 0–1 learn without marks: a note in place of an empty grid.
    const note: PlannedPage = {
      header,
      draw(writer, frame) {
        const y = frame.top + titleBlock(writer, title, frame.left, frame.top, frame.width, true) + 30;
        titleBlock(
          writer,
          [
            { text: `Безотметочное обучение: в ${schoolClass.name} классе отметки не выставляются, сводная ведомость отметок не ведётся.`, font: 'serif', size: 12, gapAfter: 20, align: 'center' },
            { text: `Учащихся в классе за год: ${data.students.length}.`, font: 'serif', size: 11, gapAfter: 30, align: 'center' },
            council,
          ],
          frame.left,
          y,
          frame.width,
          true,
        );
      },
    };
    return { pages: [note], className: schoolClass.name, missing: readiness.missing, latestChange: data.latestChange };
  }
  // Grades 9 and 11 end with the state exams: their columns are there before any mark is.
  const kinds = new Set(data.finals.map((f) => f.kind));
  if (schoolClass.grade === 9 || schoolClass.grade === 11) {
    kinds.add('exam');
    kinds.add('final');
  }
  const columns = finalColumns(schoolClass.periods, 'year', kinds);
  const subjects = subjectFinals(data, columns);
  const pages = planStudentGrid(pdf, {
    strikeEmpty: true,
    title,
    students: data.students.map((s) => ({ id: s.id, label: labels.get(s.id)! })),
    groups: subjects.map((s) => ({ label: s.subjectName, columns: s.columns.map((c) => ({ label: c.label, values: c.values })) })),
    header,
    columnWidth: 16,
    footer: [
      council,
      { text: `Классный руководитель ____________________ ${schoolClass.classTeacherName ? shortName(schoolClass.classTeacherName) : ''}`, font: 'serif', size: 10, gapAfter: 10 },
      { text: `Директор ____________________ ${school.directorName ? shortName(school.directorName) : ''}          М.П.`, font: 'serif', size: 10 },
    ],
  });
  return { pages, className: schoolClass.name, missing: readiness.missing, latestChange: data.latestChange };
}

/** The yearly summary sheet for one class or, given a year, for every class of the school. */
export async function printYearSummary(store: { db: Db }, request: SummaryRequest): Promise<PrintedDocument & { yearId: number }> {
  const db = store.db;
  const school = await readSchool(db);
  const wholeSchool = 'yearId' in request.scope;
  const year = 'yearId' in request.scope ? await readYear(db, request.scope.yearId) : (await readClass(db, request.scope.classId)).year;
  const classIds = 'yearId' in request.scope ? (await classesOfYear(db, request.scope.yearId)).map((c) => c.id) : [request.scope.classId];
  const title = wholeSchool
    ? `Сводная ведомость учета успеваемости за ${year.name} учебный год`
    : `Сводная ведомость учета успеваемости, ${year.name}`;
  const today = localDate(request.now ?? new Date(), school.timeZone);
  const caseIndex = (await readPrintSettings(db)).summaryCaseIndex;
  const pdf = new PdfWriter(
    { title, subject: school.name, date: documentDate(today) },
    { bindingMm: request.bindingMarginMm ?? 20, outerMm: 10, topMm: 14, bottomMm: 14 },
    false,
    request.out,
    'landscape',
  );
  const planned: PlannedPage[] = [];
  const classNames: string[] = [];
  const missing: string[] = [];
  let latestChange: string | null = null;
  const certifications: Array<{ page: PlannedPage; className: string; sheets: number }> = [];
  for (const classId of classIds) {
    const part = await classPages(db, pdf, school, classId, today, caseIndex);
    classNames.push(part.className);
    if (part.missing.length > 0) missing.push(`${part.className} класс: ${part.missing.join('; ')}`);
    if (part.latestChange !== null && (latestChange === null || part.latestChange > latestChange)) latestChange = part.latestChange;
    planned.push(...part.pages);
    // D-35: each class's sheets are certified on their own (its sheets and this one).
    const sheets = part.pages.length + 1;
    const certification: PlannedPage = {
      header: part.pages[0]?.header ?? '',
      draw(writer, frame) {
        drawCertificationText(writer, frame, {
          statement: `В сводной ведомости учета успеваемости учащихся ${part.className} класса за ${year.name} учебный год пронумеровано, прошнуровано и скреплено печатью ${sheetsPhrase(sheets)}.`,
          detail: `Печать односторонняя: ${sheets} стр., по одной на листе. Срок хранения — 25 лет.`,
          directorName: school.directorName,
        });
        drawRecordLines(writer, frame, logNumber, pdf.fingerprintOfPreviousPages(), history, school.timeZone);
      },
    };
    certifications.push({ page: certification, className: part.className, sheets });
    planned.push(certification);
  }
  if (request.final && missing.length > 0) throw notFinal(title, missing);
  const history = await historyAnchor(db, latestChange);
  const preliminary = missing.length > 0;
  if (wholeSchool) {
    planned.unshift({
      header: '',
      draw(writer, frame) {
        titleBlock(
          writer,
          [
            { text: school.name, font: 'serifBold', size: 14, gapAfter: 30, align: 'center' },
            { text: 'СВОДНАЯ ВЕДОМОСТЬ УЧЕТА УСПЕВАЕМОСТИ УЧАЩИХСЯ', font: 'serifBold', size: 22, gapAfter: 10, align: 'center' },
            { text: `за ${year.name} учебный год`, font: 'serif', size: 14, gapAfter: 20, align: 'center' },
            { text: `Классы: ${classNames.join(', ') || 'нет классов'}`, font: 'serif', size: 11, gapAfter: 8, align: 'center' },
            { text: 'Срок хранения — 25 лет.', font: 'serifItalic', size: 10, align: 'center' },
          ],
          frame.left,
          frame.top + 40 * MM,
          frame.width,
          true,
        );
        titleBlock(writer, [{ text: datedNote(today, latestChange, school.timeZone), font: 'sansItalic', size: 8, align: 'center' }], frame.left, frame.top + frame.height - 12, frame.width, true);
      },
    });
  }
  const total = planned.length;
  let logNumber: number | null = null;
  let fingerprint = '';
  for (const page of planned) {
    const frame = pdf.newPage();
    if (certifications.some((c) => c.page === page)) {
      // Asked once, at the first certification: every one of them names the same record.
      if (logNumber === null && request.logNumber) logNumber = await request.logNumber();
      fingerprint = pdf.fingerprintOfPreviousPages();
    }
    drawFurniture(pdf, frame, page.header, total, preliminary);
    page.draw(pdf, frame);
    await pdf.drain();
  }
  const finished = await pdf.finish();
  const who = wholeSchool ? 'школа' : (classNames[0] ?? '');
  return {
    bytes: finished.bytes,
    sha256: finished.sha256,
    pages: finished.pages,
    sheets: finished.pages,
    preliminary,
    missing,
    fingerprint,
    historyAt: history?.at ?? null,
    title,
    fileName: safeFileName(`Сводная ведомость ${who} ${year.name}.pdf`),
    yearId: year.id,
  };
}
