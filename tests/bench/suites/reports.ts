import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { localDate } from '../../../src-shared/rules/dates';
import { DEMO_TIME_ZONE, generateDemoSchool } from '../../../src-main/demo/generate';
import { currentYear } from '../../../src-main/printing/repository';
import { makeReport } from '../../../src-main/reports/forms';
import { reportPdf, reportXlsx } from '../../../src-main/reports/render';
import { controlSummary } from '../../../src-main/reports/summary';
import { openStore, type Store } from '../../../src-main/store/database';
import { migrateToLatest } from '../../../src-main/store/migrate';
import { startPostgres } from '../../support/postgres-server';
import type { BenchSuite, Figure } from '../figure';
import { ensureLargeDemoDatabase, LARGE_SCHOOL } from './demo';

// Reports on the large demo school (1200 students, 5 years), on SQLite and on PostgreSQL:
// the deputy's control summary (≤ 300 ms on SQLite, ≤ 1 s on PostgreSQL), one class's and
// the school's period results (≤ 100 ms, ≤ 1 s), the school's results as XLSX (≤ 3 s) and a
// report PDF with a chart (≤ 2 s); one teacher's subject teacher's report as one class's
// results (≤ 100 ms), the school's attendance summary as the school's results (≤ 1 s) and
// its PDF (≤ 2 s), one class's risk group as a home page (≤ 300 ms). Medians of five runs
// after one warm-up.

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

async function measure(store: Store, engine: 'SQLite' | 'PostgreSQL'): Promise<Figure[]> {
  const now = new Date();
  const year = await currentYear(store.db, now.toISOString().slice(0, 10));
  if (!year) throw new Error('в большой демо-школе нет учебного года');
  const period = await store.db.selectFrom('study_period').select('id').where('year_id', '=', year.id).orderBy('starts_on').orderBy('grade_from').executeTakeFirstOrThrow();
  const someClass = await store.db.selectFrom('school_class').select('id').where('year_id', '=', year.id).where('grade', '=', 7).executeTakeFirstOrThrow();
  const all = { all: true } as const;
  const school = () => makeReport(store.db, now, { form: 'results', periodId: period.id }, all);
  const schoolResults = await school();
  const dynamics = await makeReport(store.db, now, { form: 'averageDynamics', periodId: period.id, classId: someClass.id }, all);
  const someTeacher = await store.db.selectFrom('teaching_load').select('teacher_id').where('class_id', '=', someClass.id).orderBy('id').executeTakeFirstOrThrow();
  const attendance = () => makeReport(store.db, now, { form: 'schoolAttendance', periodId: period.id }, all);
  const schoolAttendance = await attendance();
  return [
    { name: `${engine}: сводка контроля заместителя (deputy dashboard)`, value: round(await timeMs(() => controlSummary(store.db, now, {}))), unit: 'ms', target: engine === 'SQLite' ? '≤ 300' : '≤ 1000' },
    { name: `${engine}: итоги периода одного класса (class period results)`, value: round(await timeMs(() => makeReport(store.db, now, { form: 'results', periodId: period.id, classId: someClass.id, groupBy: 'subject' }, all))), unit: 'ms', target: '≤ 100' },
    { name: `${engine}: итоги периода школы (school period results)`, value: round(await timeMs(school)), unit: 'ms', target: '≤ 1000' },
    { name: `${engine}: итоги школы в XLSX (school results as XLSX)`, value: round(await timeMs(async () => reportXlsx(await school()))), unit: 'ms', target: '≤ 3000' },
    { name: `${engine}: отчёт PDF с диаграммой (report PDF with a chart)`, value: round(await timeMs(() => reportPdf(schoolResults))), unit: 'ms', target: '≤ 2000' },
    { name: `${engine}: отчёт учителя-предметника за период (subject teacher's report)`, value: round(await timeMs(() => makeReport(store.db, now, { form: 'subjectTeacher', periodId: period.id, teacherId: someTeacher.teacher_id }, all))), unit: 'ms', target: '≤ 100' },
    { name: `${engine}: отчёт учителя-предметника за год (subject teacher's year report)`, value: round(await timeMs(() => makeReport(store.db, now, { form: 'subjectTeacher', yearId: year.id, teacherId: someTeacher.teacher_id }, all))), unit: 'ms', target: '≤ 100' },
    { name: `${engine}: сводка посещаемости школы за период (school attendance summary)`, value: round(await timeMs(attendance)), unit: 'ms', target: '≤ 1000' },
    { name: `${engine}: сводка посещаемости школы, PDF с диаграммой (attendance summary PDF)`, value: round(await timeMs(() => reportPdf(schoolAttendance))), unit: 'ms', target: '≤ 2000' },
    { name: `${engine}: группа риска класса на главной (class teacher's risk group)`, value: round(await timeMs(() => makeReport(store.db, now, { form: 'classTeacher', classId: someClass.id }, all))), unit: 'ms', target: '≤ 300' },
    { name: `${engine}: динамика среднего балла класса, PDF (average dynamics PDF)`, value: round(await timeMs(async () => reportPdf(await makeReport(store.db, now, dynamics.filter, all)))), unit: 'ms', target: '≤ 2000' },
  ];
}

async function postgresFigures(): Promise<Figure[]> {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query('create database reports_large');
    await admin.end();
    const url = new URL(server.adminUrl);
    url.pathname = '/reports_large';
    const store = await openStore(url.toString(), { poolSize: 2 });
    try {
      await migrateToLatest(store);
      await generateDemoSchool(store, { ...LARGE_SCHOOL, today: localDate(new Date(), DEMO_TIME_ZONE) });
      await sql`analyze`.execute(store.db);
      return await measure(store, 'PostgreSQL');
    } finally {
      await store.close();
    }
  } finally {
    await server.stop();
  }
}

export const reportsSuite: BenchSuite = {
  name: 'reports',
  async run(): Promise<Figure[]> {
    const file = await ensureLargeDemoDatabase();
    const store = await openStore(file);
    let figures: Figure[];
    try {
      figures = await measure(store, 'SQLite');
    } finally {
      await store.close();
    }
    return [...figures, ...(await postgresFigures())];
  },
};
