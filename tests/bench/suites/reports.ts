import { performance } from 'node:perf_hooks';
import { currentYear } from '../../../src-main/printing/repository';
import { makeReport } from '../../../src-main/reports/forms';
import { reportPdf, reportXlsx } from '../../../src-main/reports/render';
import { controlSummary } from '../../../src-main/reports/summary';
import { openStore } from '../../../src-main/store/database';
import type { BenchSuite, Figure } from '../figure';
import { ensureLargeDemoDatabase } from './demo';

// Reports on the large demo school (1200 students, 5 years), SQLite: the deputy's control
// summary (target ≤ 300 ms), one class's and the school's period results (≤ 100 ms, ≤ 1 s),
// the school's results as XLSX (≤ 3 s) and a report PDF with a chart (≤ 2 s). Medians of
// five runs after one warm-up. PostgreSQL figures are not measured here yet.

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeMs(work: () => Promise<unknown>): Promise<number> {
  await work();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await work();
    runs.push(performance.now() - started);
  }
  return median(runs);
}

export const reportsSuite: BenchSuite = {
  name: 'reports',
  async run(): Promise<Figure[]> {
    const file = await ensureLargeDemoDatabase();
    const store = await openStore(file);
    try {
      const now = new Date();
      const year = await currentYear(store.db, now.toISOString().slice(0, 10));
      if (!year) throw new Error('в большой демо-школе нет учебного года');
      const period = await store.db.selectFrom('study_period').select('id').where('year_id', '=', year.id).orderBy('starts_on').orderBy('grade_from').executeTakeFirstOrThrow();
      const someClass = await store.db.selectFrom('school_class').select('id').where('year_id', '=', year.id).where('grade', '=', 7).executeTakeFirstOrThrow();
      const all = { all: true } as const;
      const school = () => makeReport(store.db, now, { form: 'results', periodId: period.id }, all);
      const schoolResults = await school();
      return [
        { name: 'SQLite: сводка контроля заместителя (deputy dashboard)', value: round(await timeMs(() => controlSummary(store.db, now, {}))), unit: 'ms', target: '≤ 300' },
        { name: 'SQLite: итоги периода одного класса (class period results)', value: round(await timeMs(() => makeReport(store.db, now, { form: 'results', periodId: period.id, classId: someClass.id, groupBy: 'subject' }, all))), unit: 'ms', target: '≤ 100' },
        { name: 'SQLite: итоги периода школы (school period results)', value: round(await timeMs(school)), unit: 'ms', target: '≤ 1000' },
        { name: 'SQLite: итоги школы в XLSX (school results as XLSX)', value: round(await timeMs(async () => reportXlsx(await school()))), unit: 'ms', target: '≤ 3000' },
        { name: 'SQLite: отчёт PDF с диаграммой (report PDF with a chart)', value: round(await timeMs(() => reportPdf(schoolResults))), unit: 'ms', target: '≤ 2000' },
      ];
    } finally {
      await store.close();
    }
  },
};
