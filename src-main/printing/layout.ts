import { fit, lineHeight, MM, wrap, type FittedText, type FontName, type Frame, type PdfWriter } from './pdf';

// Page furniture and ruled tables. Every text is fitted before it is drawn: it wraps, then
// shrinks within limits, then takes more lines — it is never clipped or left overflowing.

export const CELL_PAD = 1.5;

/** A planned page: drawn once its number and the document's page count are known. */
export interface PlannedPage {
  draw(pdf: PdfWriter, frame: Frame): void;
  /** Running header above the frame; empty for the title page. */
  header: string;
}

export const PRELIMINARY_BANNER = 'ПРЕДВАРИТЕЛЬНАЯ ВЕРСИЯ — не для архива';

/**
 * Header above and page number below the content box, in the margins; a preliminary
 * printout says so at the top of every page, in solid ink (no transparency, PDF/A).
 */
export function drawFurniture(pdf: PdfWriter, frame: Frame, header: string, totalPages: number, preliminary = false) {
  const topY = frame.top - 6 * MM;
  if (preliminary) pdf.line(PRELIMINARY_BANNER, frame.left, frame.top - 9.5 * MM, 'sansBold', 8, { width: frame.width, align: 'center', color: '#9a0000' });
  if (header !== '') {
    const fitted = fit(pdf, header, 'sans', frame.width, 7.5, 6, 1);
    pdf.line(fitted.lines[0] ?? '', frame.left, topY, 'sans', fitted.size, { color: '#333333' });
  }
  const bottomY = frame.top + frame.height + 4 * MM;
  pdf.line(`Страница ${frame.page} из ${totalPages}`, frame.left, bottomY, 'sans', 8, { width: frame.width, align: 'center' });
}

export interface ColumnSpec {
  width: number;
  /** Header text (horizontal, or rotated to read bottom-up when `rotated`). */
  header: string;
  rotated?: boolean;
  align: 'left' | 'center';
  font?: FontName;
}

export interface GroupSpec {
  label: string;
  from: number;
  span: number;
}

export interface GridSpec {
  columns: ColumnSpec[];
  /** An optional top header row spanning columns (months over days, subjects over periods). */
  groups?: GroupSpec[];
  groupRowHeight?: number;
  headerHeight: number;
  /** Cell font size and the smallest it may shrink to. */
  size: number;
  minSize: number;
  minRowHeight: number;
  /** Lines a cell may take before its font shrinks. */
  linesBeforeShrink?: number;
  /** Columns from this index on: an empty body cell is struck through, so nothing can be written in by hand. */
  strikeEmptyFrom?: number;
}

export interface FittedRow {
  cells: FittedText[];
  height: number;
  bold?: boolean;
}

export function fitRow(pdf: PdfWriter, spec: GridSpec, cells: readonly string[], bold = false): FittedRow {
  let height = spec.minRowHeight;
  const fitted = spec.columns.map((column, i) => {
    const text = cells[i] ?? '';
    const font = fontOf(column, bold);
    const cell = fit(pdf, text, font, column.width - 2 * CELL_PAD, spec.size, spec.minSize, spec.linesBeforeShrink ?? 2);
    height = Math.max(height, cell.height + 2 * CELL_PAD);
    return cell;
  });
  return { cells: fitted, height, bold };
}

function fontOf(column: ColumnSpec, bold: boolean): FontName {
  const font = column.font ?? 'narrow';
  if (!bold) return font;
  return font === 'sans' ? 'sansBold' : font === 'serif' ? 'serifBold' : 'narrowBold';
}

export function gridWidth(spec: GridSpec): number {
  return spec.columns.reduce((sum, c) => sum + c.width, 0);
}

export function gridHeaderHeight(spec: GridSpec): number {
  return spec.headerHeight + (spec.groups ? (spec.groupRowHeight ?? 12) : 0);
}

/** Fits a header text horizontally, or rotated when asked or when it cannot fit across. */
function drawHeaderText(pdf: PdfWriter, text: string, x: number, y: number, width: number, height: number, rotated: boolean) {
  if (text === '') return;
  const inner = width - 2 * CELL_PAD;
  const innerHeight = height - 2 * CELL_PAD;
  if (!rotated) {
    const words = text.split(/\s+/).filter((w) => w !== '');
    for (let size = 7.5; size >= 5; size -= 0.5) {
      if (words.some((w) => pdf.width(w, 'narrowBold', size) > inner + 0.01)) continue;
      const lines = wrap((t) => pdf.width(t, 'narrowBold', size), text, inner);
      const height = lines.length * lineHeight(size);
      if (height > innerHeight + 0.01 || lines.some((l) => pdf.width(l, 'narrowBold', size) > inner + 0.01)) continue;
      pdf.lines(lines, x + CELL_PAD, y + CELL_PAD + (innerHeight - height) / 2, 'narrowBold', size, { width: inner, align: 'center' });
      return;
    }
  }
  // Rotated: lines run bottom-up and stack left to right.
  let size = 7.5;
  let lines = wrap((t) => pdf.width(t, 'narrowBold', size), text, innerHeight);
  while (size > 4.5 && lines.length * lineHeight(size) > inner) {
    size -= 0.5;
    lines = wrap((t) => pdf.width(t, 'narrowBold', size), text, innerHeight);
  }
  const blockWidth = lines.length * lineHeight(size);
  const left = x + Math.max(CELL_PAD, (width - blockWidth) / 2);
  pdf.rotatedLines(lines, left, y + height - CELL_PAD, 'narrowBold', size, innerHeight);
}

/** Draws the header and the given rows of a grid at (x, y); returns the bottom edge. */
export function drawGrid(pdf: PdfWriter, spec: GridSpec, rows: readonly FittedRow[], x: number, y: number): number {
  const width = gridWidth(spec);
  const lefts: number[] = [];
  let at = x;
  for (const column of spec.columns) {
    lefts.push(at);
    at += column.width;
  }
  const segments: Array<[number, number, number, number]> = [];
  let top = y;
  const headerBottom = y + gridHeaderHeight(spec);
  const coveredByGroup = new Set<number>();
  if (spec.groups) {
    const groupHeight = spec.groupRowHeight ?? 12;
    for (const group of spec.groups) {
      const gx = lefts[group.from]!;
      const gw = spec.columns.slice(group.from, group.from + group.span).reduce((s, c) => s + c.width, 0);
      drawHeaderText(pdf, group.label, gx, y, gw, groupHeight, false);
      segments.push([gx, y + groupHeight, gx + gw, y + groupHeight]);
      for (let i = group.from; i < group.from + group.span; i++) coveredByGroup.add(i);
    }
    top = y + groupHeight;
  }
  spec.columns.forEach((column, i) => {
    // A column outside any group takes the whole header height.
    const cy = coveredByGroup.has(i) || !spec.groups ? top : y;
    drawHeaderText(pdf, column.header, lefts[i]!, cy, column.width, headerBottom - cy, column.rotated ?? false);
  });
  // Body.
  let rowTop = headerBottom;
  for (const row of rows) {
    row.cells.forEach((cell, i) => {
      const column = spec.columns[i]!;
      const font = fontOf(column, row.bold ?? false);
      const cellTop = rowTop + (row.height - cell.height) / 2;
      pdf.lines(cell.lines, lefts[i]! + CELL_PAD, cellTop, font, cell.size, { width: column.width - 2 * CELL_PAD, align: column.align });
      if (spec.strikeEmptyFrom !== undefined && i >= spec.strikeEmptyFrom && cell.lines.every((line) => line === '')) {
        segments.push([lefts[i]!, rowTop + row.height, lefts[i]! + column.width, rowTop]);
      }
    });
    rowTop += row.height;
    segments.push([x, rowTop, x + width, rowTop]);
  }
  // Rules: outer box, column separators (group rows split only under their group).
  segments.push([x, y, x + width, y], [x, headerBottom, x + width, headerBottom]);
  spec.columns.forEach((_, i) => {
    if (i === 0) return;
    const startsGroup = spec.groups?.some((g) => g.from === i) ?? false;
    const fromY = spec.groups && coveredByGroup.has(i) && !startsGroup ? top : y;
    segments.push([lefts[i]!, fromY, lefts[i]!, rowTop]);
  });
  segments.push([x, y, x, rowTop], [x + width, y, x + width, rowTop]);
  pdf.strokeLines(segments, 0.5);
  return rowTop;
}

/** Splits fitted rows into pages of at most `available` height each. */
export function splitRows<T extends { height: number }>(rows: readonly T[], available: number): T[][] {
  const pages: T[][] = [];
  let current: T[] = [];
  let used = 0;
  for (const row of rows) {
    if (current.length > 0 && used + row.height > available) {
      pages.push(current);
      current = [];
      used = 0;
    }
    current.push(row);
    used += row.height;
  }
  if (current.length > 0 || pages.length === 0) pages.push(current);
  return pages;
}

/** A wrapped title block; returns its height (measuring only when `draw` is false). */
export function titleBlock(
  pdf: PdfWriter,
  lines: ReadonlyArray<{ text: string; font: FontName; size: number; gapAfter?: number; align?: 'left' | 'center' }>,
  x: number,
  y: number,
  width: number,
  draw: boolean,
): number {
  let at = y;
  for (const line of lines) {
    const fitted = fit(pdf, line.text, line.font, width, line.size, Math.max(6, line.size - 3), 3);
    if (draw) pdf.lines(fitted.lines, x, at, line.font, fitted.size, { width, align: line.align ?? 'left' });
    at += fitted.height + (line.gapAfter ?? 0);
  }
  return at - y;
}
