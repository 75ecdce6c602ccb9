import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { parseTable } from './src-main/school/files/read-table';
const buf = readFileSync(process.argv[2]!);
const base = process.memoryUsage().rss;
let s = performance.now(); const t = await parseTable(buf, 'a.xlsx'); console.log('stream rows', t.rows.length, 'ms', Math.round(performance.now()-s), 'rss', Math.round(process.memoryUsage().rss/1e6), 'base', Math.round(base/1e6));
s = performance.now(); const wb = new ExcelJS.Workbook(); await wb.xlsx.load(buf as unknown as ArrayBuffer); console.log('load ms', Math.round(performance.now()-s), 'rss', Math.round(process.memoryUsage().rss/1e6));
