import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { printClassJournal } from '../../../src-main/printing/class-journal';
import { classesOfYear, currentYear } from '../../../src-main/printing/repository';
import { fontsDirectory } from '../../../src-main/printing/pdf';
import { printSchool } from '../../../src-main/printing/school';
import { openStore } from '../../../src-main/store/database';
import type { BenchSuite, Figure } from '../figure';
import { ensureLargeDemoDatabase } from './demo';

// On the large demo school (1200 students, 5 years; the current year's first quarter): one
// class-quarter with all its subjects (target ≤ 2 s), and the whole school's quarter, one
// PDF per class streamed to disk (target ≤ 60 s, peak RSS ≤ 1 GB) — beside pdfmake's own
// rate on dense marks-like pages of the same fonts, measured in the same run. The journal
// draws on PDFKit directly (printing/pdf.ts), so pdfmake's document model is the rate a
// straightforward pdfmake journal would get, not a floor for ours.

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/**
 * Where the wall-clock time of this process's main thread went (Linux: /proc schedstat):
 * running on a CPU, or ready to run but waiting for one — the other processes of a shared
 * machine. Wall time minus both is time blocked (disk I/O, fsync, sleeping). Null elsewhere.
 */
function mainThreadClock(): { runS: number; waitS: number } | null {
  const file = `/proc/self/task/${process.pid}/schedstat`;
  if (!existsSync(file)) return null;
  const [run, wait] = readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
  return { runS: run! / 1e9, waitS: wait! / 1e9 };
}

/** Wall, process CPU and the main thread's split, for one piece of work. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; wallS: number; cpuS: number; runS: number | null; waitS: number | null }> {
  const clock = mainThreadClock();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const wallS = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const after = mainThreadClock();
  return {
    result,
    wallS,
    cpuS: (used.user + used.system) / 1e6,
    runS: clock && after ? after.runS - clock.runS : null,
    waitS: clock && after ? after.waitS - clock.waitS : null,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Samples the process's resident memory while `work` runs; returns the peak in MB. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakMb: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

const require = createRequire(import.meta.url);
type RawPrinter = { createPdfKitDocument(definition: unknown): { on(event: string, listener: (chunk?: Buffer) => void): void; end(): void } };

/** pdfmake alone: `pages` landscape A4 pages, each a 30 × 28 grid of short cells in PT Sans Narrow; pages per second. */
async function rawPdfmakeRate(pages: number): Promise<number> {
  const Printer = require('pdfmake/src/printer') as new (fonts: Record<string, Record<string, string>>) => RawPrinter;
  const dir = fontsDirectory();
  const font = join(dir, 'PTSansNarrow-Regular.ttf');
  const printer = new Printer({ PTSansNarrow: { normal: font, bold: join(dir, 'PTSansNarrow-Bold.ttf'), italics: font, bolditalics: font } });
  const marks = ['5', '4', '3', 'н', '', '4/5', 'Б', ''];
  const page = (p: number) => ({
    table: {
      headerRows: 1,
      widths: [90, ...Array.from({ length: 27 }, () => '*')],
      body: Array.from({ length: 31 }, (_, r) => [r === 0 ? 'Ученик' : `Ученик ${p}-${r}`, ...Array.from({ length: 27 }, (_, c) => (r === 0 ? `${(c % 28) + 1}.10` : marks[(r * 7 + c * 3 + p) % marks.length]!))]),
    },
    fontSize: 7,
    ...(p < pages - 1 ? { pageBreak: 'after' } : {}),
  });
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const doc = printer.createPdfKitDocument({ pageSize: 'A4', pageOrientation: 'landscape', pageMargins: [20, 20, 20, 20], defaultStyle: { font: 'PTSansNarrow' }, content: Array.from({ length: pages }, (_, p) => page(p)) });
    doc.on('data', () => {});
    doc.on('end', () => resolve());
    doc.on('error', () => reject(new Error('pdfmake failed')));
    doc.end();
  });
  return pages / ((performance.now() - started) / 1000);
}

export const printingSuite: BenchSuite = {
  name: 'printing',
  async run(): Promise<Figure[]> {
    const file = await ensureLargeDemoDatabase();
    // Read-only use: nothing is recorded in the print log here.
    const store = await openStore(file);
    const outDir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-print-'));
    try {
      const today = new Date().toISOString().slice(0, 10);
      const year = await currentYear(store.db, today);
      if (!year) throw new Error('в большой демо-школе нет учебного года');
      const classes = await classesOfYear(store.db, year.id);
      // The largest class of the middle grades: the most students and subjects.
      let biggest = { id: classes[0]!.id, name: classes[0]!.name, students: -1 };
      for (const c of classes.filter((c) => c.grade >= 5 && c.grade <= 9)) {
        const row = await store.db.selectFrom('enrollment').select((eb) => eb.fn.countAll<number>().as('n')).where('class_id', '=', c.id).executeTakeFirstOrThrow();
        if (Number(row.n) > biggest.students) biggest = { id: c.id, name: c.name, students: Number(row.n) };
      }

      const runs: Array<Awaited<ReturnType<typeof measured>>> = [];
      let pages = 0;
      for (let i = 0; i < 5; i++) {
        const run = await measured(() => printClassJournal(store, { classId: biggest.id, period: { number: 1 } }));
        pages = run.result.pages;
        runs.push(run);
      }
      const warm = runs.slice(1);
      const figures: Figure[] = [
        { name: `Журнал класса за четверть (${biggest.name}, ${biggest.students} уч., все предметы), первый запуск`, value: round(runs[0]!.wallS), unit: 's', target: '≤ 2 s' },
        { name: `Журнал класса за четверть (${biggest.name}), медиана повторных`, value: round(median(warm.map((r) => r.wallS))), unit: 's', target: '≤ 2 s' },
        // CPU time beside wall time: on a shared, busy machine the wall clock measures the neighbours too.
        { name: `Журнал класса за четверть (${biggest.name}), время процессора, медиана повторных`, value: round(median(warm.map((r) => r.cpuS))), unit: 's', target: '' },
      ];
      if (warm[0]!.waitS !== null) {
        figures.push({ name: `Журнал класса за четверть (${biggest.name}), ожидание свободного процессора (заняты другими процессами), медиана`, value: round(median(warm.map((r) => r.waitS!))), unit: 's', target: '' });
      }
      figures.push({ name: 'Журнал класса за четверть, страниц', value: pages, unit: 'pages', target: '' });

      // The whole school as the app's job and the CLI run it: each file written, fsync'ed, renamed.
      const { result: school, peakMb } = await withPeakRss(() => measured(() => printSchool(store, { yearId: year.id, period: { number: 1 }, outDir, record: null })));
      const totalPages = school.result.files.reduce((s, f) => s + f.pages, 0);
      figures.push(
        { name: `Вся школа за I четверть ${year.name} (${school.result.files.length} классов, по PDF на класс на диск)`, value: round(school.wallS, 1), unit: 's', target: '≤ 60 s' },
        { name: 'Вся школа за четверть, время процессора (все потоки)', value: round(school.cpuS, 1), unit: 's', target: '' },
      );
      if (school.runS !== null && school.waitS !== null) {
        // Wall = main thread on a CPU + waiting for a CPU (other processes) + blocked (disk, fsync).
        figures.push(
          { name: 'Вся школа за четверть: основной поток на процессоре', value: round(school.runS, 1), unit: 's', target: '' },
          { name: 'Вся школа за четверть: ожидание свободного процессора (заняты другими процессами)', value: round(school.waitS, 1), unit: 's', target: '' },
          { name: 'Вся школа за четверть: ожидание диска и прочее (запись, fsync)', value: round(Math.max(0, school.wallS - school.runS - school.waitS), 1), unit: 's', target: '' },
        );
      }
      figures.push(
        { name: 'Вся школа за четверть, страниц', value: totalPages, unit: 'pages', target: '' },
        { name: 'Вся школа за четверть, страниц в секунду', value: round(totalPages / school.wallS, 1), unit: 'pages/s', target: '' },
        { name: 'pdfmake без журнала (плотная сетка 30 × 28, те же шрифты), страниц в секунду (для сравнения)', value: round(await rawPdfmakeRate(200), 1), unit: 'pages/s', target: '' },
        { name: 'Вся школа за четверть, пиковая память процесса (RSS)', value: round(peakMb, 0), unit: 'MB', target: '≤ 1024 MB' },
      );
      return figures;
    } finally {
      await store.close();
      rmSync(outDir, { recursive: true, force: true });
    }
  },
};
