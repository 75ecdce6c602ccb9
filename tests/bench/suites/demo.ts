import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import pg from 'pg';
import { migrations } from '../../../migrations/index';
import { localDate } from '../../../src-shared/rules/dates';
import { DEMO_GENERATOR_VERSION, DEMO_TIME_ZONE, generateDemoSchool, type DemoOptions } from '../../../src-main/demo/generate';
import { openStore, type Store } from '../../../src-main/store/database';
import { migrateToLatest } from '../../../src-main/store/migrate';
import { startPostgres } from '../../support/postgres-server';
import type { BenchSuite, Figure } from '../figure';

// Generation of the large demo school (1200 students, 5 years) on both
// engines — seconds (target ≤ 120 s on SQLite), rows per second, database size — and the
// mid-size one-year school behind the first-run button (aim ≤ 15 s).

export const LARGE_SCHOOL = { students: 1200, years: 5, seed: 1 } as const;
const MID_SIZE = { students: 700, years: 1, seed: 1 } as const;
/** A date at the end of a school year: the most lessons a one-year school can have. */
const FULL_YEAR_TODAY = '2027-05-26';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CACHE_DIR = join(REPO, '.tmp', 'bench');
const LARGE_FILE = join(CACHE_DIR, 'large-school.sqlite');
const LARGE_KEY_FILE = `${LARGE_FILE}.json`;

const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** What the cached file was made from: other migrations or another generator make it stale. */
function cacheKey(today: string): { migrations: string[]; generator: number; school: typeof LARGE_SCHOOL; today: string } {
  return { migrations: migrations.map(([name]) => name), generator: DEMO_GENERATOR_VERSION, school: LARGE_SCHOOL, today };
}

function isFresh(): boolean {
  if (!existsSync(LARGE_FILE) || !existsSync(LARGE_KEY_FILE)) return false;
  try {
    const stored = JSON.parse(readFileSync(LARGE_KEY_FILE, 'utf8')) as ReturnType<typeof cacheKey>;
    const wanted = cacheKey(stored.today);
    return JSON.stringify({ ...stored, today: '' }) === JSON.stringify({ ...wanted, today: '' });
  } catch {
    return false;
  }
}

function removeSqlite(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}

/** Folds the WAL into the main file so the file alone is the database and its size is true. */
async function checkpoint(store: Store): Promise<void> {
  await sql`pragma wal_checkpoint(TRUNCATE)`.execute(store.db);
}

async function generateSqlite(file: string, options: DemoOptions) {
  removeSqlite(file);
  const store = await openStore(file);
  try {
    await migrateToLatest(store);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await generateDemoSchool(store, options);
    const seconds = (performance.now() - started) / 1000;
    // SQLite runs in this process: its CPU time is the wall time a quiet machine would show.
    const cpu = process.cpuUsage(cpuBefore);
    await checkpoint(store);
    return { result, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await store.close();
  }
}

let pending: Promise<string> | null = null;

/**
 * The large demo school as an SQLite file, made once and reused by other bench suites
 * (journal page, printing, backup). Remade when the migrations or the generator change.
 * Open it read-only or copy it: a suite that writes into it changes what the next one sees.
 */
export function ensureLargeDemoDatabase(): Promise<string> {
  pending ??= (async () => {
    if (isFresh()) return LARGE_FILE;
    mkdirSync(CACHE_DIR, { recursive: true });
    const today = localDate(new Date(), DEMO_TIME_ZONE);
    const building = `${LARGE_FILE}.building`;
    await generateSqlite(building, { ...LARGE_SCHOOL, today });
    removeSqlite(LARGE_FILE);
    renameSync(building, LARGE_FILE);
    writeFileSync(LARGE_KEY_FILE, `${JSON.stringify(cacheKey(today), null, 2)}\n`);
    return LARGE_FILE;
  })();
  return pending;
}

async function sqliteFigures(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-demo-'));
  const figures: Figure[] = [];
  try {
    const mid = await generateSqlite(join(dir, 'mid.sqlite'), { ...MID_SIZE, today: FULL_YEAR_TODAY });
    figures.push(
      { name: 'SQLite: демо-школа 700 уч., 1 год, генерация (demo mid-size, 1 year)', value: round(mid.seconds), unit: 's', target: '≤ 15' },
      { name: 'SQLite: демо-школа 700 уч., 1 год, время ЦП (CPU time)', value: round(mid.cpuSeconds), unit: 's', target: '' },
      { name: 'SQLite: демо-школа 700 уч., 1 год, строк (rows)', value: mid.result.rows, unit: 'rows', target: '' },
    );

    // The large school: measured here and kept as the cache other suites reuse.
    const today = localDate(new Date(), DEMO_TIME_ZONE);
    const file = join(dir, 'large.sqlite');
    const large = await generateSqlite(file, { ...LARGE_SCHOOL, today });
    figures.push(
      { name: 'SQLite: большая школа 1200 уч., 5 лет, генерация (large school)', value: round(large.seconds), unit: 's', target: '≤ 120' },
      { name: 'SQLite: большая школа, время ЦП (CPU time)', value: round(large.cpuSeconds), unit: 's', target: '' },
      { name: 'SQLite: большая школа, строк (rows)', value: large.result.rows, unit: 'rows', target: '' },
      { name: 'SQLite: большая школа, скорость (rows/s)', value: Math.round(large.result.rows / large.seconds), unit: 'rows/s', target: '' },
      { name: 'SQLite: большая школа, размер файла (file size)', value: round(statSync(file).size / 1024 / 1024), unit: 'MB', target: '' },
    );
    mkdirSync(CACHE_DIR, { recursive: true });
    removeSqlite(LARGE_FILE);
    copyFileSync(file, LARGE_FILE); // the temporary folder may be on another disk
    writeFileSync(LARGE_KEY_FILE, `${JSON.stringify(cacheKey(today), null, 2)}\n`);
    pending = Promise.resolve(LARGE_FILE);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresFigures(): Promise<Figure[]> {
  const server = await startPostgres();
  const figures: Figure[] = [];
  try {
    const generate = async (database: string, options: DemoOptions) => {
      const admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
      await admin.query(`create database ${database}`);
      await admin.end();
      const url = new URL(server.adminUrl);
      url.pathname = `/${database}`;
      const store = await openStore(url.toString(), { poolSize: 2 });
      try {
        await migrateToLatest(store);
        const started = performance.now();
        const result = await generateDemoSchool(store, options);
        const seconds = (performance.now() - started) / 1000;
        const size = await sql<{ bytes: number }>`select pg_database_size(current_database()) as bytes`.execute(store.db);
        return { result, seconds, megabytes: Number(size.rows[0]!.bytes) / 1024 / 1024 };
      } finally {
        await store.close();
      }
    };
    const mid = await generate('demo_mid', { ...MID_SIZE, today: FULL_YEAR_TODAY });
    figures.push({ name: 'PostgreSQL: демо-школа 700 уч., 1 год, генерация (demo mid-size, 1 year)', value: round(mid.seconds), unit: 's', target: '' });
    const large = await generate('demo_large', { ...LARGE_SCHOOL, today: localDate(new Date(), DEMO_TIME_ZONE) });
    figures.push(
      { name: 'PostgreSQL: большая школа 1200 уч., 5 лет, генерация (large school)', value: round(large.seconds), unit: 's', target: '' },
      { name: 'PostgreSQL: большая школа, скорость (rows/s)', value: Math.round(large.result.rows / large.seconds), unit: 'rows/s', target: '' },
      { name: 'PostgreSQL: большая школа, размер базы (pg_database_size)', value: round(large.megabytes), unit: 'MB', target: '' },
    );
    return figures;
  } finally {
    await server.stop();
  }
}

export const demoSuite: BenchSuite = {
  name: 'demo',
  async run() {
    return [...(await sqliteFigures()), ...(await postgresFigures())];
  },
};
