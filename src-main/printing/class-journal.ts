import type { Writable } from 'node:stream';
import { headsFingerprint, readHeadsAt } from '../audit/anchors';
import { invalid, notFound } from '../core/errors';
import type { Db } from '../store/database';
import { drawFurniture, drawGrid, PRELIMINARY_BANNER, fitRow, gridHeaderHeight, splitRows, titleBlock, type ColumnSpec, type FittedRow, type GridSpec, type GroupSpec, type PlannedPage } from './layout';
import {
  absencesByMonth,
  archiveReadiness,
  buildSections,
  finalColumns,
  monthName,
  russianDate,
  shortDate,
  shortName,
  printedStudentLabels,
  NOT_ENROLLED,
  subjectFinals,
  type SectionModel,
} from './model';
import { attendanceCodes, attendanceTitles } from '../../src-shared/rules/attendance';
import { localDate, localDateTime } from '../../src-shared/rules/dates';
import { specialMarks, specialMarkTitles } from '../../src-shared/rules/marks';
import { fit, lineHeight, MM, PdfWriter, type FinishedPdf, type Frame } from './pdf';
import { readClass, readClassJournal, readPrintSettings, readSchool, type ClassInfo, type LessonInfo, type PeriodInfo } from './repository';
import { sheetsPhrase } from './russian-numbers';
import { planStudentGrid } from './student-grid';
import { plural } from '../../src-shared/rules/plural';

/** Which part of the year: a study period by id, by its number in the year, or the whole year. */
export type PeriodChoice = { id: number } | { number: number } | 'year';

export interface JournalPrintOptions {
  /** Two-sided printing: the sheet count is half the pages, the binding margin alternates sides. */
  duplex: boolean;
  /** The margin on the sewn edge, mm. */
  bindingMarginMm: number;
  /** Only these teaching assignments (a teacher's own subject pages); all when absent. */
  loadIds?: readonly number[];
  /** Namesakes told apart by birth date (false for a subject teacher's pages, 152-ФЗ); true when absent. */
  birthDates?: boolean;
  /** The case index in the school's nomenclature of files; read from the print settings when absent. */
  caseIndex?: string;
}

export const defaultJournalPrintOptions: JournalPrintOptions = { duplex: false, bindingMarginMm: 20 };

export interface PrintedDocument {
  /** The PDF, unless it was streamed to `out`. */
  bytes: Buffer | null;
  sha256: string;
  pages: number;
  /** Sheets of paper: pages when simplex, half of them (rounded up) when duplex. */
  sheets: number;
  title: string;
  fileName: string;
  /** Marked «ПРЕДВАРИТЕЛЬНАЯ ВЕРСИЯ — не для архива» on every page; `missing` says why. */
  preliminary: boolean;
  missing: string[];
  /** Printed on the certification page: 16 hex digits of the SHA-256 of the pages before it. */
  fingerprint: string;
  /** The moment whose audit heads the certification page shows (the latest change printed). */
  historyAt: string | null;
}

/** The history's anchor on paper (D-26): the audit heads as of the latest change printed. */
export interface HistoryAnchor {
  at: string;
  fingerprint: string;
}

export async function historyAnchor(db: Db, latestChange: string | null): Promise<HistoryAnchor | null> {
  return latestChange === null ? null : { at: latestChange, fingerprint: headsFingerprint(await readHeadsAt(db, latestChange)) };
}

/** What a print is made for: when, whether only the archive copy will do, its print-log number. */
export interface PrintOccasion {
  /** The moment of printing (the clock); its school-local date is the document's date. */
  now?: Date;
  /** Refuse (with what is missing) rather than print a preliminary version. */
  final?: boolean;
  /** Reserves the print-log entry, asked once the print is known to go ahead; printed on the certification page. */
  logNumber?: () => Promise<number>;
}

/** The refusal of a final print: what is missing, in Russian. */
export function notFinal(what: string, missing: readonly string[]) {
  return invalid(`${what} нельзя распечатать для архива: ${missing.join('; ')}. Можно распечатать предварительную версию.`);
}

/** 'YYYY-MM-DDTHH:MM…' (UTC) → «27.10.2025 в 09:15» on the school's clock. */
export function russianMoment(iso: string, timeZone: string): string {
  const local = localDateTime(new Date(iso), timeZone);
  return `${russianDate(local.slice(0, 10))} в ${local.slice(11, 16)}`;
}

/** The title page's line on when the document was made and what it shows. */
export function datedNote(today: string, latestChange: string | null, timeZone: string): string {
  const data = latestChange === null ? 'записей в журнале нет' : `данные по состоянию на ${russianMoment(latestChange, timeZone)} (последнее внесённое изменение)`;
  return `Документ сформирован ${russianDate(today)}; ${data}.`;
}

export function sheetsFor(pages: number, duplex: boolean): number {
  return duplex ? Math.ceil(pages / 2) : pages;
}

/** '2025/2026' cannot be in a file name. */
export function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|]+/g, '-').replace(/\s+/g, ' ').trim();
}

export function resolvePeriod(schoolClass: ClassInfo, choice: PeriodChoice): PeriodInfo | 'year' {
  if (choice === 'year') return 'year';
  if ('id' in choice) {
    const found = schoolClass.periods.find((p) => p.id === choice.id);
    if (!found) throw invalid(`Этот учебный период не относится к ${schoolClass.name} классу (${schoolClass.year.name}).`);
    return found;
  }
  const kind = schoolClass.periods[0]?.kind;
  const found = schoolClass.periods.find((p) => p.kind === kind && p.number === choice.number);
  if (!found) {
    const numbers = schoolClass.periods.map((p) => p.number).join(', ') || 'нет периодов';
    throw notFound(`В ${schoolClass.year.name} учебном году для ${schoolClass.name} класса нет периода № ${choice.number} (есть: ${numbers}).`);
  }
  return found;
}

export function periodRange(schoolClass: ClassInfo, period: PeriodInfo | 'year'): { from: string; to: string } {
  return period === 'year' ? { from: schoolClass.year.startsOn, to: schoolClass.year.endsOn } : { from: period.startsOn, to: period.endsOn };
}

export function periodLabel(schoolClass: ClassInfo, period: PeriodInfo | 'year'): string {
  return period === 'year' ? `${schoolClass.year.name} учебный год` : `${period.name} ${schoolClass.year.name} учебного года`;
}

/** The PDF's dates: the school-local day it was made, at midnight, so one day's prints of the same data are the same bytes. */
export function documentDate(today: string): Date {
  return new Date(`${today}T00:00:00.000Z`);
}

const NUMBER_WIDTH = 16;
const SIGNATURE_HEIGHT = 30;

/** «Учитель ____________ Петров И. И.» with «(подпись)» under the line. */
function drawSignatureLine(writer: PdfWriter, x: number, y: number, role: string, fullName: string) {
  writer.line(role, x, y + 6, 'sans', 9);
  const roleWidth = writer.width(role, 'sans', 9) + 8;
  writer.strokeLines([[x + roleWidth, y + 16, x + roleWidth + 120, y + 16]], 0.6);
  writer.line('(подпись)', x + roleWidth, y + 18, 'sans', 6.5, { width: 120, align: 'center', color: '#444444' });
  writer.line(shortName(fullName), x + roleWidth + 128, y + 6, 'sans', 9);
}

/** The key to the codes on the contents page: attendance codes, special marks, what the print itself adds. */
const CODE_KEY: ReadonlyArray<readonly [string, string]> = [
  ...attendanceCodes.map((code) => [code, attendanceTitles[code]] as const),
  ...specialMarks.map((mark) => [mark, specialMarkTitles[mark]] as const),
  ['отср.', 'итоговая отметка отсрочена'],
  [NOT_ENROLLED, 'учащийся в этот день не числился в классе (до прибытия или после выбытия)'],
];

/** «на 19 листах», «на 21 листе». */
function onSheets(sheets: number): string {
  return `на ${sheets} ${plural(sheets, 'листе', 'листах', 'листах')}`;
}
/** About 5 mm, as the paper journal's columns: at least 25 dates beside the names on an A4 portrait page. */
const MIN_DATE_WIDTH = 14;
const MAX_DATE_WIDTH = 27;
const AVERAGE_WIDTH = 24;
const FINAL_WIDTH = 22;
const SIZES = [8, 7.5, 7, 6.5];

interface ContentsEntry {
  title: string;
  detail: string;
  page: number;
}

/**
 * Plans a subject's spreads: for each run of lesson dates, the marks and attendance page
 * (students down, dates across) and, facing it, the lessons page (date, topic, homework,
 * teacher). Runs are as long as both pages allow.
 */
function planSection(pdf: PdfWriter, section: SectionModel, context: { labels: ReadonlyMap<number, string>; header: string; showMarks: boolean; periodText: string }): Array<{ marks: PlannedPage[]; lessons: PlannedPage[] }> {
  const width = pdf.contentWidth;
  const studentLabels = section.students.map((s) => context.labels.get(s.id) ?? `${s.surname} ${s.name}`);
  const widest = studentLabels.reduce((max, label) => Math.max(max, pdf.width(label, 'narrow', 8)), 0);
  const nameWidth = Math.min(Math.max(widest + 6, 95), 130);
  const tail = context.showMarks ? AVERAGE_WIDTH + section.finals.length * FINAL_WIDTH : 0;
  const fixed = NUMBER_WIDTH + nameWidth;
  const maxFull = Math.max(1, Math.floor((width - fixed) / MIN_DATE_WIDTH));
  const maxLast = Math.max(1, Math.floor((width - fixed - tail) / MIN_DATE_WIDTH));
  const teacher = `Учитель: ${section.load.teacherName}`;
  const marksTitle = [
    { text: section.title, font: 'sansBold' as const, size: 11, gapAfter: 1 },
    { text: `${teacher} · Учет успеваемости и посещаемости · ${context.periodText}`, font: 'sans' as const, size: 8 },
  ];
  const lessonsTitle = [
    { text: section.title, font: 'sansBold' as const, size: 11, gapAfter: 1 },
    { text: `${teacher} · Что пройдено на уроке, домашнее задание · ${context.periodText}`, font: 'sans' as const, size: 8 },
  ];
  const marksTitleHeight = titleBlock(pdf, marksTitle, 0, 0, width, false) + 5;
  const lessonsTitleHeight = titleBlock(pdf, lessonsTitle, 0, 0, width, false) + 5;

  // Lesson pages: the largest font at which a run of lessons fits one page.
  const topicWidth = width - 34 - 140 - 92;
  const lessonSpec = (size: number): GridSpec => ({
    columns: [
      { width: 34, header: 'Дата', align: 'center', font: 'sans' },
      { width: topicWidth, header: 'Что пройдено на уроке', align: 'left', font: 'sans' },
      { width: 140, header: 'Домашнее задание', align: 'left', font: 'sans' },
      { width: 92, header: 'Учитель', align: 'left' },
    ],
    headerHeight: 16,
    size,
    minSize: size,
    minRowHeight: 14,
    linesBeforeShrink: 99,
  });
  // Every lessons page keeps room at its foot for the teacher's signature (drawn on the subject's last one).
  const lessonAvailable = pdf.contentHeight - lessonsTitleHeight - gridHeaderHeight(lessonSpec(8)) - SIGNATURE_HEIGHT;
  const lessonRow = (lesson: LessonInfo, spec: GridSpec) =>
    fitRow(pdf, spec, [
      shortDate(lesson.date),
      lesson.topic,
      lesson.homework,
      lesson.substitution ? `замена: ${lesson.givenByName}` : shortName(lesson.givenByName),
    ]);
  function fitLessons(lessons: readonly LessonInfo[]): { spec: GridSpec; rows: FittedRow[] } | null {
    for (const size of SIZES) {
      const spec = lessonSpec(size);
      const rows = lessons.map((lesson) => lessonRow(lesson, spec));
      if (rows.reduce((s, r) => s + r.height, 0) <= lessonAvailable) return { spec, rows };
    }
    return null;
  }

  // Runs of dates, filled like the paper journal's pages: as many dates as the marks page
  // holds (the last one also has the average and finals), each run shortened only when its
  // lessons would not fit the facing page.
  const runs: LessonInfo[][] = [];
  let at = 0;
  while (at < section.lessons.length) {
    const left = section.lessons.length - at;
    // More than the last page holds: this page takes what it can, leaving the rest (at least one) for the last.
    let size = left <= maxLast ? left : Math.min(maxFull, left - 1);
    while (size > 1 && !fitLessons(section.lessons.slice(at, at + size))) size -= 1;
    runs.push(section.lessons.slice(at, at + size));
    at += size;
  }
  if (runs.length === 0) runs.push([]);

  return runs.map((run, runIndex) => {
    const isLast = runIndex === runs.length - 1;
    const dateWidth = run.length === 0 ? MAX_DATE_WIDTH : Math.min(MAX_DATE_WIDTH, (width - fixed - (isLast ? tail : 0)) / run.length);
    const columns: ColumnSpec[] = [
      { width: NUMBER_WIDTH, header: '№', align: 'center' },
      { width: nameWidth, header: 'Фамилия, имя учащегося', align: 'left' },
      ...run.map((lesson) => ({ width: dateWidth, header: String(Number(lesson.date.slice(8, 10))), align: 'center' as const })),
    ];
    const groups: GroupSpec[] = [];
    run.forEach((lesson, i) => {
      const month = lesson.date.slice(0, 7);
      const last = groups[groups.length - 1];
      if (last && run[last.from - 2]!.date.slice(0, 7) === month) last.span += 1;
      else groups.push({ label: monthName(Number(month.slice(5, 7))), from: i + 2, span: 1 });
    });
    if (isLast && context.showMarks) {
      columns.push({ width: AVERAGE_WIDTH, header: 'Средний балл', align: 'center' });
      for (const final of section.finals) columns.push({ width: FINAL_WIDTH, header: final.label, align: 'center', rotated: final.label.length > 6 });
    }
    const rowValues = section.students.map((student, i) => {
      const values = [String(i + 1), studentLabels[i]!, ...run.map((lesson) => section.cells.get(lesson.id)?.get(student.id) ?? '')];
      if (isLast && context.showMarks) {
        values.push(section.averages.get(student.id) ?? '', ...section.finals.map((f) => f.values.get(student.id) ?? ''));
      }
      return values;
    });
    // The largest cell font at which every student fits one page; else rows continue.
    let spec: GridSpec = { columns, groups, groupRowHeight: 12, headerHeight: isLast && context.showMarks ? 34 : 12, size: 8, minSize: 5.5, minRowHeight: 13 };
    let rows: FittedRow[] = [];
    const marksAvailable = () => pdf.contentHeight - marksTitleHeight - gridHeaderHeight(spec);
    for (const size of SIZES) {
      spec = { ...spec, size, minSize: Math.min(size, 5.5), minRowHeight: Math.max(11, size * 1.6) };
      rows = rowValues.map((values) => fitRow(pdf, spec, values));
      if (rows.reduce((s, r) => s + r.height, 0) <= marksAvailable()) break;
    }
    const marksPages: PlannedPage[] = splitRows(rows, marksAvailable()).map((pageRows) => ({
      header: context.header,
      draw(writer: PdfWriter, frame: Frame) {
        const top = frame.top + titleBlock(writer, marksTitle, frame.left, frame.top, frame.width, true) + 5;
        drawGrid(writer, spec, pageRows, frame.left, top);
      },
    }));

    const fitted = fitLessons(run);
    const lessonLayout = fitted ?? (() => {
      const spec = lessonSpec(SIZES[SIZES.length - 1]!);
      return { spec, rows: run.map((lesson) => lessonRow(lesson, spec)) };
    })();
    const lessonRuns = splitRows(lessonLayout.rows, lessonAvailable);
    const lessonPages: PlannedPage[] = lessonRuns.map((pageRows, pageIndex) => ({
      header: context.header,
      draw(writer: PdfWriter, frame: Frame) {
        const top = frame.top + titleBlock(writer, lessonsTitle, frame.left, frame.top, frame.width, true) + 5;
        const bottom = drawGrid(writer, lessonLayout.spec, pageRows, frame.left, top);
        if (run.length === 0) writer.line('В этом периоде уроков не было.', frame.left, bottom + 6, 'sansItalic', 9);
        if (isLast && pageIndex === lessonRuns.length - 1) {
          const y = bottom + (run.length === 0 ? 20 : 8);
          drawSignatureLine(writer, frame.left, y, 'Учитель', section.load.teacherName);
          // The paper journal's line under a subject: hours by the programme (КТП) against hours given.
          if (section.load.programmeHours !== null) {
            writer.line(`По программе: ${section.load.programmeHours} ч. Дано: ${section.lessons.length} ч.`, frame.left, y, 'sans', 8, { width: frame.width, align: 'right' });
          }
        }
      },
    }));
    return { marks: marksPages, lessons: lessonPages };
  });
}

/** The certification (заверительная надпись): the statement, the director's signature, М.П., the date. */
export function drawCertificationText(writer: PdfWriter, frame: Frame, text: { statement: string; detail: string; directorName: string | null }) {
  let y = frame.top + 60 * MM;
  y += titleBlock(
    writer,
    [
      { text: 'Заверительная надпись', font: 'serifBold', size: 16, gapAfter: 14, align: 'center' },
      { text: text.statement, font: 'serif', size: 13, gapAfter: 6 },
      { text: text.detail, font: 'serifItalic', size: 10, gapAfter: 30 },
    ],
    frame.left,
    y,
    frame.width,
    true,
  );
  const director = text.directorName ?? '';
  writer.line('Директор', frame.left, y, 'serif', 12);
  writer.strokeLines([[frame.left + 70, y + 13, frame.left + 210, y + 13]], 0.6);
  writer.line('(подпись)', frame.left + 70, y + 15, 'sans', 7, { width: 140, align: 'center', color: '#444444' });
  if (director) {
    const fitted = fit(writer, director, 'serif', frame.width - 230, 12, 8, 2);
    writer.lines(fitted.lines, frame.left + 225, y, 'serif', fitted.size);
  } else {
    writer.strokeLines([[frame.left + 225, y + 13, frame.left + frame.width, y + 13]], 0.6);
    writer.line('(фамилия, инициалы)', frame.left + 225, y + 15, 'sans', 7, { color: '#444444' });
  }
  y += 50;
  writer.line('М.П.', frame.left, y, 'serifBold', 12);
  y += 40;
  writer.line('«____» ________________ 20____ г.', frame.left, y, 'serif', 12);
}

/**
 * The certification's tie to its record: the print-log number and the fingerprint of the
 * pages before it, at the foot of the page.
 */
export function drawRecordLines(writer: PdfWriter, frame: Frame, logNumber: number | null, fingerprint: string, history: HistoryAnchor | null, timeZone: string) {
  const lines = [
    ...(logNumber === null ? [] : [`Номер записи в журнале печати: ${logNumber}.`]),
    `Контрольная сумма листов до этой страницы (первые 16 знаков SHA-256): ${fingerprint}.`,
    // Compared with «Журнал печати», which recomputes it: a history rewritten since differs.
    ...(history === null ? [] : [`Отпечаток журнала изменений на ${russianMoment(history.at, timeZone)}: ${history.fingerprint}.`]),
  ];
  writer.lines(lines, frame.left, frame.top + frame.height - lines.length * lineHeight(9), 'sans', 9);
}

const REMARKS_TITLE = 'Замечания по ведению журнала';

/** Ruled rows for the inspection notes: date, remark, who inspected, whether it was put right. */
function remarksPage(pdf: PdfWriter, header: string): PlannedPage {
  const width = pdf.contentWidth;
  const spec: GridSpec = {
    columns: [
      { width: 56, header: 'Дата', align: 'center' },
      { width: width - 56 - 110 - 90, header: 'Замечания и предложения проверяющего', align: 'left' },
      { width: 110, header: 'Подпись проверяющего', align: 'center' },
      { width: 90, header: 'Отметка о выполнении', align: 'center' },
    ],
    headerHeight: 24,
    size: 8,
    minSize: 8,
    minRowHeight: 30,
  };
  const titleLines = [{ text: REMARKS_TITLE, font: 'serifBold' as const, size: 14, gapAfter: 8, align: 'center' as const }];
  const titleHeight = titleBlock(pdf, titleLines, 0, 0, width, false);
  const rowCount = Math.floor((pdf.contentHeight - titleHeight - gridHeaderHeight(spec)) / spec.minRowHeight);
  const rows = Array.from({ length: rowCount }, () => fitRow(pdf, spec, ['', '', '', '']));
  return {
    header,
    draw(writer, frame) {
      drawGrid(writer, spec, rows, frame.left, frame.top + titleBlock(writer, titleLines, frame.left, frame.top, frame.width, true));
    },
  };
}

const blankPage = (header: string): PlannedPage => ({
  header,
  draw(writer, frame) {
    writer.line('Эта страница оставлена пустой.', frame.left, frame.top + frame.height / 2, 'sansItalic', 9, { width: frame.width, align: 'center', color: '#555555' });
  },
});

export interface ClassJournalRequest extends PrintOccasion {
  classId: number;
  period: PeriodChoice;
  options?: Partial<JournalPrintOptions>;
  /** Stream the PDF here (a file) instead of returning its bytes. */
  out?: Writable;
}

/**
 * The class journal for a period, laid out like the paper «классный журнал» (D-34): title,
 * contents, per subject the marks & attendance pages facing the lesson pages, the summary
 * sheets of progress and attendance, and the certification sheet that counts itself.
 * Reads only; the same data gives the same bytes.
 */
export async function printClassJournal(store: { db: Db }, request: ClassJournalRequest): Promise<PrintedDocument> {
  const options = { ...defaultJournalPrintOptions, ...request.options };
  options.caseIndex ??= (await readPrintSettings(store.db)).journalCaseIndex;
  const school = await readSchool(store.db);
  const schoolClass = await readClass(store.db, request.classId);
  const period = resolvePeriod(schoolClass, request.period);
  const range = periodRange(schoolClass, period);
  const data = await readClassJournal(store.db, school, schoolClass, range, options.loadIds);
  const history = await historyAnchor(store.db, data.latestChange);
  const label = periodLabel(schoolClass, period);
  const partial = options.loadIds !== undefined;
  const today = localDate(request.now ?? new Date(), school.timeZone);
  const readiness = archiveReadiness(data, period, today);
  if (request.final && !readiness.final) throw notFinal(`Классный журнал ${schoolClass.name} класса (${label})`, readiness.missing);
  const preliminary = !readiness.final;
  const title = `Классный журнал ${schoolClass.name} класса, ${label}`;
  const header = `Классный журнал ${schoolClass.name} класса · ${label}`;
  const pdf = new PdfWriter(
    { title, subject: school.name, date: documentDate(today) },
    { bindingMm: options.bindingMarginMm, outerMm: 10, topMm: 14, bottomMm: 14 },
    options.duplex,
    request.out,
  );

  const showMarks = !schoolClass.noMarks;
  const sections = buildSections(data, period);
  const labels = printedStudentLabels(data.students, range.from, range.to, { birthDates: options.birthDates ?? true });
  const periodText = period === 'year' ? `${schoolClass.year.name} учебный год` : `${period.name} (${russianDate(period.startsOn)} – ${russianDate(period.endsOn)})`;

  // --- Plan every page first: contents and the sheet count need the final numbers.
  const body: PlannedPage[] = [];
  const entries: ContentsEntry[] = [];
  // Page numbers in `body` are offset by the title and contents pages once those are known.
  const bodyStarts: Array<{ entry: ContentsEntry; index: number }> = [];
  const sectionPlans = sections.map((section) => planSection(pdf, section, { labels, header, showMarks, periodText }));

  const contentsTitleLines = [{ text: 'Содержание', font: 'serifBold' as const, size: 16, gapAfter: 8 }];
  const entryTitles: Array<{ title: string; detail: string }> = [
    ...sections.map((s) => ({ title: s.title, detail: s.load.teacherName })),
    ...(partial ? [] : [
      { title: REMARKS_TITLE, detail: '' },
      ...(showMarks ? [{ title: 'Сводная ведомость учета успеваемости', detail: '' }] : []),
      { title: 'Сводная ведомость учета посещаемости', detail: '' },
    ]),
    { title: 'Заверительная надпись', detail: '' },
  ];
  const contentsRows = entryTitles.map((e, i) => ({ ...fit(pdf, e.detail ? `${e.title} — ${e.detail}` : e.title, 'serif', pdf.contentWidth - 50, 10.5, 8, 3), i, heading: false }));
  // The key to the codes follows the entries (index -1: not an entry).
  const keyRows = [
    { ...fit(pdf, 'Условные обозначения', 'serifBold', pdf.contentWidth, 10.5, 8, 1), i: -1, heading: true },
    ...CODE_KEY.map(([code, meaning]) => ({ ...fit(pdf, `${code} — ${meaning}`, 'sans', pdf.contentWidth, 8.5, 7, 2), i: -1, heading: false })),
  ];
  keyRows[0]!.height += 10;
  const contentsAvailable = pdf.contentHeight - titleBlock(pdf, contentsTitleLines, 0, 0, pdf.contentWidth, false);
  const contentsPages = splitRows([...contentsRows, ...keyRows].map((r) => ({ ...r, height: r.height + 4 })), contentsAvailable);
  const front = 1 + contentsPages.length;

  const place = (page: PlannedPage) => body.push(page);
  const blankPages: number[] = [];
  const nextNumber = () => front + body.length + 1;
  sections.forEach((section, i) => {
    const entry: ContentsEntry = { title: entryTitles[i]!.title, detail: entryTitles[i]!.detail, page: 0 };
    entries.push(entry);
    for (const [runIndex, spread] of sectionPlans[i]!.entries()) {
      // Duplex: the marks page is a verso (even), the lessons page faces it, as in the paper book.
      if (options.duplex && nextNumber() % 2 === 1) {
        blankPages.push(nextNumber());
        place(blankPage(header));
      }
      if (runIndex === 0) bodyStarts.push({ entry, index: body.length });
      spread.marks.forEach(place);
      spread.lessons.forEach(place);
    }
  });
  if (!partial) {
    // After the last subject: the page for the deputy's inspection notes.
    const remarksEntry: ContentsEntry = { title: REMARKS_TITLE, detail: '', page: 0 };
    entries.push(remarksEntry);
    bodyStarts.push({ entry: remarksEntry, index: body.length });
    place(remarksPage(pdf, header));
    const students = data.students.map((s) => ({ id: s.id, label: labels.get(s.id)! }));
    if (showMarks) {
      const columns = finalColumns(schoolClass.periods, period, new Set(data.finals.map((f) => f.kind)));
      const subjects = subjectFinals(data, columns);
      const entry: ContentsEntry = { title: 'Сводная ведомость учета успеваемости', detail: '', page: 0 };
      entries.push(entry);
      bodyStarts.push({ entry, index: body.length });
      planStudentGrid(pdf, {
        title: [
          { text: 'Сводная ведомость учета успеваемости учащихся', font: 'serifBold', size: 13, gapAfter: 2, align: 'center' },
          { text: `${schoolClass.name} класс · ${periodText}`, font: 'serif', size: 10, align: 'center' },
        ],
        students,
        groups: subjects.map((s) => ({ label: s.subjectName, columns: s.columns.map((c) => ({ label: c.label, values: c.values })) })),
        header,
        columnWidth: period === 'year' ? 17 : 20,
      }).forEach(place);
    }
    const months = absencesByMonth(data);
    const entry: ContentsEntry = { title: 'Сводная ведомость учета посещаемости', detail: '', page: 0 };
    entries.push(entry);
    bodyStarts.push({ entry, index: body.length });
    const totalAll = new Map<number, number>();
    const totalIllness = new Map<number, number>();
    for (const month of months) {
      for (const [id, n] of month.total) totalAll.set(id, (totalAll.get(id) ?? 0) + n);
      for (const [id, n] of month.illness) totalIllness.set(id, (totalIllness.get(id) ?? 0) + n);
    }
    const asText = (m: Map<number, number>) => new Map([...m].map(([id, n]) => [id, String(n)]));
    const groups = [
      ...months.map((m) => ({ label: m.label, columns: [{ label: 'всего', values: asText(m.total) }, { label: 'по болезни', values: asText(m.illness) }] })),
      { label: 'Итого', columns: [{ label: 'всего', values: asText(totalAll) }, { label: 'по болезни', values: asText(totalIllness) }] },
    ];
    const sum = (m: Map<number, number>) => String([...m.values()].reduce((s, n) => s + n, 0));
    planStudentGrid(pdf, {
      title: [
        { text: 'Сводная ведомость учета посещаемости', font: 'serifBold', size: 13, gapAfter: 2, align: 'center' },
        { text: `${schoolClass.name} класс · ${periodText} · пропущено уроков, из них по болезни`, font: 'serif', size: 10, align: 'center' },
      ],
      students,
      groups,
      header,
      columnWidth: 19,
      totals: { label: 'Всего по классу', values: [...months.flatMap((m) => [sum(m.total), sum(m.illness)]), sum(totalAll), sum(totalIllness)] },
    }).forEach(place);
  }
  const certificationEntry: ContentsEntry = { title: 'Заверительная надпись', detail: '', page: 0 };
  entries.push(certificationEntry);
  const totalPages = front + body.length + 1;
  certificationEntry.page = totalPages;
  for (const start of bodyStarts) start.entry.page = front + start.index + 1;
  const sheets = sheetsFor(totalPages, options.duplex);

  // --- Draw.
  const teacherOnly = partial ? sections.map((s) => s.title).join(', ') : '';
  const titlePage: PlannedPage = {
    header: '',
    draw(writer, frame) {
      // The archive's details, top right: the case in the school's nomenclature and how long it is kept (D-35).
      const archive = [
        `Индекс дела: ${options.caseIndex || '________'}`,
        'Срок хранения — 5 лет',
      ];
      writer.lines(archive, frame.left, frame.top, 'serif', 10, { width: frame.width, align: 'right' });
      titleBlock(writer, [{ text: school.name, font: 'serifBold', size: 14, align: 'center' }], frame.left, frame.top + 20 * MM, frame.width, true);
      const firstEntry = data.lessons[0]?.date;
      const lastEntry = data.lessons[data.lessons.length - 1]?.date;
      titleBlock(
        writer,
        [
          {
            text: firstEntry && lastEntry ? `Первая запись — ${russianDate(firstEntry)}, последняя запись — ${russianDate(lastEntry)}` : 'Записей об уроках нет',
            font: 'serif',
            size: 11,
            align: 'center',
          },
        ],
        frame.left,
        frame.top + 170 * MM,
        frame.width,
        true,
      );
      titleBlock(
        writer,
        [
          { text: 'КЛАССНЫЙ ЖУРНАЛ', font: 'serifBold', size: 30, gapAfter: 14, align: 'center' },
          { text: `${schoolClass.name} класс`, font: 'serifBold', size: 20, gapAfter: 8, align: 'center' },
          { text: `${schoolClass.year.name} учебный год`, font: 'serif', size: 14, gapAfter: 4, align: 'center' },
          { text: periodText, font: 'serif', size: 12, gapAfter: 18, align: 'center' },
          { text: `Классный руководитель: ${schoolClass.classTeacherName ?? 'не назначен'}`, font: 'serif', size: 12, gapAfter: 6, align: 'center' },
          ...(teacherOnly ? [{ text: `Страницы предмета: ${teacherOnly}`, font: 'serifItalic' as const, size: 11, align: 'center' as const }] : []),
        ],
        frame.left,
        frame.top + 85 * MM,
        frame.width,
        true,
      );
      const note = `${datedNote(today, data.latestChange, school.timeZone)} ${options.duplex ? 'Двусторонняя' : 'Односторонняя'} печать: страниц — ${totalPages}, листов — ${sheets}.`;
      const noteLines = [
        ...(preliminary
          ? [
              { text: PRELIMINARY_BANNER, font: 'sansBold' as const, size: 11, gapAfter: 2, align: 'center' as const },
              { text: `Окончательная версия пока невозможна: ${readiness.missing.join('; ')}.`, font: 'sans' as const, size: 8, gapAfter: 6, align: 'center' as const },
            ]
          : []),
        { text: note, font: 'sansItalic' as const, size: 8, align: 'center' as const },
      ];
      const noteHeight = titleBlock(writer, noteLines, 0, 0, frame.width, false);
      titleBlock(writer, noteLines, frame.left, frame.top + frame.height - noteHeight, frame.width, true);
    },
  };
  const contentsPlanned: PlannedPage[] = contentsPages.map((rowsOnPage, pageIndex) => ({
    header,
    draw(writer, frame) {
      let y = frame.top + (pageIndex === 0 ? titleBlock(writer, contentsTitleLines, frame.left, frame.top, frame.width, true) : 0);
      for (const row of rowsOnPage) {
        if (row.i < 0) {
          writer.lines(row.lines, frame.left, y + (row.heading ? 10 : 0), row.heading ? 'serifBold' : 'sans', row.size, { width: frame.width });
          y += row.height;
          continue;
        }
        const entry = entries[row.i]!;
        writer.lines(row.lines, frame.left, y, 'serif', row.size, { width: frame.width - 50 });
        const number = String(entry.page);
        const lastLine = row.lines[row.lines.length - 1] ?? '';
        const textEnd = frame.left + writer.width(lastLine, 'serif', row.size) + 4;
        const numberWidth = writer.width(number, 'serif', row.size);
        const baseline = y + (row.lines.length - 1) * lineHeight(row.size) + row.size;
        writer.doc.dash(1, { space: 2 });
        writer.strokeLines([[textEnd, baseline, frame.left + frame.width - numberWidth - 4, baseline]], 0.5, '#777777');
        writer.doc.undash();
        writer.line(number, frame.left + frame.width - numberWidth, y + (row.lines.length - 1) * lineHeight(row.size), 'serif', row.size);
        y += row.height;
      }
    },
  }));
  const certification: PlannedPage = {
    header,
    draw(writer, frame) {
      drawCertificationText(writer, frame, {
        statement: `В классном журнале ${schoolClass.name} класса (${periodText}) пронумеровано, прошнуровано и скреплено печатью ${sheetsPhrase(sheets)}.`,
        detail: [
          options.duplex
            ? `Печать двусторонняя: ${totalPages} стр. ${onSheets(sheets)}, по две страницы на листе${totalPages % 2 === 1 ? ' (оборот последнего листа чистый)' : ''}.`
            : `Печать односторонняя: ${totalPages} стр., по одной на листе.`,
          blankPages.length > 0
            ? `Пустые страницы (оставлены, чтобы отметки и темы уроков были на одном развороте, и помечены «Эта страница оставлена пустой»): ${blankPages.join(', ')}.`
            : '',
          'Срок хранения — 5 лет.',
        ]
          .filter((t) => t !== '')
          .join(' '),
        directorName: school.directorName,
      });
      drawRecordLines(writer, frame, logNumber, fingerprint, history, school.timeZone);
    },
  };

  const ordered: PlannedPage[] = [titlePage, ...contentsPlanned, ...body, certification];
  let fingerprint = '';
  let logNumber: number | null = null;
  for (const page of ordered) {
    const frame = pdf.newPage();
    if (page === certification) {
      fingerprint = pdf.fingerprintOfPreviousPages();
      logNumber = request.logNumber ? await request.logNumber() : null;
    }
    drawFurniture(pdf, frame, page.header, totalPages, preliminary);
    page.draw(pdf, frame);
    await pdf.drain();
  }
  const finished: FinishedPdf = await pdf.finish();
  if (finished.pages !== totalPages) throw new Error(`Печать: спланировано ${totalPages} стр., нарисовано ${finished.pages}`);
  const shortPeriod = period === 'year' ? 'год' : period.name;
  return {
    bytes: finished.bytes,
    sha256: finished.sha256,
    pages: finished.pages,
    sheets,
    preliminary,
    missing: readiness.missing,
    fingerprint,
    historyAt: history?.at ?? null,
    title,
    fileName: safeFileName(`Журнал ${schoolClass.name}, ${shortPeriod} ${schoolClass.year.name}${partial ? ' (предмет)' : ''}.pdf`),
  };
}
