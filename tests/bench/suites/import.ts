import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { createCore, type Core } from '../../../src-main/app/core';
import { longSheet, lyingBomb, rowsBomb } from '../../support/spreadsheet-bombs';
import type { BenchSuite, Figure } from '../figure';

// Crafted files against the import (once, a 429 KB XLSX held the core for 14 s and 2.9 GB):
// how long until the refusal, the process's memory meanwhile, and how long the core's own
// thread was held (the file is read in a worker thread).

const ADMIN = { login: 'admin', password: 'Пароль-для-замеров-1' };
const MB = 1024 * 1024;
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

async function unwrap<T>(core: Core, method: string, input: unknown, session: string | null = null): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  const result = await core.call({ method, input, session });
  return result.ok ? { ok: true, value: result.value as T } : { ok: false, message: result.error.message };
}

async function must<T>(core: Core, method: string, input: unknown, session: string | null = null): Promise<T> {
  const result = await unwrap<T>(core, method, input, session);
  if (!result.ok) throw new Error(`${method}: ${result.message}`);
  return result.value;
}

interface Measured {
  ms: number;
  /** The process's peak RSS during the call over its RSS just before. */
  rssGrowthMb: number;
  heldMs: number;
  answer: string;
}

/** One import.preview: wall time, how much the process's RSS grew at its peak (sampled every 2 ms), the longest event-loop stall. */
async function measure(core: Core, session: string, fileName: string, bytes: Buffer): Promise<Measured> {
  const content = bytes.toString('base64');
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  const started = performance.now();
  const result = await unwrap<{ validRows: number; errorRows: number }>(core, 'import.preview', { kind: 'students', fileName, content }, session);
  const ms = performance.now() - started;
  stalls.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, rssGrowthMb: (peak - before) / MB, heldMs: stalls.max / 1e6, answer: result.ok ? `${result.value.validRows + result.value.errorRows} строк` : result.message };
}

async function legitimateBook(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Ученики');
  sheet.addRow(['Фамилия', 'Имя', 'Отчество', 'Дата рождения', 'Пол', 'Класс', 'Дата зачисления', 'Приказ о зачислении']);
  for (let i = 0; i < rows; i++) sheet.addRow([`Иванов${i}`, `Иван${i % 53}`, `Иванович${i % 31}`, new Date(Date.UTC(2012 + (i % 6), i % 12, 1 + (i % 28))), i % 2 ? 'м' : 'ж', `${1 + (i % 11)}А`, '01.09.2026', `Приказ № ${i % 300}`]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export const importSuite: BenchSuite = {
  name: 'import',
  async run(): Promise<Figure[]> {
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-import-'));
    const core = await createCore({ databaseUrl: join(dir, 'zhurnal.sqlite') });
    const figures: Figure[] = [];
    try {
      await must(core, 'setup.createSchool', { schoolName: 'Школа для замеров', timeZone: 'Europe/Moscow', adminLogin: ADMIN.login, adminFullName: 'Администратор Замеров', adminPassword: ADMIN.password });
      const session = (await must<{ session: string }>(core, 'auth.login', ADMIN)).session;
      await must(core, 'school.years.create', { name: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-08-31' }, session);

      // Files are built when measured: the bench's own workbook must not count as the import's memory.
      const cases: Array<{ title: string; fileName: string; bytes: () => Promise<Buffer> | Buffer; refusal: boolean }> = [
        { title: 'XLSX-бомба: 3 млн строк', fileName: 'bomb.xlsx', bytes: () => rowsBomb(3_000_000), refusal: true },
        { title: 'XLSX-бомба с ложным оглавлением', fileName: 'lying.xlsx', bytes: () => lyingBomb(3_000_000, 1000), refusal: true },
        { title: 'XLSX 25 000 строк (больше предела)', fileName: 'long.xlsx', bytes: () => longSheet(25_000), refusal: true },
        { title: 'CSV 20 001 строка', fileName: 'rows.csv', bytes: () => Buffer.from('Фамилия;Имя;Класс\r\n' + 'Иванов;Иван;5А\r\n'.repeat(20_001), 'utf8'), refusal: true },
        { title: 'XLSX 20 000 учеников (обычный файл)', fileName: 'students.xlsx', bytes: () => legitimateBook(20_000), refusal: false },
      ];
      // The first read starts the worker (kept for the next file, as after a preview): a warm-up, not a figure.
      await measure(core, session, 'warm-up.csv', Buffer.from('Фамилия;Имя;Класс\r\nИванов;Иван;5А\r\n', 'utf8'));
      figures.push({ name: 'Импорт: память процесса до замеров (RSS)', value: round(process.memoryUsage().rss / MB, 0), unit: 'MB', target: '' });
      for (const item of cases) {
        const bytes = await item.bytes();
        const result = await measure(core, session, item.fileName, bytes);
        const label = `${item.title}, ${round(bytes.length / 1024, 0)} КБ`;
        if (item.refusal && !/больше|не принята/.test(result.answer)) throw new Error(`${item.title}: не отклонён (${result.answer})`);
        figures.push({ name: `Импорт: ${label} — ${item.refusal ? 'отказ' : 'проверка'} за`, value: round(result.ms, 0), unit: 'ms', target: item.refusal ? '≤ 1000 ms' : '' });
        figures.push({ name: `Импорт: ${label} — прирост памяти процесса (RSS, пик)`, value: round(result.rssGrowthMb, 0), unit: 'MB', target: item.refusal ? '≤ 200 MB' : '' });
        figures.push({ name: `Импорт: ${label} — поток ядра занят подряд не дольше`, value: round(result.heldMs, 0), unit: 'ms', target: '' });
      }
    } finally {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
