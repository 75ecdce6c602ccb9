import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/app/core';
import { prepareApplicationRole, startHost, type HostOptions, type RunningHost } from '../../src-main/lan/host';
import { TestClock, type TestCore } from '../support/engines';
import { buildJournalSchool, PASSWORD, type JournalSchool } from '../support/journal-fixture';
import { runWorker } from '../support/lan-fleet';
import type { WorkerPlan } from '../support/lan-worker';
import { freePort } from '../support/postgres-server';
import { signIn } from '../support/client';

// Several staff PCs (separate processes, each with its own cores and connections) save
// marks into one class at once against a PostgreSQL host that this PC runs.
describe('the school LAN: many PCs on one PostgreSQL host', () => {
  let dataDir: string;
  let hostOptions: HostOptions;
  let host: RunningHost;
  let school: JournalSchool;
  let lessonIds: number[];
  let ownerCore: TestCore;
  const clock = new TestClock();

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'zhurnal-lan-'));
    chmodSync(dataDir, 0o777);
    hostOptions = { dataDir, listenAddress: '127.0.0.1', allowedNetwork: '127.0.0.1/32', port: await freePort(), createSystemUser: true };
    host = await startHost(hostOptions);
    const core = await createCore({ databaseUrl: host.ownerUrl, now: clock.now });
    ownerCore = { core, clock, url: host.ownerUrl, close: () => core.close() };
    await prepareApplicationRole(host, dataDir);
    school = await buildJournalSchool(ownerCore);
    lessonIds = [];
    for (const [date, topic] of [['2026-10-13', 'Обыкновенные дроби'], ['2026-10-14', 'Сравнение дробей']] as const) {
      const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date, topic });
      lessonIds.push(lesson.id);
    }
  });

  afterAll(async () => {
    await ownerCore?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const plan = (workerId: string, saves: number): WorkerPlan => ({
    workerId,
    databaseUrl: host.appUrl,
    login: school.math.login,
    password: PASSWORD,
    nowIso: clock.now().toISOString(),
    lessonIds,
    studentIds: [school.students.alekseev, school.students.belova, school.students.volkov, school.students.grigorieva, school.students.egorova],
    workTypeId: school.workTypes.oral,
    saves,
    durationMs: 120_000,
    pcs: 4,
    retryForMs: 60_000,
  });

  async function marksByComment(prefix: string): Promise<Map<string, number>> {
    const rows = await ownerCore.core.store.db.selectFrom('mark').select('comment').where('comment', 'like', `${prefix}%`).execute();
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(row.comment, (counts.get(row.comment) ?? 0) + 1);
    return counts;
  }

  it('an account blocked at one PC is refused at another PC within seconds', async () => {
    const otherPc = await createCore({ databaseUrl: host.appUrl, now: clock.now });
    try {
      const teacher = await signIn(otherPc, school.english.login, PASSWORD);
      await teacher.ok('journal.myLoads', {});
      const account = (await school.admin.ok('accounts.list', {})).find((a) => a.login === school.english.login)!;
      await school.admin.ok('accounts.block', { id: account.id, version: account.version, reason: 'Уволилась' });
      // A PC re-reads who its callers are every two seconds at most, by its clock (app/core.ts).
      clock.advanceSeconds(3);
      expect(await teacher.fails('journal.myLoads', {})).toMatchObject({ kind: 'unauthenticated', message: expect.stringContaining('заблокирована') });
    } finally {
      await otherPc.close();
    }
  });

  it('D-26: three processes × four PCs save into one class at once; every acknowledged save is there exactly once', async () => {
    const reports = await Promise.all(['a', 'b', 'c'].map((id) => runWorker(plan(`calm${id}`, 40))));
    const acknowledged = reports.flatMap((r) => r.acknowledged);
    expect(reports.flatMap((r) => r.failures)).toEqual([]);
    expect(acknowledged).toHaveLength(120);
    const counts = await marksByComment('calm');
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(acknowledged.every((key) => counts.get(key) === 1)).toBe(true);
    expect((await school.admin.ok('audit.verify', {})).ok).toBe(true);
  }, 300_000);

  it('the host is killed mid-save and restarted: nothing acknowledged is lost, nothing is doubled', async () => {
    const running = Promise.all(['a', 'b'].map((id) => runWorker(plan(`storm${id}`, 80))));
    // Let the PCs get going (signed in and saving), then pull the plug and bring it back.
    while ((await marksByComment('storm')).size < 20) await new Promise((resolve) => setTimeout(resolve, 100));
    await host.stop();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    host = await startHost(hostOptions);
    const reports = await running;
    const acknowledged = reports.flatMap((r) => r.acknowledged);
    expect(reports.flatMap((r) => r.failures)).toEqual([]);
    expect(acknowledged).toHaveLength(160);
    // The outage was noticed: some saves had to be retried.
    expect(reports.reduce((n, r) => n + r.retries, 0)).toBeGreaterThan(0);
    const counts = await marksByComment('storm');
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(acknowledged.every((key) => counts.get(key) === 1)).toBe(true);
    expect((await school.admin.ok('audit.verify', {})).ok).toBe(true);
  }, 300_000);
});
