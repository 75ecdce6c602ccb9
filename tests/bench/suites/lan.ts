import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../../src-main/app/core';
import { prepareApplicationRole, startHost } from '../../../src-main/lan/host';
import { TestClock } from '../../support/engines';
import { buildJournalSchool, PASSWORD } from '../../support/journal-fixture';
import { runFleet } from '../../support/lan-fleet';
import { freePort } from '../../support/postgres-server';
import type { BenchSuite, Figure } from '../figure';

// Issue «The school LAN» §8: forty staff PCs at the end of a lesson, saving marks for a
// minute against PostgreSQL on loopback. Each PC is its own core with its own connections;
// eight processes simulate five PCs each (forty Node processes would measure the 2-core
// machine's scheduler, not the database). Every PC signs in and makes a few saves first;
// then all start at once (the end of a lesson, PCs on since morning: no sign-ins, no cold code).
// Two runs. Paced: every PC enters a mark every 125 ms — 320 saves/s offered, above the
// 300 the issue asks — and latency is counted from when each save was due. Back to back:
// every PC saves as fast as it is answered, which shows the capacity; its latency is just
// forty saves queued (Little's law), so the latency target is judged on the paced run.
// Here the PCs' processes share the server's two cores; in a school they run on the PCs. The
// bench separates them by process, from Linux's per-process accounting sampled while all are
// alive (/proc/<pid>/task/*/schedstat: time on a CPU, time ready but waiting for one): the
// PCs' eight Node processes on one side, PostgreSQL's postmaster and children on the other.
// From that: CPU per save of each, what PostgreSQL alone could answer on these cores, and how
// much of a save's time was spent waiting for a CPU another process held.
const PROCESSES = 8;
const PCS_PER_PROCESS = 5;
const PCS = PROCESSES * PCS_PER_PROCESS;
const OFFERED_PER_SECOND = 320;
const DURATION_MS = Number(process.env.ZHURNAL_BENCH_LAN_SECONDS ?? 60) * 1000;
const CAPACITY_DURATION_MS = Math.min(DURATION_MS, 20_000);
/** Saves each PC makes after signing in, before the measured window: the PCs have been on since morning. */
const WARM_UP_SAVES = 25;

/** The host's PostgreSQL processes (Linux /proc): the postmaster and its children (backends, writers). */
function postgresPids(clusterDir: string): string[] {
  if (process.platform !== 'linux') return [];
  const postmaster = readFileSync(join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]!.trim();
  const found: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // Fields after «(comm)»: state, ppid, …
    const parent = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
    if (pid === postmaster || parent === postmaster) found.push(pid);
  }
  return found;
}

/** Per process: time on a CPU and time ready but waiting in the run queue, ns. */
type SchedSample = Map<string, { runNs: number; waitNs: number }>;

/**
 * Reads /proc/<pid>/task/<tid>/schedstat (Linux) for each process, summed over its threads:
 * the first field is the time it ran, the second the time it was ready and waited for a CPU.
 * A process that has ended is left out; null where there is no schedstat.
 */
function schedSample(pids: readonly (string | number)[]): SchedSample | null {
  if (process.platform !== 'linux' || !existsSync('/proc/self/schedstat')) return null;
  const sample: SchedSample = new Map();
  for (const pid of pids) {
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // ended meanwhile
    }
    let runNs = 0;
    let waitNs = 0;
    for (const task of tasks) {
      try {
        const [run, wait] = readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ');
        runNs += Number(run);
        waitNs += Number(wait);
      } catch {
        // a thread ended meanwhile
      }
    }
    sample.set(String(pid), { runNs, waitNs });
  }
  return sample;
}

/**
 * Run and run-queue wait between two samples, ms, over the processes alive at the second;
 * one that began in between counts from zero (its whole life was in the window).
 */
function schedBetween(before: SchedSample | null, after: SchedSample | null): { runMs: number; waitMs: number } | null {
  if (!before || !after) return null;
  let runNs = 0;
  let waitNs = 0;
  for (const [pid, now] of after) {
    const then = before.get(pid) ?? { runNs: 0, waitNs: 0 };
    runNs += now.runNs - then.runNs;
    waitNs += now.waitNs - then.waitNs;
  }
  return { runMs: runNs / 1e6, waitMs: waitNs / 1e6 };
}

function mean(samples: number[]): number {
  return samples.length === 0 ? 0 : samples.reduce((sum, value) => sum + value, 0) / samples.length;
}

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
      const clusterDir = join(dataDir, 'postgres');
      const fleet = async (phase: string, durationMs: number, intervalMs?: number) => {
        // Per process, from the moment all start to the moment all have saved — sampled while
        // the workers and their PostgreSQL backends are still alive (runFleet keeps them open).
        let nodeAtStart: SchedSample | null = null;
        let postgresAtStart: SchedSample | null = null;
        let node: ReturnType<typeof schedBetween> = null;
        let postgres: ReturnType<typeof schedBetween> = null;
        const reports = await runFleet(
          Array.from({ length: PROCESSES }, (_, p) => ({
            workerId: `bench-${phase}-${p}`,
            databaseUrl: host.appUrl,
            login: school.math.login,
            password: PASSWORD,
            nowIso: clock.now().toISOString(),
            lessonIds,
            studentIds: students,
            workTypeId: school.workTypes.oral,
            saves: 1_000_000_000,
            durationMs,
            pcs: PCS_PER_PROCESS,
            retryForMs: 30_000,
            warmUpSaves: WARM_UP_SAVES,
            ...(intervalMs ? { intervalMs } : {}),
          })),
          {
            onStart: (workerPids) => {
              nodeAtStart = schedSample(workerPids);
              postgresAtStart = schedSample(postgresPids(clusterDir));
            },
            onSaved: (workerPids) => {
              node = schedBetween(nodeAtStart, schedSample(workerPids));
              postgres = schedBetween(postgresAtStart, schedSample(postgresPids(clusterDir)));
            },
          },
        );
        const nodeSched = node as ReturnType<typeof schedBetween>; // set by the fleet's hooks
        const postgresSched = postgres as ReturnType<typeof schedBetween>;
        const acknowledged = reports.flatMap((r) => r.acknowledged);
        const saves = Math.max(1, acknowledged.length);
        const rows = await core.store.db.selectFrom('mark').select('comment').where('comment', 'like', `bench-${phase}-%`).execute();
        const stored = new Map<string, number>();
        for (const row of rows) stored.set(row.comment, (stored.get(row.comment) ?? 0) + 1);
        return {
          acknowledged: acknowledged.length,
          // Over the saving window: each PC saves for durationMs after its sign-in.
          perSecond: Math.round(acknowledged.length / (durationMs / 1000)),
          latencies: reports.flatMap((r) => r.latenciesMs),
          lost: acknowledged.filter((key) => !stored.has(key)).length,
          duplicated: [...stored.values()].filter((n) => n > 1).length,
          failed: reports.reduce((n, r) => n + r.failures.length, 0),
          // What one save costs the two cores: the PCs' processes (Node) and the server.
          nodeCpuPerSave: reports.reduce((n, r) => n + r.savingCpuMs, 0) / saves,
          postgresCpuPerSave: postgresSched === null ? null : postgresSched.runMs / saves,
          // What one save waited, ready to run, for a CPU that another process held.
          nodeWaitPerSave: nodeSched === null ? null : nodeSched.waitMs / saves,
          postgresWaitPerSave: postgresSched === null ? null : postgresSched.waitMs / saves,
        };
      };
      const paced = await fleet('paced', DURATION_MS, (PCS * 1000) / OFFERED_PER_SECOND);
      const capacity = await fleet('capacity', CAPACITY_DURATION_MS);
      const ms = (value: number) => Number(value.toFixed(2));
      return [
        { name: `lan: ${PCS} PCs, a mark every ${(PCS * 1000) / OFFERED_PER_SECOND} ms each (${OFFERED_PER_SECOND}/s offered), acknowledged`, value: paced.acknowledged, unit: 'saves', target: '' },
        { name: `lan: ${PCS} PCs paced, throughput`, value: paced.perSecond, unit: 'saves/s', target: '≥ 300 saves/s' },
        { name: `lan: ${PCS} PCs paced, save latency p50`, value: ms(quantile(paced.latencies, 0.5)), unit: 'ms', target: '' },
        { name: `lan: ${PCS} PCs paced, save latency p95`, value: ms(quantile(paced.latencies, 0.95)), unit: 'ms', target: '≤ 50 ms' },
        { name: `lan: ${PCS} PCs back to back (capacity), throughput`, value: capacity.perSecond, unit: 'saves/s', target: '' },
        { name: `lan: ${PCS} PCs back to back, latency p50 (= ${PCS} queued saves)`, value: ms(quantile(capacity.latencies, 0.5)), unit: 'ms', target: '' },
        { name: 'lan: CPU per save in the PCs\' processes (Node), back to back', value: ms(capacity.nodeCpuPerSave), unit: 'ms', target: '' },
        ...(capacity.postgresCpuPerSave === null
          ? []
          : [
              { name: 'lan: CPU per save in PostgreSQL, back to back', value: ms(capacity.postgresCpuPerSave), unit: 'ms', target: '' },
              // Its CPU per save against this machine's cores: what the server alone could
              // answer if the PCs' processes ran elsewhere, as they do in a school.
              { name: `lan: saves/s PostgreSQL alone could give on ${availableParallelism()} cores (its CPU per save)`, value: Math.round((availableParallelism() * 1000) / Math.max(0.001, capacity.postgresCpuPerSave)), unit: 'saves/s', target: '≥ 1000 saves/s' },
            ]),
        ...(paced.nodeWaitPerSave === null || paced.postgresWaitPerSave === null
          ? []
          : [
              // Here the PCs' processes and PostgreSQL share this machine's cores; the run-queue
              // wait is the part of a save's time spent ready to run while another process held
              // the CPU — the part a server whose cores the PCs do not share would not have.
              { name: 'lan: paced, CPU wait per save in the PCs\' processes (Node)', value: ms(paced.nodeWaitPerSave), unit: 'ms', target: '' },
              { name: 'lan: paced, CPU wait per save in PostgreSQL', value: ms(paced.postgresWaitPerSave), unit: 'ms', target: '' },
              { name: 'lan: paced, save latency mean', value: ms(mean(paced.latencies)), unit: 'ms', target: '' },
              { name: 'lan: paced, share of the mean latency spent waiting for a CPU', value: Math.round((100 * (paced.nodeWaitPerSave + paced.postgresWaitPerSave)) / Math.max(0.001, mean(paced.latencies))), unit: '%', target: '' },
              // A rough estimate only: the slowest saves may well have waited more than the mean.
              { name: 'lan: paced, p95 less the mean CPU wait per save', value: ms(Math.max(0, quantile(paced.latencies, 0.95) - paced.nodeWaitPerSave - paced.postgresWaitPerSave)), unit: 'ms', target: '' },
            ]),
        { name: 'lan: lost acknowledged saves (both runs)', value: paced.lost + capacity.lost, unit: 'saves', target: '≤ 0' },
        { name: 'lan: duplicated saves (both runs)', value: paced.duplicated + capacity.duplicated, unit: 'saves', target: '≤ 0' },
        { name: 'lan: failed saves, not acknowledged (both runs)', value: paced.failed + capacity.failed, unit: 'saves', target: '≤ 0' },
      ];
    } finally {
      await core.close();
      await host.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
