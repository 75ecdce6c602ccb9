import { drawGrid, fitRow, gridHeaderHeight, titleBlock, type FittedRow, type GridSpec } from '../printing/layout';
import { shortName } from '../printing/model';
import { MM, type FontName, type Frame, type PdfWriter } from '../printing/pdf';

// Drawing one family's paper: text flows down the page and onto the next one; a table
// repeats its header on every page it spans. Each student starts on a new sheet; with
// duplex printing their part is padded to an even page count, so the next student never
// lands on the back of someone else's report.

export interface TextLine {
  text: string;
  font: FontName;
  size: number;
  gapAfter?: number;
  align?: 'left' | 'center';
}

export class Flow {
  private frame!: Frame;
  private y = 0;
  private pagesOfPart = 0;

  constructor(
    readonly pdf: PdfWriter,
    /** Printed small at the foot of every page of the part: whose paper it is. */
    private footer: string,
  ) {}

  /** Starts a student's part on a new page (and, duplex, on the front of a new sheet). */
  startPart(footer: string) {
    this.footer = footer;
    this.pagesOfPart = 0;
    this.newPage();
  }

  /** Ends a student's part: duplex pads it to an even page count with a marked blank page. */
  endPart() {
    if (this.pdf.duplex && this.pagesOfPart % 2 === 1) {
      this.newPage();
      this.pdf.line('Эта страница оставлена пустой.', this.frame.left, this.frame.top + this.frame.height / 2, 'sansItalic', 9, { width: this.frame.width, align: 'center', color: '#555555' });
    }
  }

  newPage() {
    this.frame = this.pdf.newPage();
    this.pagesOfPart += 1;
    this.y = this.frame.top;
    const footer = `${this.footer} · стр. ${this.pagesOfPart}`;
    this.pdf.line(footer, this.frame.left, this.frame.top + this.frame.height + 4 * MM, 'sans', 7.5, { width: this.frame.width, align: 'center', color: '#333333' });
  }

  get width(): number {
    return this.frame.width;
  }

  get left(): number {
    return this.frame.left;
  }

  /** Room left on this page. */
  get room(): number {
    return this.frame.top + this.frame.height - this.y;
  }

  /** Moves to a new page unless `height` still fits. */
  ensure(height: number) {
    if (height > this.room) this.newPage();
  }

  gap(height: number) {
    this.y += height;
  }

  measure(lines: readonly TextLine[]): number {
    return titleBlock(this.pdf, lines, this.frame.left, this.y, this.frame.width, false);
  }

  text(lines: readonly TextLine[]) {
    for (const line of lines) {
      this.ensure(this.measure([line]));
      this.y += titleBlock(this.pdf, [line], this.frame.left, this.y, this.frame.width, true);
    }
  }

  /** A table whose rows go on as many pages as they need, the header repeated on each. */
  table(spec: GridSpec, rows: readonly string[][], bold: (index: number) => boolean = () => false) {
    const fitted: FittedRow[] = rows.map((cells, i) => fitRow(this.pdf, spec, cells, bold(i)));
    const header = gridHeaderHeight(spec);
    let at = 0;
    while (at < fitted.length || at === 0) {
      this.ensure(header + (fitted[at]?.height ?? 0));
      const chunk: FittedRow[] = [];
      let used = header;
      while (at < fitted.length && (chunk.length === 0 || used + fitted[at]!.height <= this.room)) {
        used += fitted[at]!.height;
        chunk.push(fitted[at]!);
        at += 1;
      }
      this.y = drawGrid(this.pdf, spec, chunk, this.frame.left, this.y);
      if (at >= fitted.length) break;
      this.newPage();
    }
  }

  /** «Классный руководитель ____________ Кузнецова А. В.», «(подпись)» under the line. */
  signature(role: string, fullName: string | null) {
    this.ensure(30);
    const x = this.frame.left;
    const y = this.y;
    this.pdf.line(role, x, y + 6, 'serif', 10);
    const roleWidth = this.pdf.width(role, 'serif', 10) + 8;
    this.pdf.strokeLines([[x + roleWidth, y + 18, x + roleWidth + 120, y + 18]], 0.6);
    this.pdf.line('(подпись)', x + roleWidth, y + 20, 'sans', 6.5, { width: 120, align: 'center', color: '#444444' });
    if (fullName) this.pdf.line(shortName(fullName), x + roleWidth + 128, y + 6, 'serif', 10);
    this.y += 32;
  }

  /**
   * The tear-off strip at the foot of the last page: a dashed cut line, then what the
   * parent signs and returns (002 App.2 §15).
   */
  tearOffStrip(lines: readonly TextLine[]) {
    const body = this.measure(lines);
    const height = 14 + body + 8;
    this.ensure(height);
    // The strip sits at the very bottom, so the cut leaves the report whole.
    const top = this.frame.top + this.frame.height - height;
    const segments: Array<[number, number, number, number]> = [];
    for (let x = this.frame.left; x < this.frame.left + this.frame.width; x += 7) segments.push([x, top + 4, Math.min(x + 4, this.frame.left + this.frame.width), top + 4]);
    this.pdf.strokeLines(segments, 0.6, '#444444');
    this.pdf.line('линия отрыва', this.frame.left, top + 6, 'sansItalic', 6.5, { width: this.frame.width, align: 'center', color: '#444444' });
    titleBlock(this.pdf, lines, this.frame.left, top + 16, this.frame.width, true);
    this.y = this.frame.top + this.frame.height;
  }
}
