import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, PASSWORD, type JournalSchool } from '../support/journal-fixture';
import { runFleet } from '../support/lan-fleet';
import type { WorkerPlan } from '../support/lan-worker';
import { runZhurnal as zhurnal } from '../support/cli';

// SQLite only: the scenario is two processes (two app windows, the app and a scheduled
// `zhurnal backup`) sharing one database file; PostgreSQL has no such file.
describe('two processes on one SQLite file', () => {
  let t: TestCore;
  let school: JournalSchool;
  let lessonIds: number[];
  let backupDir: string;

  beforeAll(async () => {
    t = await startTestCore('sqlite');
    school = await buildJournalSchool(t);
    lessonIds = [];
    for (const [date, topic] of [['2026-10-13', 'Обыкновенные дроби'], ['2026-10-14', 'Сравнение дробей']] as const) {
      lessonIds.push((await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date, topic })).id);
    }
    backupDir = mkdtempSync(join(tmpdir(), 'zhurnal-two-processes-'));
  });

  afterAll(async () => {
    await t?.close();
    if (backupDir) rmSync(backupDir, { recursive: true, force: true });
  });

  it('both save at full speed for ten seconds while the CLI makes a backup: no internal error, the backup succeeds, nothing is lost or doubled', async () => {
    const plan = (workerId: string): WorkerPlan => ({
      workerId,
      databaseUrl: t.url,
      login: school.math.login,
      password: PASSWORD,
      nowIso: t.clock.now().toISOString(),
      lessonIds,
      studentIds: [school.students.alekseev, school.students.belova, school.students.volkov, school.students.grigorieva, school.students.egorova],
      workTypeId: school.workTypes.oral,
      saves: 1_000_000,
      durationMs: 10_000,
      pcs: 2,
      retryForMs: 60_000,
    });
    let backup!: Promise<{ code: number | null; stdout: string; stderr: string }>;
    const reports = await runFleet([plan('left'), plan('right')], {
      onStart: () => {
        backup = zhurnal(['backup', '--db', t.url, '--to', backupDir], { ZHURNAL_BACKUP_PASSWORD: 'Пароль-копий-1' });
      },
    });
    const backupRun = await backup;

    expect(reports.flatMap((r) => r.failures)).toEqual([]);
    expect(backupRun.stderr).toBe('');
    expect(backupRun.code).toBe(0);
    expect(readdirSync(backupDir).length).toBeGreaterThan(0);

    const acknowledged = reports.flatMap((r) => r.acknowledged);
    // Both processes saved (how many depends on the machine, not on the code).
    expect(reports.map((r) => r.acknowledged.length > 0)).toEqual([true, true]);
    const rows = await t.core.store.db.selectFrom('mark').select('comment').where('comment', 'like', 'left-%').execute();
    const rightRows = await t.core.store.db.selectFrom('mark').select('comment').where('comment', 'like', 'right-%').execute();
    const counts = new Map<string, number>();
    for (const row of [...rows, ...rightRows]) counts.set(row.comment, (counts.get(row.comment) ?? 0) + 1);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(acknowledged.filter((key) => counts.get(key) !== 1)).toEqual([]);
    expect((await school.admin.ok('audit.verify', {})).ok).toBe(true);
  }, 300_000);

  it('a save while another process holds the write lock past the busy timeout answers «занята», changes nothing', async () => {
    const other = new BetterSqlite3(t.url);
    const auditBefore = await newestAuditId(t);
    const marksBefore = await t.core.store.db.selectFrom('mark').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    other.exec('begin immediate');
    try {
      const failure = await school.math.session.fails('journal.saveMark', {
        lessonId: lessonIds[0], studentId: school.students.belova, value: '5', workTypeId: school.workTypes.oral, idempotencyKey: 'held-lock-1',
      });
      expect(failure).toMatchObject({ kind: 'unavailable', message: expect.stringContaining('База данных занята другой программой') });
    } finally {
      other.exec('rollback');
      other.close();
    }
    expect(await newestAuditId(t)).toBe(auditBefore);
    const marksAfter = await t.core.store.db.selectFrom('mark').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(marksAfter.n)).toBe(Number(marksBefore.n));
    // The lock released, the same save goes through.
    await school.math.session.ok('journal.saveMark', { lessonId: lessonIds[0]!, studentId: school.students.belova, value: '5', workTypeId: school.workTypes.oral, idempotencyKey: 'held-lock-1' });
  }, 120_000);
});
