import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

// A thin layer over PDFKit, the engine inside pdfmake 0.2 (its fork @foliojs-fork/pdfkit).
// We draw with it directly rather than through pdfmake's document model: the journal needs
// per-page binding margins (they alternate on duplex), page numbers known before drawing
// (contents, the sheet count), and a document streamed to disk a page at a time.

export const MM = 72 / 25.4;
export const A4 = { width: 595.28, height: 841.89 };
export type Orientation = 'portrait' | 'landscape';

export type FontName = 'sans' | 'sansBold' | 'sansItalic' | 'narrow' | 'narrowBold' | 'serif' | 'serifBold' | 'serifItalic';

const FONT_FILES: Record<FontName, string> = {
  sans: 'PTSans-Regular.ttf',
  sansBold: 'PTSans-Bold.ttf',
  sansItalic: 'PTSans-Italic.ttf',
  narrow: 'PTSansNarrow-Regular.ttf',
  narrowBold: 'PTSansNarrow-Bold.ttf',
  serif: 'PTSerif-Regular.ttf',
  serifBold: 'PTSerif-Bold.ttf',
  serifItalic: 'PTSerif-Italic.ttf',
};

/** What we use of fontkit (PDFKit's font engine; no types of its own either). */
interface FontkitGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}
interface FontkitPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}
interface FontkitOutlineGlyph extends FontkitGlyph {
  /** The glyph's outline record; a composite glyph (fewer than 0 contours) lists its components. */
  _decode(): { numberOfContours: number; components?: Array<{ glyphID: number; pos: number }> } | null;
  _getMetrics(): { leftBearing: number };
}
interface FontkitFont {
  unitsPerEm: number;
  layout(text: string): { glyphs: FontkitGlyph[]; positions: FontkitPosition[] };
  getGlyph(id: number): FontkitOutlineGlyph;
  loca: { offsets: number[] };
  directory: { tables: Record<string, unknown> };
  _getTableStream(tag: string): { pos: number; readBuffer(length: number): Buffer };
  /** Glyph objects by id, made on first use (see `SharedFont.shape`). */
  _glyphs: Record<number, FontkitGlyph>;
}
/**
 * A document's TrueType subset (fontkit's TTFSubset): the tables its `_addGlyph` fills.
 * `encode` makes them afresh, then adds each glyph: they exist only while it runs.
 */
interface FontkitSubset {
  encode(stream: unknown): void;
  glyf: Buffer[];
  loca: { offsets: number[] };
  hmtx: { metrics: Array<{ advance: number; bearing: number }> };
  offset: number;
  includeGlyph(id: number): number;
  _addGlyph(id: number): number;
}
/** A glyph as a subset copies it. */
interface SubsetGlyph {
  /** Its bytes in the font's `glyf` table. */
  data: Buffer;
  /** A composite glyph's parts: their ids are rewritten to the subset's at `pos`. */
  components: Array<{ glyphID: number; pos: number }>;
  advance: number;
  bearing: number;
}

/** A word as PDFKit lays it out (its `layoutRun`): positions in thousandths of the font size. */
interface ShapedWord {
  glyphs: FontkitGlyph[];
  positions: Array<FontkitPosition & { advanceWidth: number }>;
  advanceWidth: number;
}

/** What we use of a PDFKit document and its fonts (the fork has no types of its own). */
interface PdfKitFont {
  widthOfString(text: string, size: number): number;
}
/** PDFKit's font of one document: its subset, glyph widths and text layer are that document's own. */
interface PdfKitEmbeddedFont extends PdfKitFont {
  layoutCached(word: string): ShapedWord;
  subset: FontkitSubset;
}
type EmbeddedFontConstructor = new (document: PdfKitDocument, font: FontkitFont, id: string) => PdfKitEmbeddedFont;
interface PdfKitDocument {
  addPage(options: { size: [number, number]; margins: { top: number; bottom: number; left: number; right: number } }): PdfKitDocument;
  registerFont(name: string, source: Buffer): PdfKitDocument;
  font(name: string): PdfKitDocument;
  fontSize(size: number): PdfKitDocument;
  fillColor(color: string): PdfKitDocument;
  strokeColor(color: string): PdfKitDocument;
  lineWidth(width: number): PdfKitDocument;
  text(text: string, x: number, y: number, options?: { lineBreak?: boolean }): PdfKitDocument;
  moveTo(x: number, y: number): PdfKitDocument;
  lineTo(x: number, y: number): PdfKitDocument;
  rect(x: number, y: number, width: number, height: number): PdfKitDocument;
  stroke(): PdfKitDocument;
  fill(color?: string): PdfKitDocument;
  dash(length: number, options?: { space: number }): PdfKitDocument;
  undash(): PdfKitDocument;
  save(): PdfKitDocument;
  restore(): PdfKitDocument;
  rotate(angle: number, options: { origin: [number, number] }): PdfKitDocument;
  on(event: 'data', listener: (chunk: Buffer) => void): PdfKitDocument;
  on(event: 'end', listener: () => void): PdfKitDocument;
  on(event: 'error', listener: (error: Error) => void): PdfKitDocument;
  end(): void;
  _font: PdfKitFont;
  /** The page being drawn: its content stream's chunks stay here until the next page ends it. */
  page?: { content: { buffer: Buffer[] | Buffer } };
  _fontCount: number;
  _fontFamilies: Record<string, PdfKitFont>;
}
type PdfKitConstructor = new (options: Record<string, unknown>) => PdfKitDocument;

const require = createRequire(import.meta.url);
let engine: PdfKitConstructor | null = null;
function pdfKit(): PdfKitConstructor {
  engine ??= (require('pdfmake/src/pdfKitEngine') as { getEngineInstance(): PdfKitConstructor }).getEngineInstance();
  return engine;
}

/** resources/fonts: beside the sources in development, in the app's resources when packaged. */
export function fontsDirectory(): string {
  const candidates: string[] = [];
  if (process.env.ZHURNAL_FONTS_DIR) candidates.push(process.env.ZHURNAL_FONTS_DIR);
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(join(resourcesPath, 'fonts'));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    candidates.push(join(dir, 'resources', 'fonts'));
    dir = dirname(dir);
  }
  const found = candidates.find((candidate) => existsSync(join(candidate, FONT_FILES.sans)));
  if (!found) throw new Error(`Не найдены шрифты для печати (resources/fonts): ${candidates.join(', ')}`);
  return found;
}

let fontBytes: Map<FontName, Buffer> | null = null;
function fonts(): Map<FontName, Buffer> {
  if (!fontBytes) {
    const dir = fontsDirectory();
    fontBytes = new Map((Object.keys(FONT_FILES) as FontName[]).map((name) => [name, readFileSync(join(dir, FONT_FILES[name]))]));
  }
  return fontBytes;
}

const WORD_CACHE_LIMIT = 100_000;

/**
 * One font of this thread, parsed once and shared by every document printed here, with the
 * words already shaped in it. Shaping a word (fontkit's layout: glyph substitution and
 * kerning) and parsing the font were most of a journal's printing time, and a school's pages
 * repeat the same names, marks, dates and words. What must stay each document's own stays
 * so: PDFKit gives each document its own font object over this one (its subset, glyph widths
 * and text layer), so a document's bytes depend only on its own text.
 */
class SharedFont {
  private readonly words = new Map<string, ShapedWord>();
  private readonly glyphs = new Map<number, SubsetGlyph>();
  private readonly scale: number;

  constructor(readonly font: FontkitFont) {
    this.scale = 1000 / font.unitsPerEm;
  }

  /** What PDFKit's own `layoutRun` makes of a word, kept as plain data. */
  shape(word: string): ShapedWord {
    let shaped = this.words.get(word);
    if (shaped) return shaped;
    // fontkit keeps one glyph object per glyph, carrying the code points of the first text
    // that reached it, and those become the text layer. Each word starts from none, so its
    // code points are its own, not those of whatever was printed before.
    this.font._glyphs = {};
    const run = this.font.layout(word);
    const positions = run.positions.map((p, i) => ({
      xAdvance: p.xAdvance * this.scale,
      yAdvance: p.yAdvance * this.scale,
      xOffset: p.xOffset * this.scale,
      yOffset: p.yOffset * this.scale,
      advanceWidth: run.glyphs[i]!.advanceWidth * this.scale,
    }));
    shaped = {
      glyphs: run.glyphs.map((g) => ({ id: g.id, advanceWidth: g.advanceWidth, codePoints: g.codePoints })),
      positions,
      advanceWidth: positions.reduce((sum, p) => sum + p.xAdvance, 0),
    };
    if (this.words.size >= WORD_CACHE_LIMIT) this.words.clear();
    this.words.set(word, shaped);
    return shaped;
  }

  /**
   * Makes a document's subset copy glyphs read once per thread. fontkit's own `_addGlyph`
   * decodes each glyph's whole outline in every document only to find the composite ones;
   * this does what it does for static TrueType fonts (ours); any other keeps fontkit's.
   */
  adoptSubset(subset: FontkitSubset): void {
    const { tables } = this.font.directory;
    if (!tables.glyf || tables.fvar) return;
    subset._addGlyph = (id) => {
      const glyph = this.subsetGlyph(id);
      let data = glyph.data;
      if (glyph.components.length > 0) {
        data = Buffer.from(data);
        for (const component of glyph.components) data.writeUInt16BE(subset.includeGlyph(component.glyphID), component.pos);
      }
      subset.glyf.push(data);
      subset.loca.offsets.push(subset.offset);
      subset.hmtx.metrics.push({ advance: glyph.advance, bearing: glyph.bearing });
      subset.offset += data.length;
      return subset.glyf.length - 1;
    };
  }

  private subsetGlyph(id: number): SubsetGlyph {
    let glyph = this.glyphs.get(id);
    if (!glyph) {
      const fontGlyph = this.font.getGlyph(id);
      const outline = fontGlyph._decode();
      const start = this.font.loca.offsets[id]!;
      const stream = this.font._getTableStream('glyf');
      stream.pos += start;
      glyph = {
        data: stream.readBuffer(this.font.loca.offsets[id + 1]! - start),
        components: outline && outline.numberOfContours < 0 ? (outline.components ?? []).map(({ glyphID, pos }) => ({ glyphID, pos })) : [],
        advance: fontGlyph.advanceWidth,
        bearing: fontGlyph._getMetrics().leftBearing,
      };
      this.glyphs.set(id, glyph);
    }
    return glyph;
  }
}

interface ThreadFonts {
  EmbeddedFont: EmbeddedFontConstructor;
  fonts: Map<FontName, SharedFont>;
}
let threadFonts: ThreadFonts | null | undefined;

/**
 * The fonts parsed by PDFKit itself, once per thread: a document that is never written
 * loads them, and its font class makes each real document's fonts. Null when PDFKit's and
 * fontkit's insides are not the ones this was written against (pinned in package-lock):
 * printing then goes the plain way, slower and the same on paper.
 */
function sharedFonts(): ThreadFonts | null {
  if (threadFonts === undefined) {
    const host = new (pdfKit())({ autoFirstPage: false });
    const shared = new Map<FontName, SharedFont>();
    for (const [name, bytes] of fonts()) {
      host.registerFont(name, bytes).font(name);
      shared.set(name, new SharedFont((host._font as unknown as { font: FontkitFont }).font));
    }
    const EmbeddedFont = host._font.constructor as EmbeddedFontConstructor;
    const probe = new EmbeddedFont(host, [...shared.values()][0]!.font, 'probe') as Partial<PdfKitEmbeddedFont>;
    const font = [...shared.values()][0]!.font as Partial<FontkitFont>;
    const expected =
      typeof probe.layoutCached === 'function' &&
      typeof probe.subset?._addGlyph === 'function' &&
      typeof probe.subset.includeGlyph === 'function' &&
      typeof probe.subset.encode === 'function' &&
      typeof font.layout === 'function' &&
      typeof font._getTableStream === 'function' &&
      typeof font._glyphs === 'object' &&
      typeof host._fontCount === 'number' &&
      typeof host._fontFamilies === 'object';
    threadFonts = expected ? { EmbeddedFont, fonts: shared } : null;
  }
  return threadFonts;
}

export interface Margins {
  bindingMm: number;
  outerMm: number;
  topMm: number;
  bottomMm: number;
}

/** The content box of a page, in points from the top-left corner. */
export interface Frame {
  left: number;
  top: number;
  width: number;
  height: number;
  /** 1-based page number in the document. */
  page: number;
}

export interface FinishedPdf {
  /** The whole file, unless it was streamed to `out`. */
  bytes: Buffer | null;
  sha256: string;
  pages: number;
  size: number;
}

/** Fixed metadata: no clock and no random id, so the same data gives the same bytes. */
export interface PdfMetadata {
  title: string;
  subject: string;
  /** Derived from the data (e.g. the period's last day), never the clock. */
  date: Date;
}

const LINE_HEIGHT = 1.22;

/**
 * PDFKit copies the title and subject into the XMP packet as they are: characters XML
 * gives a meaning to are replaced by look-alikes, so a school named «A & B» keeps a valid packet.
 */
function xmlText(text: string): string {
  return text.replace(/&/g, '＆').replace(/</g, '‹').replace(/>/g, '›');
}

/**
 * Widths at size 1 by font and text, shared by every document: shaping a string through
 * the font is the costliest part of planning, and a school's pages repeat the same names,
 * marks and words. Bounded (per font) so a long run cannot grow it without end.
 */
const widthCache = new Map<FontName, Map<string, number>>();
const WIDTH_CACHE_LIMIT = 100_000;

/**
 * One PDF being written. Pages are drawn in order and flushed as the next one starts, so
 * a long document never sits in memory whole when it goes to a stream.
 */
export class PdfWriter {
  readonly doc: PdfKitDocument;
  private pages = 0;
  private readonly hash = createHash('sha256');
  /** Over the drawing (content streams, uncompressed) of every finished page, in order. */
  private readonly contentHash = createHash('sha256');
  private readonly chunks: Buffer[] | null;
  private size = 0;
  private readonly finished: Promise<void>;
  private currentFont: FontName | null = null;
  private currentSize = 0;
  private currentColor = '';

  constructor(
    meta: PdfMetadata,
    readonly margins: Margins,
    readonly duplex: boolean,
    private readonly out?: Writable,
    readonly orientation: Orientation = 'portrait',
  ) {
    const Pdf = pdfKit();
    // PDFKit derives the trailer /ID from the info dictionary (MD5 of its values), so with a
    // fixed CreationDate the id is fixed too; font subset tags come from font ids. Checked
    // by the «same data, same bytes» test.
    // PDF/A-2b for the electronic archive: PDFKit writes the XMP metadata (with the PDF/A
    // identification) and the sRGB output intent; every font is embedded. The info
    // dictionary carries only what PDFKit mirrors into the XMP (Producer as its Creator; no
    // ModDate, which it does not mirror), as PDF/A wants the two to agree.
    this.doc = new Pdf({
      autoFirstPage: false,
      compress: true,
      pdfVersion: '1.7',
      subset: 'PDF/A-2b',
      info: {
        Title: xmlText(meta.title),
        Subject: xmlText(meta.subject),
        Author: 'Электронный журнал «Журнал»',
        Creator: 'Журнал',
        Producer: 'Журнал',
        CreationDate: meta.date,
      },
    });
    // The document's own fonts over the thread's parsed ones (SharedFont), all made now in a
    // fixed order, as PDFKit's `font()` would make them on first use: PDFKit numbers fonts
    // in that order, and with widths cached across documents first use would depend on
    // history. Fonts never drawn are not embedded.
    const thread = sharedFonts();
    if (thread) {
      for (const [name, font] of thread.fonts) {
        const own = new thread.EmbeddedFont(this.doc, font.font, `F${++this.doc._fontCount}`);
        own.layoutCached = (word) => font.shape(word);
        font.adoptSubset(own.subset);
        this.doc._fontFamilies[name] = own;
      }
    } else {
      // PDFKit's insides are not what SharedFont expects (a newer version): each document parses its fonts.
      for (const [name, bytes] of fonts()) this.doc.registerFont(name, bytes);
      for (const name of fonts().keys()) this.doc.font(name);
    }
    this.chunks = out ? null : [];
    this.finished = new Promise<void>((resolve, reject) => {
      this.doc.on('data', (chunk) => {
        this.hash.update(chunk);
        this.size += chunk.length;
        if (this.chunks) this.chunks.push(chunk);
        else out?.write(chunk);
      });
      this.doc.on('end', () => resolve());
      this.doc.on('error', reject);
    });
    // Measuring needs a current font; set one before any page exists.
    this.doc.font('sans');
  }

  private get pageSize(): [number, number] {
    return this.orientation === 'portrait' ? [A4.width, A4.height] : [A4.height, A4.width];
  }

  /** The content box of page `page` (1-based): the binding margin is on the sewn edge. */
  frame(page: number): Frame {
    const { bindingMm, outerMm, topMm, bottomMm } = this.margins;
    // Simplex: every sheet is sewn on its left edge. Duplex: a verso (even page) has its
    // sewn edge on the right.
    const bindingOnLeft = !this.duplex || page % 2 === 1;
    const left = (bindingOnLeft ? bindingMm : outerMm) * MM;
    const right = (bindingOnLeft ? outerMm : bindingMm) * MM;
    const [pageWidth, pageHeight] = this.pageSize;
    return { left, top: topMm * MM, width: pageWidth - left - right, height: pageHeight - (topMm + bottomMm) * MM, page };
  }

  /** Width of the content box (the same on every page: only its side changes). */
  get contentWidth(): number {
    return this.frame(1).width;
  }

  get contentHeight(): number {
    return this.frame(1).height;
  }

  newPage(): Frame {
    this.sealPageContent();
    this.doc.addPage({ size: this.pageSize, margins: { top: 0, bottom: 0, left: 0, right: 0 } });
    this.pages += 1;
    this.currentFont = null;
    this.currentSize = 0;
    this.currentColor = '';
    return this.frame(this.pages);
  }

  /** Feeds the page being finished to the content fingerprint before PDFKit compresses it. */
  private sealPageContent() {
    const content = this.pages > 0 ? this.doc.page?.content.buffer : undefined;
    if (Array.isArray(content)) this.contentHash.update(Buffer.concat(content));
  }

  /**
   * The first 16 hex digits of the SHA-256 of every page before the current one: their
   * content streams, uncompressed, concatenated in page order. A reader recomputes it from
   * the file (inflate each page's /Contents), so a sealed copy can be matched to its file.
   */
  fingerprintOfPreviousPages(): string {
    return this.contentHash.copy().digest('hex').slice(0, 16);
  }

  /**
   * Between pages: waits while the output stream is full (a whole school's PDFs never pile
   * up in memory), fails at once if the file cannot be written, and lets the process's other
   * work run — in the app the core shares the main process with every IPC call.
   */
  async drain(): Promise<void> {
    if (this.out?.errored) throw this.out.errored;
    if (this.out && this.out.writableNeedDrain) await once(this.out, 'drain');
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }

  get pageHeight(): number {
    return this.pageSize[1];
  }

  get pageWidth(): number {
    return this.pageSize[0];
  }

  get pageCount(): number {
    return this.pages;
  }

  private use(font: FontName, size: number, color = '#000000') {
    if (this.currentFont !== font) {
      this.doc.font(font);
      this.currentFont = font;
      this.currentSize = 0;
    }
    if (this.currentSize !== size) {
      this.doc.fontSize(size);
      this.currentSize = size;
    }
    if (this.currentColor !== color) {
      this.doc.fillColor(color);
      this.currentColor = color;
    }
  }

  width(text: string, font: FontName, size: number): number {
    let widths = widthCache.get(font);
    if (!widths) widthCache.set(font, (widths = new Map()));
    let unit = widths.get(text);
    if (unit === undefined) {
      if (this.currentFont !== font) {
        this.doc.font(font);
        this.currentFont = font;
        this.currentSize = 0;
      }
      unit = this.doc._font.widthOfString(text, 1);
      if (widths.size >= WIDTH_CACHE_LIMIT) widths.clear();
      widths.set(text, unit);
    }
    return unit * size;
  }

  /** One line of text whose box top is at y; never wraps. */
  line(text: string, x: number, y: number, font: FontName, size: number, options: { width?: number; align?: 'left' | 'center' | 'right'; color?: string } = {}) {
    if (text === '') return;
    let at = x;
    if (options.width !== undefined && options.align && options.align !== 'left') {
      const free = options.width - this.width(text, font, size);
      at = options.align === 'center' ? x + free / 2 : x + free;
    }
    this.use(font, size, options.color);
    this.doc.text(text, at, y, { lineBreak: false });
  }

  /** Lines of a wrapped block, top at y, `lineHeight(size)` apart. */
  lines(lines: readonly string[], x: number, y: number, font: FontName, size: number, options: { width?: number; align?: 'left' | 'center' | 'right'; color?: string } = {}) {
    const step = lineHeight(size);
    lines.forEach((text, i) => this.line(text, x, y + i * step, font, size, options));
  }

  /** Text rotated a quarter turn (reads bottom to top), its first line's box bottom-left at (x, y). */
  rotatedLines(lines: readonly string[], x: number, y: number, font: FontName, size: number, boxHeight: number) {
    this.doc.save();
    this.doc.rotate(-90, { origin: [x, y] });
    // After the rotation the page's "right" is up: lines run along the former vertical.
    this.lines(lines, x, y, font, size, { width: boxHeight, align: 'left' });
    this.doc.restore();
    this.currentFont = null;
  }

  strokeLines(segments: ReadonlyArray<readonly [number, number, number, number]>, width = 0.5, color = '#000000') {
    if (segments.length === 0) return;
    this.doc.lineWidth(width).strokeColor(color);
    for (const [x1, y1, x2, y2] of segments) this.doc.moveTo(x1, y1).lineTo(x2, y2);
    this.doc.stroke();
  }

  fillRect(x: number, y: number, w: number, h: number, color: string) {
    this.doc.save();
    this.doc.rect(x, y, w, h).fill(color);
    this.doc.restore();
    this.currentColor = '';
  }

  async finish(): Promise<FinishedPdf> {
    this.doc.end();
    await this.finished;
    return {
      bytes: this.chunks ? Buffer.concat(this.chunks) : null,
      sha256: this.hash.digest('hex'),
      pages: this.pages,
      size: this.size,
    };
  }
}

export function lineHeight(size: number): number {
  return size * LINE_HEIGHT;
}

/**
 * Greedy word wrap to `width`. A word wider than the line is broken between letters, so
 * nothing ever runs past the box.
 */
export function wrap(measure: (text: string) => number, text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.replace(/\r/g, '').split('\n')) {
    const words = paragraph.split(/\s+/).filter((w) => w !== '');
    let current = '';
    for (const word of words) {
      const candidate = current === '' ? word : `${current} ${word}`;
      if (measure(candidate) <= width) {
        current = candidate;
        continue;
      }
      if (current !== '') out.push(current);
      current = '';
      if (measure(word) <= width) {
        current = word;
        continue;
      }
      // Break a too-long word (a URL, a long compound) letter by letter.
      let piece = '';
      for (const letter of word) {
        if (piece !== '' && measure(piece + letter) > width) {
          out.push(piece);
          piece = '';
        }
        piece += letter;
      }
      current = piece;
    }
    if (current !== '' || words.length === 0) out.push(current);
  }
  // Trailing empty lines from a final newline carry no text.
  while (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out;
}

export interface FittedText {
  size: number;
  lines: string[];
  height: number;
}

/**
 * The largest size from `size` down to `minSize` (half-point steps) at which the text fits
 * in `maxLines` lines of `width`; at `minSize` it takes as many lines as it needs.
 */
export function fit(pdf: PdfWriter, text: string, font: FontName, width: number, size: number, minSize: number, maxLines: number): FittedText {
  const words = text.split(/\s+/).filter((w) => w !== '');
  for (let s = size; s >= minSize - 1e-9; s -= 0.5) {
    const smallest = s - 0.5 < minSize - 1e-9;
    // A size that would break a word between letters is a last resort.
    if (!smallest && words.some((w) => pdf.width(w, font, s) > width)) continue;
    const lines = wrap((t) => pdf.width(t, font, s), text, width);
    if (lines.length <= maxLines || smallest) return { size: s, lines, height: lines.length * lineHeight(s) };
  }
  const lines = wrap((t) => pdf.width(t, font, minSize), text, width);
  return { size: minSize, lines, height: lines.length * lineHeight(minSize) };
}
