import { createRequire } from 'node:module';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import * as echarts from 'echarts';
import type { ChartSpec, ReportColumn, ReportFileFormat, ReportView } from '../../src-shared/contract/reports';
import { chartOption } from '../../src-shared/rules/charts';
import { russianDate } from '../../src-shared/rules/dates';
import { fontsDirectory } from '../printing/pdf';
import { escapeSpreadsheetText } from '../school/files/cell-escape';

// The same report definition written three ways: a PDF (pdfmake, the journal's PT fonts,
// A4, the chart as SVG), an XLSX (numbers stored as numbers with their formats) and a CSV.

const require = createRequire(import.meta.url);

interface PdfMakePrinter {
  createPdfKitDocument(definition: unknown): { on(event: string, listener: (chunk?: Buffer) => void): void; end(): void };
}
type PrinterConstructor = new (fonts: Record<string, Record<string, string>>) => PdfMakePrinter;

let printer: PdfMakePrinter | null = null;
function pdfPrinter(): PdfMakePrinter {
  if (!printer) {
    const Printer = require('pdfmake/src/printer') as PrinterConstructor;
    const dir = fontsDirectory();
    printer = new Printer({
      PTSans: { normal: join(dir, 'PTSans-Regular.ttf'), bold: join(dir, 'PTSans-Bold.ttf'), italics: join(dir, 'PTSans-Italic.ttf'), bolditalics: join(dir, 'PTSans-Bold.ttf') },
      PTSansNarrow: { normal: join(dir, 'PTSansNarrow-Regular.ttf'), bold: join(dir, 'PTSansNarrow-Bold.ttf'), italics: join(dir, 'PTSansNarrow-Regular.ttf'), bolditalics: join(dir, 'PTSansNarrow-Bold.ttf') },
    });
  }
  return printer;
}

/** A cell as a person reads it: «12,5 %», «4,25», «14.10.2026». */
export function formatCell(value: string | number | null, format: ReportColumn['format']): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return format === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? russianDate(value) : value;
  if (format === 'percent') return `${(value * 100).toFixed(1).replace('.', ',')} %`;
  if (format === 'decimal') return value.toFixed(2).replace('.', ',');
  return String(value);
}

/** The chart as an SVG string, rendered by ECharts without a DOM. */
export function chartSvg(spec: ChartSpec, width = 720, height = 320): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(chartOption(spec, { animation: false, fontFamily: 'PTSans', width }));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

export function reportFileName(report: ReportView, format: ReportFileFormat): string {
  const base = `${report.title} ${report.subtitle}`.replace(/\//g, '-').replace(/[\\:*?"<>|«»]+/g, '').replace(/\s+/g, ' ').trim().slice(0, 120);
  return `${base}.${format}`;
}

export async function reportPdf(report: ReportView): Promise<Buffer> {
  const landscape = report.columns.length > 8;
  const pageWidth = (landscape ? 841.89 : 595.28) - 2 * 36;
  const narrow = report.columns.length > 12;
  const widths = report.columns.map((c) => c.width ?? 1);
  const totalWidth = widths.reduce((a, b) => a + b, 0);
  const header = report.columns.map((c) => ({ text: c.title, bold: true, alignment: 'center', fontSize: narrow ? 7 : 8 }));
  const body = report.rows.map((r) =>
    report.columns.map((c) => ({ text: formatCell(r.cells[c.key] ?? null, c.format), bold: r.total, alignment: c.format === 'text' ? 'left' : 'right', fontSize: narrow ? 7 : 8.5 })),
  );
  const content: unknown[] = [
    { text: report.schoolName, alignment: 'center', fontSize: 9 },
    { text: report.title, alignment: 'center', bold: true, fontSize: 14, margin: [0, 6, 0, 2] },
    { text: report.subtitle, alignment: 'center', fontSize: 10, margin: [0, 0, 0, 8] },
  ];
  if (report.columns.length > 0) {
    content.push({
      table: { headerRows: 1, widths: widths.map((w) => (w / totalWidth) * pageWidth - 8), body: [header, ...body] },
      layout: { hLineWidth: () => 0.5, vLineWidth: () => 0.5, paddingLeft: () => 2, paddingRight: () => 2 },
      font: narrow ? 'PTSansNarrow' : 'PTSans',
    });
  }
  if (report.chart) {
    const width = Math.min(pageWidth, 720);
    content.push({ svg: chartSvg(report.chart, width, 300), width, font: 'PTSans', margin: [0, 12, 0, 0], unbreakable: true });
  }
  for (const note of report.notes) content.push({ text: note, fontSize: 8, italics: true, margin: [0, 6, 0, 0] });
  for (const signature of report.signatures) content.push({ text: signature, fontSize: 10, margin: [0, 18, 0, 0] });
  const definition = {
    pageSize: 'A4',
    pageOrientation: landscape ? 'landscape' : 'portrait',
    pageMargins: [36, 36, 36, 40],
    defaultStyle: { font: 'PTSans', fontSize: 9 },
    info: { title: `${report.title}. ${report.subtitle}`, subject: report.schoolName, creator: 'Журнал', producer: 'Журнал (pdfmake)' },
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `Отчёт составлен ${russianDate(report.madeOn)}`, fontSize: 7, margin: [36, 10, 0, 0] },
        { text: `Лист ${page} из ${pages}`, fontSize: 7, alignment: 'right', margin: [0, 10, 36, 0] },
      ],
    }),
    content,
  };
  const doc = pdfPrinter().createPdfKitDocument(definition);
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    doc.on('data', (chunk) => chunks.push(chunk!));
    doc.on('end', () => resolve());
    doc.on('error', (error) => reject(error as unknown as Error));
  });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

const EXCEL_FORMATS: Record<ReportColumn['format'], string | undefined> = {
  text: undefined,
  int: '0',
  decimal: '0.00',
  percent: '0.0%',
  date: 'dd.mm.yyyy',
};

function excelValue(value: string | number | null, format: ReportColumn['format']): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (format === 'date' && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  return typeof value === 'string' ? escapeSpreadsheetText(value) : value;
}

export async function reportXlsx(report: ReportView): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Журнал';
  // Fixed dates keep the same report's file the same.
  workbook.created = new Date(`${report.madeOn}T00:00:00Z`);
  workbook.modified = workbook.created;
  const sheet = workbook.addWorksheet('Отчёт', { pageSetup: { paperSize: 9, orientation: report.columns.length > 8 ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const width = Math.max(1, report.columns.length);
  const banner = (text: string, bold = false, size = 11) => {
    const line = sheet.addRow([text]);
    sheet.mergeCells(line.number, 1, line.number, width);
    line.font = { bold, size };
  };
  banner(report.schoolName);
  banner(report.title, true, 14);
  banner(report.subtitle);
  banner(`Отчёт составлен ${russianDate(report.madeOn)}`);
  sheet.addRow([]);
  const header = sheet.addRow(report.columns.map((c) => c.title));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
  header.eachCell((cell) => {
    cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
  });
  sheet.views = [{ state: 'frozen', ySplit: header.number }];
  for (const r of report.rows) {
    const line = sheet.addRow(report.columns.map((c) => excelValue(r.cells[c.key] ?? null, c.format)));
    if (r.total) line.font = { bold: true };
    report.columns.forEach((c, i) => {
      const cell = line.getCell(i + 1);
      const numFmt = EXCEL_FORMATS[c.format];
      if (numFmt) cell.numFmt = numFmt;
      cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
    });
  }
  report.columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = c.format === 'text' ? Math.max(12, Math.min(60, (c.width ?? 2) * 10)) : Math.max(10, Math.min(24, c.title.length * 0.8));
  });
  sheet.addRow([]);
  for (const note of report.notes) sheet.addRow([note]).font = { italic: true };
  for (const signature of report.signatures) {
    sheet.addRow([]);
    sheet.addRow([signature]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** CSV for other programs: «;» and a BOM as Excel in Russian expects, numbers with a decimal point. */
export function reportCsv(report: ReportView): Buffer {
  const lines = [report.columns.map((c) => c.title)];
  for (const r of report.rows) {
    lines.push(
      report.columns.map((c) => {
        const value = r.cells[c.key] ?? null;
        if (value === null) return '';
        return typeof value === 'number' ? String(Math.round(value * 10000) / 10000) : value;
      }),
    );
  }
  const text = Papa.unparse(lines.map((cells) => cells.map(escapeSpreadsheetText)), { delimiter: ';', newline: '\r\n' });
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export const MIME_TYPES: Record<ReportFileFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
};

export async function reportFile(report: ReportView, format: ReportFileFormat): Promise<Buffer> {
  if (format === 'pdf') return reportPdf(report);
  if (format === 'xlsx') return reportXlsx(report);
  return reportCsv(report);
}
