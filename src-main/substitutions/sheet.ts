import ExcelJS from 'exceljs';
import { monthRange, sheetColumns, sheetTitle, type SheetRow, type SubstitutionKind } from '../../src-shared/rules/substitutions';
import { fit, lineHeight, PdfWriter, wrap } from '../printing/pdf';
import type { Db } from '../store/database';

// The monthly substitution sheet for the payroll (002 §7A.10): per teacher, hours given in
// substitution by kind and hours missed. `sheetColumns` (shared) defines the columns once;
// the screen, the PDF and the XLSX all draw from it.

export interface MonthlySheet {
  month: string;
  title: string;
  rows: SheetRow[];
}

export async function monthlySheet(db: Db, month: string, teacherId?: number): Promise<MonthlySheet> {
  const { from, to } = monthRange(month);
  const live = await db
    .selectFrom('substitution')
    .select(['absent_teacher_id', 'substitute_id', 'kind'])
    .where('date', '>=', from)
    .where('date', '<=', to)
    .where('removed_at', 'is', null)
    .execute();
  const ids = new Set<number>();
  for (const s of live) {
    ids.add(s.absent_teacher_id);
    if (s.substitute_id !== null) ids.add(s.substitute_id);
  }
  if (teacherId !== undefined) for (const id of [...ids]) if (id !== teacherId) ids.delete(id);
  const names = ids.size ? await db.selectFrom('app_user').select(['id', 'full_name']).where('id', 'in', [...ids]).execute() : [];
  const rows = names
    .map((user): SheetRow => {
      const row: SheetRow = { teacherId: user.id, teacherName: user.full_name, subject: 0, ownSubject: 0, merge: 0, missed: 0, cancelled: 0 };
      for (const s of live) {
        const kind = s.kind as SubstitutionKind;
        if (s.substitute_id === user.id && kind !== 'cancelled') row[kind] += 1;
        if (s.absent_teacher_id === user.id) {
          row.missed += 1;
          if (kind === 'cancelled') row.cancelled += 1;
        }
      }
      return row;
    })
    .sort((a, b) => a.teacherName.localeCompare(b.teacherName, 'ru'));
  return { month, title: sheetTitle(month), rows };
}

const SIGNATURE = 'Заместитель директора по УВР  ____________________ / ____________________ /';

function fileBase(sheet: MonthlySheet): string {
  return `Табель замен ${sheet.month}`;
}

async function sheetPdf(sheet: MonthlySheet, schoolName: string): Promise<Buffer> {
  const { to } = monthRange(sheet.month);
  const pdf = new PdfWriter({ title: sheet.title, subject: schoolName, date: new Date(`${to}T12:00:00Z`) }, { bindingMm: 15, outerMm: 12, topMm: 12, bottomMm: 12 }, false, undefined, 'landscape');
  let frame = pdf.newPage();
  const totalWeight = sheetColumns.reduce((sum, c) => sum + c.width, 0);
  const widths = sheetColumns.map((c) => (c.width / totalWeight) * frame.width);
  const size = 10;
  let y = frame.top;
  if (schoolName) {
    pdf.line(schoolName, frame.left, y, 'sans', size, { width: frame.width, align: 'center' });
    y += lineHeight(size) + 2;
  }
  pdf.line(sheet.title, frame.left, y, 'sansBold', 13, { width: frame.width, align: 'center' });
  y += lineHeight(13) + 8;

  const measure = (font: 'sans' | 'sansBold') => (text: string) => pdf.width(text, font, size);
  const drawRow = (cells: string[], font: 'sans' | 'sansBold') => {
    const wrapped = cells.map((cell, i) => wrap(measure(font), cell, widths[i]! - 6));
    const height = Math.max(...wrapped.map((lines) => lines.length)) * lineHeight(size) + 6;
    if (y + height > frame.top + frame.height - 40) {
      frame = pdf.newPage();
      y = frame.top;
    }
    let x = frame.left;
    const segments: Array<[number, number, number, number]> = [
      [frame.left, y, frame.left + frame.width, y],
      [frame.left, y + height, frame.left + frame.width, y + height],
    ];
    wrapped.forEach((lines, i) => {
      const numeric = sheetColumns[i]!.numeric && font === 'sans';
      pdf.lines(lines, x + 3, y + 3, font, size, { width: widths[i]! - 6, align: numeric ? 'right' : 'left' });
      segments.push([x, y, x, y + height]);
      x += widths[i]!;
    });
    segments.push([x, y, x, y + height]);
    pdf.strokeLines(segments);
    y += height;
  };
  drawRow(sheetColumns.map((c) => c.title), 'sansBold');
  if (sheet.rows.length === 0) drawRow(sheetColumns.map((_c, i) => (i === 0 ? 'Замен за месяц не было' : '')), 'sans');
  for (const row of sheet.rows) drawRow(sheetColumns.map((c) => String(c.value(row))), 'sans');
  y += 28;
  const signature = fit(pdf, SIGNATURE, 'sans', frame.width, 11, 8, 1);
  pdf.line(signature.lines[0] ?? SIGNATURE, frame.left, y, 'sans', signature.size);
  const finished = await pdf.finish();
  return finished.bytes!;
}

async function sheetXlsx(sheet: MonthlySheet, schoolName: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Журнал';
  const ws = workbook.addWorksheet('Табель замен', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = sheetColumns.map((c) => ({ width: Math.round(c.width * 12) }));
  if (schoolName) ws.addRow([schoolName]);
  ws.addRow([sheet.title]).font = { bold: true, size: 13 };
  ws.addRow([]);
  const header = ws.addRow(sheetColumns.map((c) => c.title));
  header.font = { bold: true };
  header.alignment = { wrapText: true, vertical: 'middle' };
  for (const row of sheet.rows) ws.addRow(sheetColumns.map((c) => c.value(row)));
  ws.addRow([]);
  ws.addRow([SIGNATURE]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export async function sheetFile(sheet: MonthlySheet, format: 'pdf' | 'xlsx', context: { schoolName: string }): Promise<{ fileName: string; base64: string }> {
  const bytes = format === 'pdf' ? await sheetPdf(sheet, context.schoolName) : await sheetXlsx(sheet, context.schoolName);
  return { fileName: `${fileBase(sheet)}.${format}`, base64: bytes.toString('base64') };
}
