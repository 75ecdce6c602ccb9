import { performance } from 'node:perf_hooks';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import pg from 'pg';
import { localDate } from '../../../src-shared/rules/dates';
import { DEMO_TIME_ZONE, generateDemoSchool } from '../../../src-main/demo/generate';
import { loadContextQuery } from '../../../src-main/load/repository';
import { fulfilmentOf } from '../../../src-main/plans/fulfilment';
import { parsePlanFile } from '../../../src-main/plans/import';
import { replaceRows } from '../../../src-main/plans/rows';
import { parseTable } from '../../../src-main/school/files/read-table';
import { openStore, type Store } from '../../../src-main/store/database';
import { migrateToLatest } from '../../../src-main/store/migrate';
import { startPostgres } from '../../support/postgres-server';
import type { BenchSuite, Figure } from '../figure';
import { ensureLargeDemoDatabase, LARGE_SCHOOL } from './demo';

// The КТП on the large demo school, SQLite: reading, checking and writing a 170-row plan file
// (target ≤ 300 ms; written inside a transaction that is rolled back, so the school stays as
// generated) and the deputy's school-wide planned-vs-given list (≤ 500 ms); on PostgreSQL
// (the same school generated into a fresh database, as the reports suite does) the
// school-wide list (≤ 1.5 s). Medians of five runs after one warm-up.

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

async function planFile(rows: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('КТП');
  sheet.addRow(['Календарно-тематическое планирование']);
  sheet.addRow(['№ п/п', 'Раздел', 'Тема урока', 'Кол-во часов', 'Дата (план)', 'Домашнее задание']);
  for (let i = 0; i < rows; i++) {
    const day = new Date(Date.UTC(2026, 8, 1 + Math.floor(i * 1.6)));
    sheet.addRow([i + 1, `Раздел ${1 + Math.floor(i / 20)}`, `Тема урока номер ${i + 1}: повторение и закрепление`, 1, day, `§ ${1 + Math.floor(i / 3)}, упр. ${i + 1}`]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

class Rollback extends Error {}

/** The deputy's school-wide planned-vs-given list, as `plans.fulfilment` reads it. */
async function fulfilmentFigure(store: Store, engine: 'SQLite' | 'PostgreSQL'): Promise<Figure> {
  const today = new Date().toISOString().slice(0, 10);
  const year = await store.db.selectFrom('academic_year').select(['id', 'starts_on', 'ends_on']).where('starts_on', '<=', today).orderBy('starts_on', 'desc').executeTakeFirstOrThrow();
  const loads = await loadContextQuery(store.db).where('tl.year_id', '=', year.id).execute();
  const date = today < year.ends_on ? today : year.ends_on;
  return {
    name: `${engine}: выполнение программы по школе, ${loads.length} нагрузок (school-wide planned vs given)`,
    value: round(await timeMs(() => fulfilmentOf(store.db, year, loads, date))),
    unit: 'ms',
    target: engine === 'SQLite' ? '≤ 500' : '≤ 1500',
  };
}

async function postgresFulfilment(): Promise<Figure> {
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query('create database plans_large');
    await admin.end();
    const url = new URL(server.adminUrl);
    url.pathname = '/plans_large';
    const store = await openStore(url.toString(), { poolSize: 2 });
    try {
      await migrateToLatest(store);
      await generateDemoSchool(store, { ...LARGE_SCHOOL, today: localDate(new Date(), DEMO_TIME_ZONE) });
      await sql`analyze`.execute(store.db);
      return await fulfilmentFigure(store, 'PostgreSQL');
    } finally {
      await store.close();
    }
  } finally {
    await server.stop();
  }
}

export const plansSuite: BenchSuite = {
  name: 'plans',
  async run(): Promise<Figure[]> {
    const file = await ensureLargeDemoDatabase();
    const store = await openStore(file);
    let figures: Figure[];
    try {
      const today = new Date().toISOString().slice(0, 10);
      const year = await store.db.selectFrom('academic_year').select(['id', 'name', 'starts_on', 'ends_on']).where('starts_on', '<=', today).orderBy('starts_on', 'desc').executeTakeFirstOrThrow();
      const plan = await store.db.selectFrom('plan').select(['id', 'load_id']).where('year_id', '=', year.id).executeTakeFirstOrThrow();
      const workTypes = await store.db.selectFrom('work_type').select(['id', 'name']).execute();
      const bytes = await planFile(170);
      const importOnce = async () => {
        try {
          await store.db.transaction().execute(async (tx) => {
            const parsed = parsePlanFile(await parseTable(bytes, 'ктп.xlsx'), year, workTypes);
            if (parsed.result.errorRows > 0 || parsed.rows.length !== 170) throw new Error('файл КТП прочитан неверно');
            // Rows of lessons already given stay: the file is written over them by position.
            await replaceRows(tx, plan.id, plan.load_id, parsed.rows, true);
            throw new Rollback();
          });
        } catch (error) {
          if (!(error instanceof Rollback)) throw error;
        }
      };
      figures = [{ name: 'SQLite: импорт КТП на 170 уроков (170-row plan import)', value: round(await timeMs(importOnce)), unit: 'ms', target: '≤ 300' }, await fulfilmentFigure(store, 'SQLite')];
    } finally {
      await store.close();
    }
    return [...figures, await postgresFulfilment()];
  },
};
