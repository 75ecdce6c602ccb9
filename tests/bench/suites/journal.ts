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

// Issue 4 item 11: open a 35 × 60 journal page and save one mark through the router, on
// SQLite and PostgreSQL, each beside its floor — the same rows read (or written, with the
// audit row) by raw prepared statements in the same run — and the ratio to it.
// The data is built here (a class of 35 with 60 lessons, about one mark per two cells);
// the demo school's large variant can replace it once it is available.

const STUDENTS = 35;
const LESSONS = 60;
const WARM_UP = 50;
const RUNS = 400;
const NOW = new Date('2026-11-25T07:00:00.000Z'); // 14:00 in Tomsk, after the 60th lesson
const TEACHER = { login: 'teacher', password: 'Пароль-учителя-1' };

const quantile = (samples: number[], q: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

async function call<T>(core: Core, method: string, input: unknown, session: string | null = null): Promise<T> {
  const result = await core.call({ method, input, session });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

async function timed(run: (i: number) => Promise<unknown> | unknown): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARM_UP; i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run(WARM_UP + i);
    samples.push(performance.now() - started);
  }
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
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

/** Which page: a load, a period and its dates, the class's grade. */
interface PageSpot {
  loadId: number;
  periodId: number;
  from: string;
  to: string;
  grade: number;
}

const builtPage = (b: Built): PageSpot => ({ loadId: b.loadId, periodId: b.periodId, from: '2026-09-01', to: '2026-12-28', grade: 7 });

/** The rows a page reads, as raw SQL with positional parameters ($n for PostgreSQL). */
function pageQueries(b: PageSpot, dollar: boolean) {
  let n = 0;
  const p = () => (dollar ? `$${++n}` : '?');
  const q = (text: string, values: unknown[]) => {
    n = 0;
    return { text: text.replace(/\?/g, () => p()), values };
  };
  const { from, to } = b;
  return [
    q('select tl.*, c.name, c.grade, c.no_marks, c.class_teacher_id, s.name as subject, u.full_name, y.closed_at, y.starts_on, y.ends_on, sg.name as subgroup from teaching_load tl join school_class c on c.id = tl.class_id join subject s on s.id = tl.subject_id join app_user u on u.id = tl.teacher_id join academic_year y on y.id = tl.year_id left join subgroup sg on sg.id = tl.subgroup_id where tl.id = ?', [b.loadId]),
    q('select time_zone from school where id = ?', [1]),
    q('select value from school_setting where key = ?', ['school']),
    q('select id, name, kind, starts_on, ends_on from study_period where year_id = (select year_id from teaching_load where id = ?) and grade_from <= ? and grade_to >= ? order by starts_on', [b.loadId, b.grade, b.grade]),
    q('select p.id, p.locked_at, p.reopened_at from period_lock p where p.load_id = ? and p.period_id = ? order by p.id desc limit 1', [b.loadId, b.periodId]),
    q('select s.id, s.surname, s.name, e.arrived_on, e.departed_on from enrollment e join student s on s.id = e.student_id where e.class_id = (select class_id from teaching_load where id = ?) and e.arrived_on <= ? and (e.departed_on is null or e.departed_on >= ?)', [b.loadId, to, from]),
    q('select l.*, u.full_name from lesson l join app_user u on u.id = l.given_by where l.load_id = ? and l.date >= ? and l.date <= ? order by l.date, l.lesson_number, l.id', [b.loadId, from, to]),
    q('select m.id, m.lesson_id, m.student_id, m.value, m.work_type_id, m.comment, m.make_up, m.late, m.version from mark m join lesson l on l.id = m.lesson_id where l.load_id = ? and l.date >= ? and l.date <= ? order by m.id', [b.loadId, from, to]),
    q('select a.lesson_id, a.student_id, a.code, a.version from attendance a join lesson l on l.id = a.lesson_id where l.load_id = ? and l.date >= ? and l.date <= ?', [b.loadId, from, to]),
    q('select id, student_id, kind, period_id, value, suggested, deferred, version from final_mark where load_id = ? and (period_id = ? or period_id is null)', [b.loadId, b.periodId]),
    q('select id, name, weight, mark_due_days, active from work_type order by sort_order, name', []),
  ];
}

const auditHash = (id: number, prev: string) => createHash('sha256').update(JSON.stringify([id, NOW.toISOString(), 1, 'mark.create', 'mark', 'x', null, '{}', null, prev])).digest('hex');

async function measure(engine: 'SQLite' | 'PostgreSQL', core: Core, b: Built, floors: { page(): Promise<unknown> | unknown; save(i: number): Promise<unknown> | unknown }, targets: { page: string; save: string }): Promise<Figure[]> {
  const pageRows = await call<{ marks: unknown[]; lessons: unknown[]; students: unknown[] }>(core, 'journal.page', { loadId: b.loadId, periodId: b.periodId }, b.session);
  if (pageRows.students.length !== STUDENTS || pageRows.lessons.length !== LESSONS) throw new Error('страница собрана неверно');
  const page = await timed(() => call(core, 'journal.page', { loadId: b.loadId, periodId: b.periodId }, b.session));
  const pageFloor = await timed(() => floors.page());
  const cells = b.openLessons.flatMap((lessonId) => b.students.map((studentId) => ({ lessonId, studentId })));
  // As the grid saves: every edit carries an idempotency key (a retried save is applied once).
  const run = Date.now().toString(36);
  const save = await timed((i) => call(core, 'journal.saveMark', { ...cells[i % cells.length]!, value: String(2 + (i % 4)), workTypeId: b.workTypeId, idempotencyKey: `bench-${run}-${i}` }, b.session));
  const saveFloor = await timed((i) => floors.save(i));
  const name = (what: string) => `${what}, ${engine}`;
  return [
    { name: name(`Открыть страницу ${STUDENTS}×${LESSONS} (${pageRows.marks.length} отметок) через роутер, p50`), value: round(page.p50), unit: 'ms', target: '' },
    { name: name('Открыть страницу через роутер, p95'), value: round(page.p95), unit: 'ms', target: targets.page },
    { name: name('  пол: те же строки подготовленными запросами, p50'), value: round(pageFloor.p50), unit: 'ms', target: '' },
    { name: name('  пол: p95'), value: round(pageFloor.p95), unit: 'ms', target: '' },
    { name: name('  отношение к полу, p50'), value: round(page.p50 / pageFloor.p50, 1), unit: '×', target: '' },
    { name: name('Сохранить одну отметку через роутер (проверки, права, аудит), p50'), value: round(save.p50), unit: 'ms', target: '' },
    { name: name('Сохранить одну отметку через роутер, p95'), value: round(save.p95), unit: 'ms', target: targets.save },
    { name: name('  пол: вставка отметки и строки аудита в транзакции, p50'), value: round(saveFloor.p50), unit: 'ms', target: '' },
    { name: name('  пол: p95'), value: round(saveFloor.p95), unit: 'ms', target: '' },
    { name: name('  отношение к полу, p50'), value: round(save.p50 / saveFloor.p50, 1), unit: '×', target: '' },
  ];
}

async function sqliteFigures(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-journal-'));
  const file = join(dir, 'zhurnal.sqlite');
  // As shipped: the packaged app does not re-check outputs against the contract.
  const core = await createCore({ databaseUrl: file, now: () => NOW, checkOutputs: false });
  const raw = new BetterSqlite3(file);
  try {
    const b = await build(core);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    const reads = pageQueries(builtPage(b), false).map((q) => ({ statement: raw.prepare(q.text), values: q.values }));
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
    return await measure('SQLite', core, b, { page: () => reads.map((r) => r.statement.all(...(r.values as never[]))), save: (i) => save.immediate(i) }, { page: '≤ 5 ms', save: '≤ 2 ms' });
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
  const core = await createCore({ databaseUrl: url.toString(), now: () => NOW, checkOutputs: false });
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    const b = await build(core);
    await client.connect();
    const reads = pageQueries(builtPage(b), true).map((q, i) => ({ name: `page_${i}`, text: q.text, values: q.values }));
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
    return await measure('PostgreSQL', core, b, {
        page: async () => {
          for (const r of reads) await client.query(r);
        },
        save,
      }, { page: '≤ 20 ms', save: '≤ 10 ms' });
  } finally {
    await client.end().catch(() => {});
    await core.close();
    await server.stop();
  }
}

/**
 * The fullest page of the large demo school (5 years, 1200 students): the same page-open
 * figure on a database the size a school reaches, beside its floor.
 */
async function largeDemoFigures(): Promise<Figure[]> {
  const source = await ensureLargeDemoDatabase();
  const today = (JSON.parse(readFileSync(`${source}.json`, 'utf8')) as { today: string }).today;
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-journal-large-'));
  const file = join(dir, 'large.sqlite');
  copyFileSync(source, file);
  const core = await createCore({ databaseUrl: file, now: () => new Date(`${today}T09:00:00.000Z`), checkOutputs: false });
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    const spot = raw
      .prepare(
        `select l.load_id as loadId, sp.id as periodId, sp.starts_on as "from", sp.ends_on as "to", c.grade as grade, u.login as login, count(*) as marks
           from mark m join lesson l on l.id = m.lesson_id join teaching_load tl on tl.id = l.load_id
           join school_class c on c.id = tl.class_id join app_user u on u.id = tl.teacher_id
           join study_period sp on sp.year_id = tl.year_id and c.grade between sp.grade_from and sp.grade_to and l.date between sp.starts_on and sp.ends_on
          group by l.load_id, sp.id order by marks desc limit 1`,
      )
      .get() as PageSpot & { login: string; marks: number };
    const session = (await call<{ session: string }>(core, 'auth.login', { login: spot.login, password: DEMO_PASSWORD })).session;
    const open = () => call<{ students: unknown[]; lessons: unknown[] }>(core, 'journal.page', { loadId: spot.loadId, periodId: spot.periodId }, session);
    const shown = await open();
    const page = await timed(open);
    const reads = pageQueries(spot, false).map((q) => ({ statement: raw.prepare(q.text), values: q.values }));
    const floor = await timed(() => reads.map((r) => r.statement.all(...(r.values as never[]))));
    const name = (what: string) => `${what}, большая демо-школа (5 лет), SQLite`;
    return [
      { name: name(`Открыть самую полную страницу ${shown.students.length}×${shown.lessons.length} (${spot.marks} отметок) через роутер, p50`), value: round(page.p50), unit: 'ms', target: '' },
      { name: name('Открыть самую полную страницу через роутер, p95'), value: round(page.p95), unit: 'ms', target: '≤ 5 ms' },
      { name: name('  пол: те же строки подготовленными запросами, p50'), value: round(floor.p50), unit: 'ms', target: '' },
      { name: name('  отношение к полу, p50'), value: round(page.p50 / floor.p50, 1), unit: '×', target: '' },
    ];
  } finally {
    raw.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const journalSuite: BenchSuite = {
  name: 'journal',
  async run() {
    return [...(await sqliteFigures()), ...(await largeDemoFigures()), ...(await postgresFigures())];
  },
};
