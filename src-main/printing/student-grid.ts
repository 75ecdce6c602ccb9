import { drawGrid, fitRow, gridHeaderHeight, splitRows, titleBlock, type ColumnSpec, type FittedRow, type GridSpec, type GroupSpec, type PlannedPage } from './layout';
import type { FontName, PdfWriter } from './pdf';

// Students down, groups of columns across (subjects × periods, months × «всего / по болезни»):
// the summary sheets. Groups that do not fit the width go to the next page whole.

export interface StudentGridColumn {
  label: string;
  values: ReadonlyMap<number, string>;
}

export interface StudentGridGroup {
  label: string;
  columns: StudentGridColumn[];
}

export interface StudentGridRequest {
  title: ReadonlyArray<{ text: string; font: FontName; size: number; gapAfter?: number; align?: 'left' | 'center' }>;
  students: ReadonlyArray<{ id: number; label: string }>;
  groups: StudentGridGroup[];
  header: string;
  columnWidth: number;
  /** A last row («Итого по классу»), one value per column in group order. */
  totals?: { label: string; values: string[] };
  /** Empty cells struck through (an archive sheet: nothing may be added by hand). */
  strikeEmpty?: boolean;
  /** Lines under the table on its last page (signatures). */
  footer?: ReadonlyArray<{ text: string; font: FontName; size: number; gapAfter?: number }>;
}

const NUMBER_WIDTH = 16;

export function nameColumnWidth(pdf: PdfWriter, labels: readonly string[], frameWidth: number): number {
  const widest = labels.reduce((max, label) => Math.max(max, pdf.width(label, 'narrow', 8)), 0);
  return Math.min(Math.max(widest + 6, 90), Math.min(140, frameWidth * 0.3));
}

export function planStudentGrid(pdf: PdfWriter, request: StudentGridRequest): PlannedPage[] {
  const frameWidth = pdf.contentWidth;
  const nameWidth = nameColumnWidth(pdf, request.students.map((s) => s.label), frameWidth);
  const fixedWidth = NUMBER_WIDTH + nameWidth;
  const singleColumns = request.groups.every((g) => g.columns.length === 1);

  // Split groups across pages by width; a group wider than a page is split by columns.
  const capacity = Math.max(1, Math.floor((frameWidth - fixedWidth) / request.columnWidth));
  const pieces: StudentGridGroup[] = [];
  for (const group of request.groups) {
    for (let i = 0; i < group.columns.length; i += capacity) pieces.push({ label: group.label, columns: group.columns.slice(i, i + capacity) });
  }
  const pagesOfGroups: StudentGridGroup[][] = [];
  let current: StudentGridGroup[] = [];
  let used = 0;
  for (const piece of pieces) {
    if (current.length > 0 && used + piece.columns.length > capacity) {
      pagesOfGroups.push(current);
      current = [];
      used = 0;
    }
    current.push(piece);
    used += piece.columns.length;
  }
  if (current.length > 0 || pagesOfGroups.length === 0) pagesOfGroups.push(current);

  const pages: PlannedPage[] = [];
  let columnOffset = 0;
  for (const [pageIndex, groups] of pagesOfGroups.entries()) {
    const columns: ColumnSpec[] = [
      { width: NUMBER_WIDTH, header: '№', align: 'center' },
      { width: nameWidth, header: 'Фамилия, имя учащегося', align: 'left' },
    ];
    const groupSpecs: GroupSpec[] = [];
    for (const group of groups) {
      if (!singleColumns) groupSpecs.push({ label: group.label, from: columns.length, span: group.columns.length });
      for (const column of group.columns) {
        columns.push({ width: request.columnWidth, header: singleColumns ? group.label : column.label, rotated: true, align: 'center' });
      }
    }
    const spec: GridSpec = {
      columns,
      groups: singleColumns ? undefined : groupSpecs,
      groupRowHeight: 34,
      headerHeight: singleColumns ? 110 : 46,
      size: 8,
      minSize: 6,
      minRowHeight: 13,
      strikeEmptyFrom: request.strikeEmpty ? 2 : undefined,
    };
    const flat = groups.flatMap((g) => g.columns);
    const rows: FittedRow[] = request.students.map((student, i) =>
      fitRow(pdf, spec, [String(i + 1), student.label, ...flat.map((c) => c.values.get(student.id) ?? '')]),
    );
    if (request.totals) {
      const totals = request.totals.values.slice(columnOffset, columnOffset + flat.length);
      rows.push(fitRow(pdf, spec, ['', request.totals.label, ...totals], true));
    }
    columnOffset += flat.length;
    const titleHeight = titleBlock(pdf, request.title, 0, 0, frameWidth, false) + 6;
    const footerHeight = request.footer && pageIndex === pagesOfGroups.length - 1 ? titleBlock(pdf, request.footer, 0, 0, frameWidth, false) + 10 : 0;
    const available = pdf.contentHeight - titleHeight - gridHeaderHeight(spec);
    const rowPages = splitRows(rows, available);
    // The footer goes under the last rows, or on a page of its own when they fill the page.
    const lastRowsHeight = rowPages[rowPages.length - 1]!.reduce((s, r) => s + r.height, 0);
    const footerOwnPage = footerHeight > 0 && lastRowsHeight + footerHeight > available;
    rowPages.forEach((pageRows, i) => {
      const isLast = i === rowPages.length - 1;
      pages.push({
        header: request.header,
        draw(writer, frame) {
          const top = frame.top + titleBlock(writer, request.title, frame.left, frame.top, frame.width, true) + 6;
          const bottom = drawGrid(writer, spec, pageRows, frame.left, top);
          if (isLast && footerHeight > 0 && !footerOwnPage && request.footer) {
            titleBlock(writer, request.footer, frame.left, bottom + 10, frame.width, true);
          }
        },
      });
    });
    if (footerOwnPage && request.footer) {
      const footer = request.footer;
      pages.push({
        header: request.header,
        draw(writer, frame) {
          titleBlock(writer, footer, frame.left, frame.top, frame.width, true);
        },
      });
    }
  }
  return pages;
}
