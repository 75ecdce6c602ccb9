import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { AppError, invalid } from '../../core/errors';
import { entryBytes, readZipDirectory, type ZipEntry } from './zip-entries';

// Reads one sheet of an XLSX (the first unless named) or a CSV into rows of text cells. Russian office exports
// are CSV in Windows-1251 with «;», newer ones UTF-8 (often with a BOM) and «,»: both are
// detected. Dates typed in Excel come out as 'ДД.ММ.ГГГГ', the way people type them.
//
// The file is untrusted: a few hundred kilobytes can unpack to gigabytes. Nothing here holds
// the whole sheet: the zip's table of contents is judged first (zip-entries.ts), the sheet is
// read as a stream row by row and reading stops at the first limit. It runs in a worker
// thread (table-reader.ts).

export interface RawTable {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  header: string[];
  /** Data rows with their spreadsheet row numbers (the header is row 1). */
  rows: Array<{ row: number; cells: string[] }>;
  /** XLSX: the sheet read and the book's visible sheets, in order. */
  sheetName?: string;
  sheetNames?: string[];
}

/** Rows with data, the header not counted. */
export const MAX_ROWS = 20_000;
/** Rows of any kind (Excel keeps empty formatted rows too): past this a file is not a list. */
export const MAX_ROW_RECORDS = 100_000;
export const MAX_COLUMNS = 200;
/** Filled cells in the whole file. */
export const MAX_CELLS = 400_000;
/** Excel's own limit for one cell. */
export const MAX_CELL_CHARS = 32_767;
export const MAX_CSV_BYTES = 5 * 1024 * 1024;

/** 20000 → «20 000», as numbers are written in Russian. */
const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
const tooManyRows = () => invalid(`В файле больше ${count(MAX_ROWS)} строк с данными: разделите его на части.`);
const tooManyRecords = () => invalid(`В файле больше ${count(MAX_ROW_RECORDS)} строк (с пустыми): оставьте в нём только список.`);
const tooManyCells = () => invalid(`В файле больше ${count(MAX_CELLS)} заполненных ячеек: оставьте в нём только нужные столбцы.`);
const notXlsx = () => invalid('Не удалось прочитать книгу Excel: файл повреждён или это не .xlsx.');

function isZip(bytes: Buffer): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * What can be judged without unpacking or parsing anything — the kind of file, its size, the
 * zip's table of contents — in microseconds: the core's thread refuses these at once, before
 * a worker is started.
 */
export function precheckTable(bytes: Buffer, fileName: string): 'xlsx' | 'csv' {
  if (bytes.length === 0) throw invalid('Файл пуст.');
  const looksXlsx = isZip(bytes);
  if (/\.xls$/i.test(fileName) && !looksXlsx) throw invalid('Старый формат .xls не поддерживается: сохраните файл в Excel как .xlsx или CSV.');
  if (looksXlsx) {
    readZipDirectory(bytes);
    return 'xlsx';
  }
  if (/\.xlsx$/i.test(fileName)) throw invalid('Файл назван .xlsx, но это не книга Excel. Сохраните его заново как .xlsx или CSV.');
  if (bytes.length > MAX_CSV_BYTES) throw invalid(`Файл CSV больше ${MAX_CSV_BYTES / (1024 * 1024)} МБ: разделите его на части.`);
  return 'csv';
}

/** `sheet`: the XLSX sheet to read by name (a CSV has one and ignores it). */
export async function parseTable(bytes: Buffer, fileName: string, sheet?: string): Promise<RawTable> {
  return precheckTable(bytes, fileName) === 'xlsx' ? readXlsx(bytes, sheet) : readCsv(bytes);
}

/** Spreadsheet column letters: 1 → A, 28 → AB. */
function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** «столбец B «Фамилия»»: the letter (XLSX) or number (CSV), and the header's title when it is readable. */
function columnName(label: string, header: string[], column: number): string {
  const title = header[column - 1]?.trim();
  return title && !title.includes('\uFFFD') ? `столбец ${label} «${title}»` : `столбец ${label}`;
}

function badBytes(row: number, column: string): AppError {
  const where = row === 1 ? `Строка 1 (заголовки), ${column}` : `Строка ${row}, ${column}`;
  return invalid(`Файл не импортирован, ничего не записано. ${where}: недопустимые байты в тексте — файл повреждён или его кодировка не UTF-8. Сохраните файл заново (UTF-8 или Windows-1251).`, {
    rows: [{ row, errors: ['недопустимые байты в тексте'] }],
  });
}

function tooLongCell(row: number, column: string): AppError {
  return invalid(`Строка ${row}, ${column}: текст длиннее ${count(MAX_CELL_CHARS)} символов.`);
}

// ---------------------------------------------------------------------------------------
// XLSX

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Excel keeps a typed date as a day count; exceljs hands it over as UTC midnight.
    return `${two(value.getUTCDate())}.${two(value.getUTCMonth() + 1)}.${value.getUTCFullYear()}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

/**
 * exceljs 4.4.0's streaming reader (version pinned in package.json): its part parsers are
 * fed the parts this module unpacks itself, so exceljs never sees the zip and never unpacks
 * a part it was not asked for, nor spills a sheet to a temporary file.
 */
interface StreamingWorkbook {
  model?: { sheets?: Array<{ rId: string; name?: string; state?: string }> };
  workbookRels?: Array<{ Id: string; Target: string }>;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<string>, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
}

/** A part as text. Invalid UTF-8 becomes U+FFFD (so the cell can be named) and is reported. */
async function* entryText(bytes: Buffer, entry: ZipEntry, onInvalidBytes: () => void): AsyncGenerator<string> {
  const lenient = new TextDecoder('utf-8');
  const strict = new TextDecoder('utf-8', { fatal: true });
  let valid = true;
  const check = (chunk?: Buffer) => {
    if (!valid) return;
    try {
      if (chunk) strict.decode(chunk, { stream: true });
      else strict.decode();
    } catch {
      valid = false;
      onInvalidBytes();
    }
  };
  for await (const chunk of entryBytes(bytes, entry)) {
    check(chunk);
    const text = lenient.decode(chunk, { stream: true });
    if (text) yield text;
  }
  check();
  const rest = lenient.decode();
  if (rest) yield rest;
}

async function readXlsx(bytes: Buffer, sheetWanted?: string): Promise<RawTable> {
  const entries = readZipDirectory(bytes);
  let invalidBytes = false;
  const part = (name: string) => {
    const entry = entries.get(name);
    return entry ? entryText(bytes, entry, () => (invalidBytes = true)) : null;
  };
  const book = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // number formats tell a typed date from a number
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as StreamingWorkbook;

  const header: string[] = [];
  const rows: RawTable['rows'] = [];
  let sheetName = '';
  let sheetNames: string[] = [];
  try {
    const rels = part('xl/_rels/workbook.xml.rels');
    const workbook = part('xl/workbook.xml');
    if (!rels || !workbook) throw notXlsx();
    await book._parseRels(Readable.from(rels));
    await book._parseWorkbook(Readable.from(workbook));
    const styles = part('xl/styles.xml');
    if (styles) await book._parseStyles(Readable.from(styles));
    const sharedStrings = part('xl/sharedStrings.xml');
    if (sharedStrings) for await (const _ of book._parseSharedStrings(Readable.from(sharedStrings)));

    const sheets = book.model?.sheets ?? [];
    const visible = sheets.filter((s) => s.state !== 'hidden' && s.state !== 'veryHidden');
    sheetNames = visible.map((s, index) => s.name ?? `Лист ${index + 1}`);
    const chosen = sheetWanted === undefined ? (visible[0] ?? sheets[0]) : visible.find((s, index) => sheetNames[index] === sheetWanted);
    if (!chosen) throw invalid(sheetWanted === undefined ? 'В книге Excel нет листов.' : `В книге Excel нет листа «${sheetWanted}».`);
    sheetName = chosen.name ?? sheetNames[0] ?? '';
    const target = book.workbookRels?.find((rel) => rel.Id === chosen.rId)?.Target ?? '';
    const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    const sheetText = part(sheetPath);
    if (!sheetText) throw notXlsx();
    const sheet = [...book._parseWorksheet(sheetText, /sheet(\d+)\.xml$/.exec(sheetPath)?.[1] ?? '1')][0]?.value;
    if (!sheet) throw notXlsx();

    let records = 0;
    let filled = 0;
    let previous = 0;
    for await (const row of sheet) {
      records += 1;
      if (records > MAX_ROW_RECORDS) throw tooManyRecords();
      const number = Number.isInteger(row.number) && row.number > previous ? row.number : previous + 1;
      previous = number;
      const cells: string[] = [];
      row.eachCell({ includeEmpty: false }, (cell, column) => {
        const text = cellText(cell.value);
        if (text === '') return;
        const name = () => columnName(columnLetters(column), number === 1 ? [] : header, column);
        if (column > MAX_COLUMNS) throw invalid(`Строка ${number}: заполнен ${name()}, а читаются только первые ${MAX_COLUMNS} столбцов.`);
        if (text.length > MAX_CELL_CHARS) throw tooLongCell(number, name());
        if (invalidBytes && text.includes('\uFFFD')) throw badBytes(number, name());
        filled += 1;
        if (filled > MAX_CELLS) throw tooManyCells();
        while (cells.length < column - 1) cells.push('');
        cells.push(text);
      });
      if (cells.length === 0) continue;
      if (number === 1) header.push(...cells.map((h) => h.trim()));
      else {
        if (rows.length >= MAX_ROWS) throw tooManyRows();
        rows.push({ row: number, cells });
      }
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw notXlsx(); // exceljs' own complaints are about the XML: a damaged book
  }
  if (invalidBytes) throw invalid('Файл не импортирован, ничего не записано: в книге Excel недопустимые байты — файл повреждён. Сохраните его в Excel заново.');
  return { format: 'xlsx', encoding: null, delimiter: null, header, rows, sheetName, sheetNames };
}

// ---------------------------------------------------------------------------------------
// CSV

const BOM = [0xef, 0xbb, 0xbf];

function locateInvalidBytes(text: string, delimiter: string): AppError {
  // The text up to the first replaced character, parsed as the file is: its last row and field.
  const at = text.indexOf('\uFFFD');
  const before = Papa.parse<string[]>(text.slice(0, at + 1), { delimiter, skipEmptyLines: false }).data;
  const header = Papa.parse<string[]>(text, { delimiter, preview: 1 }).data[0] ?? [];
  const row = Math.max(1, before.length);
  const column = Math.max(1, before[before.length - 1]?.length ?? 1);
  return badBytes(row, columnName(String(column), row === 1 ? [] : header, column));
}

function decodeText(bytes: Buffer): { text: string; encoding: string; damaged: boolean } {
  const hasBom = BOM.every((b, i) => bytes[i] === b);
  const body = hasBom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: 'UTF-8', damaged: false };
  } catch {
    const lenient = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
    // A BOM says UTF-8; so does text whose other non-ASCII characters decode as UTF-8. Then
    // the invalid bytes are damage, not another code page.
    let replaced = 0;
    let decoded = 0;
    for (const ch of lenient) {
      if (ch === '\uFFFD') replaced += 1;
      else if (ch.charCodeAt(0) > 0x7f) decoded += 1;
    }
    if (hasBom || decoded > replaced * 4) return { text: lenient, encoding: 'UTF-8', damaged: true };
    // Not UTF-8: the Windows Cyrillic code page Excel uses when saving «CSV (разделители — запятые)».
    return { text: new TextDecoder('windows-1251').decode(bytes), encoding: 'Windows-1251', damaged: false };
  }
}

function guessDelimiter(text: string): string {
  const firstLine = text.slice(0, 64 * 1024).split(/\r?\n/, 1)[0] ?? '';
  const occurrences = (ch: string) => firstLine.split(ch).length - 1;
  const candidates: Array<[string, number]> = [
    [';', occurrences(';')],
    [',', occurrences(',')],
    ['\t', occurrences('\t')],
  ];
  candidates.sort((a, b) => b[1] - a[1]);
  return candidates[0]![1] > 0 ? candidates[0]![0] : ';';
}

function readCsv(bytes: Buffer): RawTable {
  const { text, encoding, damaged } = decodeText(bytes);
  const delimiter = guessDelimiter(text);
  if (damaged) throw locateInvalidBytes(text, delimiter);

  let header: string[] | null = null;
  const rows: RawTable['rows'] = [];
  let records = 0;
  let filled = 0;
  let refusal: AppError | null = null;
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    step: (result, parser) => {
      const stop = (error: AppError) => {
        refusal = error;
        parser.abort();
      };
      records += 1;
      const row = records;
      if (records > MAX_ROW_RECORDS) return stop(tooManyRecords());
      const cells = result.data.map((c) => String(c ?? ''));
      for (let index = 0; index < cells.length; index++) {
        const cell = cells[index]!;
        if (cell === '') continue;
        const name = () => columnName(String(index + 1), header ?? [], index + 1);
        if (index >= MAX_COLUMNS) return stop(invalid(`Строка ${row}: заполнен ${name()}, а читаются только первые ${MAX_COLUMNS} столбцов.`));
        if (cell.length > MAX_CELL_CHARS) return stop(tooLongCell(row, name()));
        filled += 1;
        if (filled > MAX_CELLS) return stop(tooManyCells());
      }
      if (header === null) {
        header = cells.slice(0, MAX_COLUMNS).map((h) => h.trim());
        return;
      }
      if (!cells.some((c) => c !== '')) return;
      if (rows.length >= MAX_ROWS) return stop(tooManyRows());
      rows.push({ row, cells: cells.slice(0, MAX_COLUMNS) });
    },
  });
  if (refusal) throw refusal;
  return { format: 'csv', encoding, delimiter, header: header ?? [], rows };
}
