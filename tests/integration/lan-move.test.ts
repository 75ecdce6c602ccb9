import { existsSync, readFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/app/core';
import { moveToPostgres } from '../../src-main/lan/move-to-postgres';
import { signIn } from '../support/client';
import { freshDatabase, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, PASSWORD, type JournalSchool } from '../support/journal-fixture';

// A school that began on one PC (SQLite) moves to the school's PostgreSQL in one step.
describe('moving a school from SQLite up to PostgreSQL', () => {
  let sqlite: TestCore;
  let school: JournalSchool;
  let page: unknown;
  let target: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    sqlite = await startTestCore('sqlite');
    school = await buildJournalSchool(sqlite);
    const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', topic: 'Сравнение дробей', homework: '№ 245' });
    await school.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: school.students.belova, value: '5', workTypeId: school.workTypes.oral });
    await school.math.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId: school.students.volkov, code: 'ОТ', version: 0 });
    page = await school.math.session.ok('journal.page', { loadId: school.loads.math5A, periodId: school.periods.q1 });
    target = await freshDatabase('postgres');
  });

  afterAll(async () => {
    await sqlite?.close();
    await target?.drop();
  });

  it('moves everything, verified table by table, and keeps the SQLite file untouched', async () => {
    await sqlite.core.close();
    // A core's normal close leaves the query planner's statistics in the file…
    const file = new BetterSqlite3(sqlite.url, { readonly: true, fileMustExist: true });
    try {
      const analyzed = (file.prepare(`select tbl from sqlite_stat1`).all() as { tbl: string }[]).map((row) => row.tbl);
      expect(analyzed).toEqual(expect.arrayContaining(['lesson', 'mark', 'teaching_load', 'audit_log']));
    } finally {
      file.close();
    }
    // …and the move opens the file without a core: it is left byte for byte as it was.
    const fileBefore = readFileSync(sqlite.url);
    const report = await moveToPostgres(sqlite.url, target.url);
    expect(report.tables.find((t) => t.name === 'mark')?.rows).toBe(1);
    expect(report.tables.find((t) => t.name === 'audit_log')!.rows).toBeGreaterThan(10);
    expect(existsSync(sqlite.url)).toBe(true);
    expect(readFileSync(sqlite.url).equals(fileBefore)).toBe(true);

    // The teachers work on as before: same passwords, same page, an intact audit chain.
    const core = await createCore({ databaseUrl: target.url, now: sqlite.clock.now });
    try {
      const teacher = await signIn(core, school.math.login, PASSWORD);
      expect(await teacher.ok('journal.page', { loadId: school.loads.math5A, periodId: school.periods.q1 })).toEqual(page);
      const admin = await signIn(core, 'admin', 'Администратор-1');
      expect((await admin.ok('audit.verify', {})).ok).toBe(true);
      // New rows get fresh ids after the move (the sequences were moved past the old ones).
      await admin.ok('accounts.create', { login: 'novikova', fullName: 'Новикова Ольга Игоревна', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    } finally {
      await core.close();
    }
  });

  it('refuses a PostgreSQL database that already holds a school, and changes nothing there', async () => {
    await expect(moveToPostgres(sqlite.url, target.url)).rejects.toThrow(/не пуста/);
  });
});
