import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../../src-main/core/core';
import { prepareApplicationRole, startHost } from '../../../src-main/lan/host';
import { TestClock } from '../../support/engines';
import { buildJournalSchool, PASSWORD } from '../../support/journal-fixture';
import { runWorker } from '../../support/lan-fleet';
import { freePort } from '../../support/postgres-server';
import type { BenchSuite, Figure } from '../figure';

// Issue «The school LAN» §8: forty staff PCs at the end of a lesson, saving marks for a
// minute against PostgreSQL on loopback. Each PC is its own core with its own connections;
// eight processes simulate five PCs each (forty Node processes would measure the 2-core
// machine's scheduler, not the database).
const PROCESSES = 8;
const PCS_PER_PROCESS = 5;
const DURATION_MS = Number(process.env.ZHURNAL_BENCH_LAN_SECONDS ?? 60) * 1000;

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

export const lanSuite: BenchSuite = {
  name: 'lan',
  async run(): Promise<Figure[]> {
    const dataDir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-lan-'));
    chmodSync(dataDir, 0o777);
    const host = await startHost({ dataDir, listenAddress: '127.0.0.1', allowedNetwork: '127.0.0.1/32', port: await freePort(), createSystemUser: process.getuid?.() === 0 });
    const clock = new TestClock();
    const core = await createCore({ databaseUrl: host.ownerUrl, now: clock.now });
    try {
      await prepareApplicationRole(host, dataDir);
      const school = await buildJournalSchool({ core, clock, url: host.ownerUrl, close: () => core.close() });
      const lessonIds: number[] = [];
      for (const date of ['2026-10-09', '2026-10-12', '2026-10-13', '2026-10-14']) {
        lessonIds.push((await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date, topic: 'Действия с дробями' })).id);
      }
      const students = Object.entries(school.students).filter(([, id]) => id !== school.departed).map(([, id]) => id);
      const reports = await Promise.all(
        Array.from({ length: PROCESSES }, (_, p) =>
          runWorker({
            workerId: `bench${p}`,
            databaseUrl: host.appUrl,
            login: school.math.login,
            password: PASSWORD,
            nowIso: clock.now().toISOString(),
            lessonIds,
            studentIds: students,
            workTypeId: school.workTypes.oral,
            saves: 1_000_000_000,
            durationMs: DURATION_MS,
            pcs: PCS_PER_PROCESS,
            retryForMs: 30_000,
          }),
        ),
      );
      const acknowledged = reports.flatMap((r) => r.acknowledged);
      const latencies = reports.flatMap((r) => r.latenciesMs);
      const rows = await core.store.db.selectFrom('mark').select('comment').where('comment', 'like', 'bench%').execute();
      const stored = new Map<string, number>();
      for (const row of rows) stored.set(row.comment, (stored.get(row.comment) ?? 0) + 1);
      const lost = acknowledged.filter((key) => !stored.has(key)).length;
      const duplicated = [...stored.values()].filter((n) => n > 1).length;
      // Throughput over the saving window (each PC saves for DURATION_MS after its sign-in).
      const savingSeconds = DURATION_MS / 1000;
      return [
        { name: 'lan: 40 PCs, acknowledged saves', value: acknowledged.length, unit: 'saves', target: '' },
        { name: 'lan: 40 PCs, throughput', value: Math.round(acknowledged.length / savingSeconds), unit: 'saves/s', target: '≥ 300 saves/s' },
        { name: 'lan: 40 PCs, save latency p50', value: Number(quantile(latencies, 0.5).toFixed(2)), unit: 'ms', target: '' },
        { name: 'lan: 40 PCs, save latency p95', value: Number(quantile(latencies, 0.95).toFixed(2)), unit: 'ms', target: '≤ 50 ms' },
        { name: 'lan: lost acknowledged saves', value: lost, unit: 'saves', target: '≤ 0' },
        { name: 'lan: duplicated saves', value: duplicated, unit: 'saves', target: '≤ 0' },
        { name: 'lan: failed saves (not acknowledged)', value: reports.reduce((n, r) => n + r.failures.length, 0), unit: 'saves', target: '≤ 0' },
      ];
    } finally {
      await core.close();
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
