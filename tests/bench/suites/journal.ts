import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { createCore, type Core } from '../../../src-main/core/core';
import type { Db } from '../../../src-main/store/database';
import { startPostgres } from '../../support/postgres-server';
import type { BenchSuite, Figure } from '../figure';
import { workTypeId } from '../../support/work-types';
import { DEMO_PASSWORD } from '../../../src-main/demo/generate';
import { ensureLargeDemoDatabase } from './demo';

// Open a 35 × 60 journal page and save one mark through the router, on SQLite and
// PostgreSQL, each beside its floor and the ratio to it.
// - The page's floor is the same read statements the core sent while serving the page
//   (recorded from the driver during one call), replayed on a connection of the bench's own
//   as the driver reads fastest: SQLite rows as arrays (`raw(true)`), PostgreSQL rows as
//   arrays (`rowMode: 'array'`) over a pool of the core's size, all at once.
// - Warm: the core's caches hold the caller (2 s), the inactivity limit (10 s) and the
//   journal environment (5 s). Cold: before every measured call the caller cache is cleared
//   the core's own way (an `auth.*` call clears it) and the clock — the injected one and
//   `Date.now`, which the caches read — moves on past every cache's life. The cold floor
//   replays what the core read on a cold call, the cache refills included. The SQLite page
//   cache and the prepared statements stay warm: this is a PC whose caches expired, not a
//   PC that just started (the foundation suite measures that).
// - The save's floor writes the mark and an audit row in one transaction with raw
//   prepared statements.
// The data is built here (a class of 35 with 60 lessons, about one mark per two cells); the
// large demo school's fullest page is measured the same way.

const STUDENTS = 35;
const LESSONS = 60;
const WARM_UP = 50;
const RUNS = 400;
const COLD_WARM_UP = 5;
const COLD_RUNS = 120;
/** Longer than every cache of the core: callers 2 s, journal environment 5 s, settings 10 s. */
const PAST_EVERY_CACHE_MS = 11_000;
/** The core's PostgreSQL pool (its default, stated so the page's floor gets as many). */
const CORE_POOL_SIZE = 4;
const NOW = new Date('2026-11-25T07:00:00.000Z'); // 14:00 in Tomsk, after the 60th lesson
const TEACHER = { login: 'teacher', password: 'Пароль-учителя-1' };

/**
 * The bench's clock: the core's injected clock and `Date.now` both run `offsetMs` ahead of
 * real time, so the cold runs can move them past the caches' lives without waiting.
 */
const clock = { offsetMs: 0 };
const realDateNow = Date.now;
const benchNow = (base: Date) => () => new Date(base.getTime() + clock.offsetMs);
async function withBenchClock<T>(work: () => Promise<T>): Promise<T> {
  clock.offsetMs = 0;
  Date.now = () => realDateNow() + clock.offsetMs;
  try {
    return await work();
  } finally {
    Date.now = realDateNow;
  }
}

const quantile = (samples: number[], q: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

async function call<T>(core: Core, method: string, input: unknown, session: string | null = null): Promise<T> {
  const result = await core.call({ method, input, session });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

/**
 * Wall time per run (p50, p95) and this process's CPU per run (mean, ms). On a busy machine
 * the wall time of an awaited call stretches more than that of a synchronous read; the CPU
 * time does not, so the ratios are given by both (on PostgreSQL the server's CPU is not in it).
 */
interface Timing {
  p50: number;
  p95: number;
  cpu: number;
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

async function timed(run: (i: number) => Promise<unknown> | unknown): Promise<Timing> {
  for (let i = 0; i < WARM_UP; i++) await run(i);
  const samples: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run(WARM_UP + i);
    samples.push(performance.now() - started);
  }
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95), cpu: cpuMsSince(cpuStart) / RUNS };
}

/**
 * Like `timed`, with the core's caches expired before every run: an `auth.*` call clears the
 * caller cache (untimed), then the clock moves past every cache's life.
 */
async function timedCold(core: Core, session: string, run: (i: number) => Promise<unknown> | unknown): Promise<Timing> {
  const samples: number[] = [];
  let cpu = 0;
  for (let i = 0; i < COLD_WARM_UP + COLD_RUNS; i++) {
    await expireCaches(core, session);
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    await run(i);
    if (i >= COLD_WARM_UP) {
      samples.push(performance.now() - started);
      cpu += cpuMsSince(cpuStart);
    }
  }
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95), cpu: cpu / COLD_RUNS };
}

async function expireCaches(core: Core, session: string): Promise<void> {
  await call(core, 'auth.whoami', {}, session);
  clock.offsetMs += PAST_EVERY_CACHE_MS;
}

/** A read statement as the driver received it. */
interface Recorded {
  text: string;
  args: unknown[];
}

type Patchable = Record<string, (...args: unknown[]) => unknown>;

/** Runs `work` and returns every read statement the core sent to SQLite meanwhile. */
async function recordSqliteReads(probe: BetterSqlite3.Database, work: () => Promise<unknown>): Promise<Recorded[]> {
  // Every connection's statements share one prototype.
  const prototype = Object.getPrototypeOf(probe.prepare('select 1')) as Patchable;
  const methods = ['all', 'get', 'iterate'] as const;
  const originals = Object.fromEntries(methods.map((m) => [m, prototype[m]!]));
  const seen: Recorded[] = [];
  for (const method of methods) {
    prototype[method] = function (this: BetterSqlite3.Statement, ...args: unknown[]) {
      if (this.reader) seen.push({ text: this.source, args });
      return originals[method]!.apply(this, args);
    };
  }
  try {
    await work();
  } finally {
    Object.assign(prototype, originals);
  }
  return seen;
}

/** The same statements on the bench's connection, read as arrays: the fastest way better-sqlite3 reads them. */
function sqliteFloor(raw: BetterSqlite3.Database, recorded: Recorded[]): () => unknown {
  const statements = recorded.map((r) => ({ statement: raw.prepare(r.text).raw(true), args: r.args }));
  return () => statements.map((s) => s.statement.all(...s.args));
}

/** Runs `work` and returns every select the core sent to PostgreSQL meanwhile. */
async function recordPostgresReads(work: () => Promise<unknown>): Promise<Recorded[]> {
  const prototype = pg.Client.prototype as unknown as Patchable;
  const original = prototype.query!;
  const seen: Recorded[] = [];
  prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const [first, second] = args;
    const query = typeof first === 'string' ? { text: first, values: second } : (first as { text?: unknown; values?: unknown } | null);
    if (query && typeof query.text === 'string' && /^\s*(\/\*.*?\*\/\s*)?select /i.test(query.text)) {
      seen.push({ text: query.text, args: Array.isArray(query.values) ? [...(query.values as unknown[])] : [] });
    }
    return original.apply(this, args);
  };
  try {
    await work();
  } finally {
    prototype.query = original;
  }
  return seen;
}

/** The same statements, prepared, rows as arrays, all at once over a pool of the core's size. */
function postgresFloor(pool: pg.Pool, recorded: Recorded[], prefix: string): () => Promise<unknown> {
  const queries = recorded.map((r, i) => ({ name: `${prefix}_${i}`, text: r.text, values: r.args, rowMode: 'array' as const }));
  return () => Promise.all(queries.map((q) => pool.query(q)));
}

async function insertId(db: Db, table: string, values: Record<string, unknown>): Promise<number> {
  const row = await db.insertInto(table as never).values(values as never).returning('id' as never).executeTakeFirstOrThrow();
  return (row as { id: number }).id;
}

async function insertMany(db: Db, table: string, rows: Record<string, unknown>[]) {
  for (let i = 0; i < rows.length; i += 200) await db.insertInto(table as never).values(rows.slice(i, i + 200) as never).execute();
}

interface Built {
  session: string;
  loadId: number;
  periodId: number;
  teacherId: number;
  workTypeId: number;
  students: number[];
  /** Lessons still inside the edit window: where the measured saves go. */
  openLessons: number[];
}

/** A school with one class of 35 and a page of 60 lessons, marks and absences. */
export async function build(core: Core): Promise<Built> {
  await call(core, 'setup.createSchool', { schoolName: 'Школа для замеров', timeZone: 'Asia/Tomsk', adminLogin: 'admin', adminFullName: 'Администратор Замеров', adminPassword: 'Пароль-админа-1' });
  const admin = (await call<{ session: string }>(core, 'auth.login', { login: 'admin', password: 'Пароль-админа-1' })).session;
  const teacher = await call<{ id: number }>(core, 'accounts.create', { login: TEACHER.login, fullName: 'Учитель Замеров', roles: ['teacher'], temporaryPassword: 'Временный-1' }, admin);
  const first = (await call<{ session: string }>(core, 'auth.login', { login: TEACHER.login, password: 'Временный-1' })).session;
  await call(core, 'auth.changePassword', { currentPassword: 'Временный-1', newPassword: TEACHER.password }, first);

  const db = core.store.db;
  const yearId = await insertId(db, 'academic_year', { name: '2026/2027', starts_on: '2026-09-01', ends_on: '2027-08-31', closed_at: null });
  const periodId = await insertId(db, 'study_period', { year_id: yearId, kind: 'half', number: 1, name: 'I полугодие', starts_on: '2026-09-01', ends_on: '2026-12-28', grade_from: 1, grade_to: 11 });
  const subjectId = await insertId(db, 'subject', { name: 'Математика', short_name: 'Матем.', grade_from: 1, grade_to: 11, sort_order: 1 });
  const classId = await insertId(db, 'school_class', { year_id: yearId, grade: 7, letter: 'Б', name: '7Б', class_teacher_id: null, room: '', no_marks: 0 });
  const loadId = await insertId(db, 'teaching_load', { year_id: yearId, class_id: classId, subject_id: subjectId, subgroup_id: null, teacher_id: teacher.id, hours_per_week: 5 });
  const oral = await workTypeId(db, 'Ответ на уроке', 1, 1, 1);
  const test = await workTypeId(db, 'Контрольная работа', 2, 3, 2);

  const students: number[] = [];
  for (let i = 0; i < STUDENTS; i++) {
    const id = await insertId(db, 'student', { surname: `Ученик${String(i).padStart(2, '0')}`, name: 'Иван', patronymic: '', birth_date: null, gender: '', created_at: '2026-08-20T00:00:00.000Z' });
    students.push(id);
  }
  await insertMany(db, 'enrollment', students.map((student_id) => ({ student_id, class_id: classId, arrived_on: '2026-09-01', arrival_order: '', departed_on: null, departure_order: '' })));

  const dates: string[] = [];
  for (let day = new Date('2026-09-01T00:00:00Z'); dates.length < LESSONS; day = new Date(day.getTime() + 86_400_000)) {
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) dates.push(day.toISOString().slice(0, 10));
  }
  const at = '2026-09-01T05:00:00.000Z';
  await insertMany(db, 'lesson', dates.map((date, i) => ({ load_id: loadId, date, lesson_number: 2, topic: `Тема урока № ${i + 1}`, material: '', homework: `§ ${i + 1}, № ${100 + i}`, homework_for: null, work_types: JSON.stringify([oral]), comment: '', given_by: teacher.id, substitution: 0, created_at: at, created_by: teacher.id, topic_entered_at: at, homework_entered_at: at, version: 1 })));
  const lessons = await db.selectFrom('lesson').select(['id', 'date']).where('load_id', '=', loadId).orderBy('date').execute();
  const marks: Record<string, unknown>[] = [];
  const absences: Record<string, unknown>[] = [];
  lessons.forEach((lesson, l) =>
    students.forEach((student, s) => {
      if ((l * 7 + s * 3) % 2 === 0) marks.push({ lesson_id: lesson.id, student_id: student, value: String(2 + ((l + s) % 4)), work_type_id: l % 5 === 4 ? test : oral, comment: '', make_up: 0, created_at: at, created_by: teacher.id, updated_at: at, updated_by: teacher.id, version: 1 });
      else if ((l + s) % 17 === 0) absences.push({ lesson_id: lesson.id, student_id: student, code: 'ОТ', updated_at: at, updated_by: teacher.id, version: 1 });
    }),
  );
  await insertMany(db, 'mark', marks);
  await insertMany(db, 'attendance', absences);
  const session = (await call<{ session: string }>(core, 'auth.login', TEACHER)).session;
  return { session, loadId, periodId, teacherId: teacher.id, workTypeId: oral, students, openLessons: lessons.slice(-9).map((l) => l.id) };
}

const auditHash = (id: number, prev: string) => createHash('sha256').update(JSON.stringify([id, NOW.toISOString(), 1, 'mark.create', 'mark', 'x', null, '{}', null, prev])).digest('hex');

interface Floors {
  /** Runs `work` and returns the read statements the core sent meanwhile. */
  record(work: () => Promise<unknown>): Promise<Recorded[]>;
  /** Those statements replayed the fastest honest way; `label` keeps prepared names apart. */
  page(recorded: Recorded[], label: string): () => Promise<unknown> | unknown;
  save(i: number): Promise<unknown> | unknown;
}

/** The page against its floor, warm and with the core's caches expired. */
async function measurePage(core: Core, session: string, open: () => Promise<unknown>, floors: Pick<Floors, 'record' | 'page'>) {
  const warm = await timed(open);
  // The caches are warm: the last call was just now. A cache may still run out during one
  // recorded call (every few seconds one does), so the fewest statements of a few calls is
  // the warm call's.
  let warmReads = await floors.record(open);
  for (let i = 0; i < 4; i++) {
    const again = await floors.record(open);
    if (again.length < warmReads.length) warmReads = again;
  }
  const warmFloor = await timed(floors.page(warmReads, 'warm'));
  const cold = await timedCold(core, session, open);
  await expireCaches(core, session);
  const coldReads = await floors.record(open);
  const coldFloor = await timed(floors.page(coldReads, 'cold'));
  return { warm, warmFloor, warmReads: warmReads.length, cold, coldFloor, coldReads: coldReads.length };
}

function pageFigures(name: (what: string) => string, label: string, m: Awaited<ReturnType<typeof measurePage>>, target: string): Figure[] {
  const ms = (what: string, t: Timing, q: 'p50' | 'p95', figureTarget = '') => ({ name: name(`${what}, ${q}`), value: round(t[q]), unit: 'ms', target: figureTarget });
  return [
    ms(`Открыть ${label} через роутер`, m.warm, 'p50'),
    ms(`Открыть ${label} через роутер`, m.warm, 'p95', target),
    ms(`  пол: те же ${m.warmReads} запросов, что послало ядро, строки массивами`, m.warmFloor, 'p50'),
    ms('  пол', m.warmFloor, 'p95'),
    { name: name('  отношение к полу, p50'), value: round(m.warm.p50 / m.warmFloor.p50, 1), unit: '×', target: '' },
    { name: name('  CPU этого процесса на открытие, среднее'), value: round(m.warm.cpu), unit: 'ms', target: '' },
    { name: name('  CPU этого процесса на пол, среднее'), value: round(m.warmFloor.cpu), unit: 'ms', target: '' },
    { name: name('  отношение к полу по CPU этого процесса'), value: round(m.warm.cpu / m.warmFloor.cpu, 1), unit: '×', target: '' },
    ms(`Открыть ${label} через роутер, кэши ядра истекли`, m.cold, 'p50'),
    ms(`Открыть ${label} через роутер, кэши ядра истекли`, m.cold, 'p95'),
    ms(`  пол: те же ${m.coldReads} запросов холодного вызова, строки массивами`, m.coldFloor, 'p50'),
    ms('  пол холодного вызова', m.coldFloor, 'p95'),
    { name: name('  отношение к полу, кэши истекли, p50'), value: round(m.cold.p50 / m.coldFloor.p50, 1), unit: '×', target: '' },
    { name: name('  отношение к полу по CPU этого процесса, кэши истекли'), value: round(m.cold.cpu / m.coldFloor.cpu, 1), unit: '×', target: '' },
  ];
}

async function measure(engine: 'SQLite' | 'PostgreSQL', core: Core, b: Built, floors: Floors, targets: { page: string; save: string }): Promise<Figure[]> {
  const open = () => call<{ marks: unknown[]; lessons: unknown[]; students: unknown[] }>(core, 'journal.page', { loadId: b.loadId, periodId: b.periodId }, b.session);
  const pageRows = await open();
  if (pageRows.students.length !== STUDENTS || pageRows.lessons.length !== LESSONS) throw new Error('страница собрана неверно');
  const page = await measurePage(core, b.session, open, floors);

  const cells = b.openLessons.flatMap((lessonId) => b.students.map((studentId) => ({ lessonId, studentId })));
  // As the grid saves: every edit carries an idempotency key (a retried save is applied once).
  const run = Date.now().toString(36);
  const saveMark = (i: number) => call(core, 'journal.saveMark', { ...cells[i % cells.length]!, value: String(2 + (i % 4)), workTypeId: b.workTypeId, idempotencyKey: `bench-${run}-${i}` }, b.session);
  const save = await timed(saveMark);
  const saveFloor = await timed((i) => floors.save(i));
  const saveCold = await timedCold(core, b.session, (i) => saveMark(WARM_UP + RUNS + i));
  const name = (what: string) => `${what}, ${engine}`;
  return [
    ...pageFigures(name, `страницу ${STUDENTS}×${LESSONS} (${pageRows.marks.length} отметок)`, page, targets.page),
    { name: name('Сохранить одну отметку через роутер (проверки, права, аудит), p50'), value: round(save.p50), unit: 'ms', target: '' },
    { name: name('Сохранить одну отметку через роутер, p95'), value: round(save.p95), unit: 'ms', target: targets.save },
    { name: name('  пол: вставка отметки и строки аудита в транзакции, p50'), value: round(saveFloor.p50), unit: 'ms', target: '' },
    { name: name('  пол: p95'), value: round(saveFloor.p95), unit: 'ms', target: '' },
    { name: name('  отношение к полу, p50'), value: round(save.p50 / saveFloor.p50, 1), unit: '×', target: '' },
    { name: name('  отношение к полу по CPU этого процесса'), value: round(save.cpu / saveFloor.cpu, 1), unit: '×', target: '' },
    { name: name('Сохранить одну отметку через роутер, кэши ядра истекли, p50'), value: round(saveCold.p50), unit: 'ms', target: '' },
    { name: name('Сохранить одну отметку через роутер, кэши ядра истекли, p95'), value: round(saveCold.p95), unit: 'ms', target: '' },
    { name: name('  отношение к полу сохранения, кэши истекли, p50'), value: round(saveCold.p50 / saveFloor.p50, 1), unit: '×', target: '' },
    { name: name('  отношение к полу сохранения по CPU этого процесса, кэши истекли'), value: round(saveCold.cpu / saveFloor.cpu, 1), unit: '×', target: '' },
  ];
}

async function sqliteFigures(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-journal-'));
  const file = join(dir, 'zhurnal.sqlite');
  // As shipped: the packaged app does not re-check outputs against the contract.
  const core = await createCore({ databaseUrl: file, now: benchNow(NOW), checkOutputs: false });
  const raw = new BetterSqlite3(file);
  try {
    const b = await build(core);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    const insertMark = raw.prepare('insert into mark (lesson_id, student_id, value, work_type_id, comment, make_up, created_at, created_by, updated_at, updated_by, version) values (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 1)');
    const head = raw.prepare('select last_id, last_hash, (select coalesce(max(id), 0) + 1 from audit_log) as next_id from audit_head where id = 1');
    const insertAudit = raw.prepare('insert into audit_log (id, at, user_id, action, entity, entity_id, before_json, after_json, reason, prev_hash, hash, chain, prev_id) values (?, ?, ?, ?, ?, ?, null, ?, null, ?, ?, 1, ?)');
    const moveHead = raw.prepare('update audit_head set last_id = ?, last_hash = ? where id = 1');
    const lessonId = b.openLessons[0]!;
    const at = NOW.toISOString();
    const save = raw.transaction((i: number) => {
      insertMark.run(lessonId, b.students[i % STUDENTS], '5', b.workTypeId, '', at, b.teacherId, at, b.teacherId);
      const last = head.get() as { last_id: number; last_hash: string; next_id: number };
      const id = last.next_id;
      const hash = auditHash(id, last.last_hash);
      insertAudit.run(id, at, b.teacherId, 'mark.create', 'mark', `${lessonId}:${b.students[i % STUDENTS]}`, '{"value":"5"}', last.last_hash, hash, last.last_id);
      moveHead.run(id, hash);
    });
    return await measure('SQLite', core, b, { record: (work) => recordSqliteReads(raw, work), page: (recorded) => sqliteFloor(raw, recorded), save: (i) => save.immediate(i) }, { page: '≤ 5 ms', save: '≤ 2 ms' });
  } finally {
    raw.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresFigures(): Promise<Figure[]> {
  const server = await startPostgres();
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query('create database bench_journal');
  await admin.end();
  const url = new URL(server.adminUrl);
  url.pathname = '/bench_journal';
  const core = await createCore({ databaseUrl: url.toString(), now: benchNow(NOW), checkOutputs: false, poolSize: CORE_POOL_SIZE });
  const client = new pg.Client({ connectionString: url.toString() });
  // The page's floor gets as many connections as the core.
  const pool = new pg.Pool({ connectionString: url.toString(), max: CORE_POOL_SIZE });
  try {
    const b = await build(core);
    await client.connect();
    const lessonId = b.openLessons[0]!;
    const at = NOW.toISOString();
    const save = async (i: number) => {
      const student = b.students[i % STUDENTS]!;
      await client.query('begin');
      await client.query({ name: 'mark', text: 'insert into mark (lesson_id, student_id, value, work_type_id, comment, make_up, created_at, created_by, updated_at, updated_by, version) values ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9, 1)', values: [lessonId, student, '5', b.workTypeId, '', at, b.teacherId, at, b.teacherId] });
      const last = (await client.query({ name: 'head', text: "select last_id, last_hash, nextval('audit_log_id_seq') as next_id from audit_head where id = 1 for update" })).rows[0] as { last_id: number; last_hash: string; next_id: number };
      const id = Number(last.next_id);
      const hash = auditHash(id, last.last_hash);
      await client.query({ name: 'audit', text: 'insert into audit_log (id, at, user_id, action, entity, entity_id, before_json, after_json, reason, prev_hash, hash, chain, prev_id) values ($1, $2, $3, $4, $5, $6, null, $7, null, $8, $9, 1, $10)', values: [id, at, b.teacherId, 'mark.create', 'mark', `${lessonId}:${student}`, '{"value":"5"}', last.last_hash, hash, last.last_id] });
      await client.query({ name: 'head_move', text: 'update audit_head set last_id = $1, last_hash = $2 where id = 1', values: [id, hash] });
      await client.query('commit');
    };
    return await measure('PostgreSQL', core, b, { record: recordPostgresReads, page: (recorded, label) => postgresFloor(pool, recorded, label), save }, { page: '≤ 20 ms', save: '≤ 10 ms' });
  } finally {
    await pool.end().catch(() => {});
    await client.end().catch(() => {});
    await core.close();
    await server.stop();
  }
}

/**
 * The fullest page of the large demo school (5 years, 1200 students): the same page-open
 * figures on a database the size a school reaches, beside their floors.
 */
async function largeDemoFigures(): Promise<Figure[]> {
  const source = await ensureLargeDemoDatabase();
  const today = (JSON.parse(readFileSync(`${source}.json`, 'utf8')) as { today: string }).today;
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-journal-large-'));
  const file = join(dir, 'large.sqlite');
  copyFileSync(source, file);
  const core = await createCore({ databaseUrl: file, now: benchNow(new Date(`${today}T09:00:00.000Z`)), checkOutputs: false });
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    const spot = raw
      .prepare(
        `select l.load_id as loadId, sp.id as periodId, u.login as login, count(*) as marks
           from mark m join lesson l on l.id = m.lesson_id join teaching_load tl on tl.id = l.load_id
           join school_class c on c.id = tl.class_id join app_user u on u.id = tl.teacher_id
           join study_period sp on sp.year_id = tl.year_id and c.grade between sp.grade_from and sp.grade_to and l.date between sp.starts_on and sp.ends_on
          group by l.load_id, sp.id order by marks desc limit 1`,
      )
      .get() as { loadId: number; periodId: number; login: string; marks: number };
    const session = (await call<{ session: string }>(core, 'auth.login', { login: spot.login, password: DEMO_PASSWORD })).session;
    const open = () => call<{ students: unknown[]; lessons: unknown[] }>(core, 'journal.page', { loadId: spot.loadId, periodId: spot.periodId }, session);
    const shown = await open();
    const page = await measurePage(core, session, open, { record: (work) => recordSqliteReads(raw, work), page: (recorded) => sqliteFloor(raw, recorded) });
    const name = (what: string) => `${what}, большая демо-школа (5 лет), SQLite`;
    return pageFigures(name, `самую полную страницу ${shown.students.length}×${shown.lessons.length} (${spot.marks} отметок)`, page, '≤ 5 ms');
  } finally {
    raw.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const journalSuite: BenchSuite = {
  name: 'journal',
  run: () => withBenchClock(async () => [...(await sqliteFigures()), ...(await largeDemoFigures()), ...(await postgresFigures())]),
};
