import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoSchool, type DemoResult } from '../../src-main/demo/generate';
import { openStore, type Store } from '../../src-main/store/database';
import { migrateToLatest } from '../../src-main/store/migrate';
import { signIn, TestSession } from '../support/client';
import { engines, freshDatabase, startTestCore } from '../support/engines';

const TODAY = '2026-10-15';
const SMALL = { students: 60, years: 2, seed: 7, today: TODAY } as const;

/** Ordered rows of the tables a user sees, hashed; password hashes are salted and left out. */
const CONTENT: ReadonlyArray<readonly [table: string, order: string, omit?: string]> = [
  ['school', 'id'], ['app_user', 'id', 'password_hash'], ['user_role', 'user_id, role'], ['academic_year', 'id'],
  ['study_period', 'id'], ['holiday', 'id'], ['subject', 'id'], ['curriculum_hours', 'year_id, subject_id, grade'],
  ['school_class', 'id'], ['student', 'id'], ['enrollment', 'id'], ['consent', 'id'], ['subgroup', 'id'],
  ['subgroup_member', 'id'], ['teaching_load', 'id'], ['bell', 'lesson_number'], ['timetable_entry', 'id'],
  ['work_type', 'id'], ['lesson', 'id'], ['mark', 'id'], ['attendance', 'lesson_id, student_id'], ['final_mark', 'id'],
];

async function contentHash(store: Store): Promise<string> {
  const hash = createHash('sha256');
  for (const [table, order, omit] of CONTENT) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)} order by ${sql.raw(order)}`.execute(store.db);
    for (const row of rows) {
      if (omit) delete row[omit];
      hash.update(`${table}:${JSON.stringify(row)}\n`);
    }
  }
  return hash.digest('hex');
}

async function newSmallSchool(engine: (typeof engines)[number]) {
  const database = await freshDatabase(engine);
  const store = await openStore(database.url);
  await migrateToLatest(store);
  const result = await generateDemoSchool(store, SMALL);
  return { store, result, async close() { await store.close(); await database.drop(); } };
}

describe.each(engines)('demo school on %s', (engine) => {
  let first: Awaited<ReturnType<typeof newSmallSchool>>;
  let result: DemoResult;
  let db: Store['db'];
  beforeAll(async () => {
    first = await newSmallSchool(engine);
    result = first.result;
    db = first.store.db;
  });
  afterAll(async () => first?.close());

  it('the same seed and date give the same school, row for row', async () => {
    const second = await newSmallSchool(engine);
    try {
      expect(second.result.counts).toEqual(result.counts);
      expect(await contentHash(second.store)).toBe(await contentHash(first.store));
    } finally {
      await second.close();
    }
  }, 180_000); // two generations: generous on a busy build machine

  it('has two years, the previous one closed, with quarters, half-years and holidays', async () => {
    expect(result.years).toEqual(['2025/2026', '2026/2027']);
    const years = await db.selectFrom('academic_year').selectAll().orderBy('starts_on').execute();
    expect(years.map((y) => [y.name, y.closed_at !== null])).toEqual([['2025/2026', true], ['2026/2027', false]]);
    const periods = await db.selectFrom('study_period').select(['name', 'grade_from', 'grade_to']).where('year_id', '=', years[1]!.id).orderBy('id').execute();
    expect(periods.map((p) => p.name)).toEqual(['I четверть', 'II четверть', 'III четверть', 'IV четверть', 'I полугодие', 'II полугодие']);
    const holidays = await db.selectFrom('holiday').select('name').where('year_id', '=', years[1]!.id).execute();
    expect(holidays.map((h) => h.name)).toEqual(expect.arrayContaining(['Осенние каникулы', 'Зимние каникулы', 'Весенние каникулы']));
  });

  it('classes go from 1 to 11 each year, and first grades are kept without marks (D-19)', async () => {
    const classes = await db.selectFrom('school_class').select(['year_id', 'grade', 'no_marks']).execute();
    for (const yearId of new Set(classes.map((c) => c.year_id))) {
      expect(classes.filter((c) => c.year_id === yearId).map((c) => c.grade).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    }
    expect(classes.filter((c) => c.grade === 1).every((c) => c.no_marks === 1)).toBe(true);
    const firstGradeMarks = await db
      .selectFrom('mark as m')
      .innerJoin('lesson as l', 'l.id', 'm.lesson_id')
      .innerJoin('teaching_load as t', 't.id', 'l.load_id')
      .innerJoin('school_class as c', 'c.id', 't.class_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('c.grade', '=', 1)
      .executeTakeFirstOrThrow();
    expect(Number(firstGradeMarks.n)).toBe(0);
    const firstGradeLessons = await db
      .selectFrom('lesson as l')
      .innerJoin('teaching_load as t', 't.id', 'l.load_id')
      .innerJoin('school_class as c', 'c.id', 't.class_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('c.grade', '=', 1)
      .executeTakeFirstOrThrow();
    expect(Number(firstGradeLessons.n)).toBeGreaterThan(0); // topics and attendance still kept
  });

  it('lessons are only on past school days: never ahead (D-17), on a Sunday or in the holidays', async () => {
    const lessons = await db
      .selectFrom('lesson as l')
      .innerJoin('teaching_load as t', 't.id', 'l.load_id')
      .select(['l.date', 't.year_id'])
      .distinct()
      .execute();
    const holidays = await db.selectFrom('holiday').selectAll().execute();
    expect(lessons.length).toBeGreaterThan(150);
    for (const { date, year_id } of lessons) {
      expect(date < TODAY).toBe(true);
      expect(new Date(`${date}T00:00:00Z`).getUTCDay()).not.toBe(0);
      const holiday = holidays.find((h) => h.year_id === year_id && date >= h.starts_on && date <= h.ends_on);
      expect(holiday, `${date} falls in ${holiday?.name}`).toBeUndefined();
    }
  });

  it('no teacher is in two places at once in the timetable', async () => {
    const clashes = await db
      .selectFrom('timetable_entry as e')
      .innerJoin('teaching_load as t', 't.id', 'e.load_id')
      .select(['t.year_id', 't.teacher_id', 'e.weekday', 'e.lesson_number', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['t.year_id', 't.teacher_id', 'e.weekday', 'e.lesson_number'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(clashes).toEqual([]);
    expect(result.unplacedHours).toBe(0);
  });

  it('marks are 2–5, mostly 4 and 5, and absences are a few per cent, ill spells included', async () => {
    const marks = await db.selectFrom('mark').select(['value', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('value').execute();
    const byValue = Object.fromEntries(marks.map((m) => [m.value, Number(m.n)]));
    const total = Object.values(byValue).reduce((a, b) => a + b, 0);
    expect(Object.keys(byValue).sort()).toEqual(['2', '3', '4', '5']);
    expect((byValue['4']! + byValue['5']!) / total).toBeGreaterThan(0.6);
    expect(byValue['2']! / total).toBeLessThan(0.08);
    const codes = await db.selectFrom('attendance').select('code').distinct().execute();
    expect(codes.map((c) => c.code)).toEqual(expect.arrayContaining(['Б', 'УП', 'НП', 'ОП']));
  });
});

describe.each(engines)('first run with the demo school on %s', (engine) => {
  it('setup.createDemo opens a mid-size school whose accounts sign in with the demo password', async () => {
    const t = await startTestCore(engine);
    try {
      const guest = new TestSession(t.core);
      const demo = await guest.ok('setup.createDemo', { seed: 1 });
      expect(demo.password).toBe('demo1234');
      expect(demo.schoolName).toContain('Средняя общеобразовательная школа № 12');
      expect(demo.accounts.flatMap((a) => a.roles)).toEqual(expect.arrayContaining(['administrator', 'deputy', 'teacher', 'director']));
      const mathTeacher = demo.accounts.find((a) => a.note.startsWith('Учитель математики'));
      expect(mathTeacher).toBeDefined();
      // The login screen's list survives a restart: the status names the same sample logins.
      const status = await guest.ok('setup.status', {});
      expect(status.initialized).toBe(true);
      expect(status.demo).toEqual({ accounts: demo.accounts, password: 'demo1234' });

      const teacher = await signIn(t.core, mathTeacher!.login, 'demo1234');
      expect(await teacher.ok('auth.whoami', {})).toMatchObject({ fullName: mathTeacher!.fullName, roles: ['teacher'], mustChangePassword: false });

      // About 25 students a class in the current year.
      const sizes = await t.core.store.db
        .selectFrom('enrollment as e')
        .innerJoin('school_class as c', 'c.id', 'e.class_id')
        .select(['c.name', (eb) => eb.fn.countAll<number>().as('n')])
        .where('e.departed_on', 'is', null)
        .groupBy('c.name')
        .execute();
      expect(sizes.length).toBeGreaterThanOrEqual(26);
      for (const size of sizes) {
        expect(Number(size.n)).toBeGreaterThanOrEqual(20);
        expect(Number(size.n)).toBeLessThanOrEqual(30);
      }

      const administrator = demo.accounts.find((a) => a.roles.includes('administrator'))!;
      const admin = await signIn(t.core, administrator.login, 'demo1234');
      expect(await admin.ok('audit.verify', {})).toMatchObject({ ok: true });

      // The database's own id counters moved past the demo rows: new accounts can be added.
      const created = await admin.ok('accounts.create', { login: 'novikova.ta', fullName: 'Новикова Татьяна Андреевна', roles: ['teacher'], temporaryPassword: 'Времен-123' });
      expect(created.login).toBe('novikova.ta');

      const again = await guest.fails('setup.createDemo', { seed: 2 });
      expect(again.kind).toBe('conflict');
      expect(again.message).toContain('Школа в этой базе уже создана');
    } finally {
      await t.close();
    }
  }, 180_000);
});
