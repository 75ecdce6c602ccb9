import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { invalid } from '../../core/errors';

// Reads the first sheet of an XLSX or a CSV into rows of text cells. Russian office exports
// are CSV in Windows-1251 with «;», newer ones UTF-8 (often with a BOM) and «,»: both are
// detected. Dates typed in Excel come out as 'ДД.ММ.ГГГГ', the way people type them.

export interface RawTable {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  delimiter: string | null;
  header: string[];
  /** Data rows with their spreadsheet row numbers (the header is row 1). */
  rows: Array<{ row: number; cells: string[] }>;
}

const MAX_ROWS = 20_000;

function isZip(bytes: Buffer): boolean {
  return bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

function decodeText(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'UTF-8' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'UTF-8' };
  } catch {
    // Not valid UTF-8: the Windows Cyrillic code page Excel uses when saving «CSV (разделители — запятые)».
    return { text: new TextDecoder('windows-1251').decode(bytes), encoding: 'Windows-1251' };
  }
}

function guessDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const count = (ch: string) => firstLine.split(ch).length - 1;
  const candidates: Array<[string, number]> = [
    [';', count(';')],
    [',', count(',')],
    ['\t', count('\t')],
  ];
  candidates.sort((a, b) => b[1] - a[1]);
  return candidates[0]![1] > 0 ? candidates[0]![0] : ';';
}

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

export async function readTable(content: string, fileName: string): Promise<RawTable> {
  const bytes = Buffer.from(content, 'base64');
  if (bytes.length === 0) throw invalid('Файл пуст.');
  const looksXlsx = isZip(bytes);
  if (/\.xls$/i.test(fileName) && !looksXlsx) throw invalid('Старый формат .xls не поддерживается: сохраните файл в Excel как .xlsx или CSV.');
  if (looksXlsx) return readXlsx(bytes);
  if (/\.xlsx$/i.test(fileName)) throw invalid('Файл назван .xlsx, но это не книга Excel. Сохраните его заново как .xlsx или CSV.');
  return readCsv(bytes);
}

async function readXlsx(bytes: Buffer): Promise<RawTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw invalid('Не удалось прочитать книгу Excel: файл повреждён или это не .xlsx.');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw invalid('В книге Excel нет листов.');
  const header: string[] = [];
  const rows: RawTable['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[]; // 1-based
    const cells = values.slice(1).map(cellText);
    if (rowNumber === 1) header.push(...cells);
    else rows.push({ row: rowNumber, cells });
  });
  if (rows.length > MAX_ROWS) throw invalid(`В файле больше ${MAX_ROWS} строк.`);
  return { format: 'xlsx', encoding: null, delimiter: null, header: header.map((h) => h.trim()), rows };
}

function readCsv(bytes: Buffer): RawTable {
  const { text, encoding } = decodeText(bytes);
  const delimiter = guessDelimiter(text);
  const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
  const [header = [], ...data] = parsed.data;
  if (data.length > MAX_ROWS) throw invalid(`В файле больше ${MAX_ROWS} строк.`);
  const rows = data.map((cells, index) => ({ row: index + 2, cells: cells.map((c) => String(c ?? '')) }));
  return { format: 'csv', encoding, delimiter, header: header.map((h) => String(h).trim()), rows };
}
