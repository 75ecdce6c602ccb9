// One simulated staff PC: its own core (own connection pool) against the school's
// PostgreSQL, saving marks the way the journal page does — every save with an
// idempotency key, retried with the same key while the database is unreachable.
// Run: tsx tests/support/lan-worker.ts '<json WorkerPlan>'; prints one JSON WorkerReport.
import { createCore } from '../../src-main/app/core';
import { READY_LINE, SAVED_LINE } from './lan-fleet';

export interface WorkerPlan {
  workerId: string;
  databaseUrl: string;
  login: string;
  password: string;
  /** The fixed school-local moment the worker's clock shows (lessons must be editable). */
  nowIso: string;
  lessonIds: number[];
  studentIds: number[];
  workTypeId: number;
  /** Stop after this many acknowledged saves… */
  saves: number;
  /** …or after this many milliseconds of saving (counted from each PC's sign-in). */
  durationMs: number;
  /** PCs this process simulates, each with its own core and connections. */
  pcs: number;
  /** Give up on one save after this long without an answer. */
  retryForMs: number;
  /**
   * Each PC starts a save every this many ms (a teacher's pace), whether or not the last
   * one is done; latency counts from the moment the save was due, so a slow database shows
   * as queueing rather than as fewer saves. Absent: back to back, as fast as answered.
   */
  intervalMs?: number;
  /** Saves each PC makes after signing in, before the measured window (not reported). */
  warmUpSaves?: number;
}

export interface WorkerReport {
  /** This process's CPU time while its PCs were saving (sign-in and start-up excluded). */
  savingCpuMs: number;
  acknowledged: string[];
  latenciesMs: number[];
  retries: number;
  failures: Array<{ key: string; kind: string; message: string }>;
}

/** A PC that starts while the host is busy keeps trying, as the app does at start-up. */
async function openCore(plan: WorkerPlan) {
  const giveUpAt = Date.now() + plan.retryForMs;
  for (;;) {
    try {
      return await createCore({ databaseUrl: plan.databaseUrl, now: () => new Date(plan.nowIso), poolSize: 2 });
    } catch (error) {
      if (Date.now() > giveUpAt) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** One PC: opens its core, signs in, warms up, waits for the start (`ready`), saves, then waits to close (`saved`). */
async function simulatePc(plan: WorkerPlan, pcIndex: number, report: WorkerReport, ready: (pc: number) => Promise<void>, saved: () => Promise<void>) {
  const core = await openCore(plan);
  try {
    const signInUntil = Date.now() + plan.retryForMs;
    let login = await core.call({ method: 'auth.login', input: { login: plan.login, password: plan.password } });
    while (!login.ok && login.error.kind === 'unavailable' && Date.now() < signInUntil) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      login = await core.call({ method: 'auth.login', input: { login: plan.login, password: plan.password } });
    }
    if (!login.ok) throw new Error(`вход не удался: ${login.error.message}`);
    const session = (login.value as { session: string }).session;
    const markInput = (i: number, key: string) => ({
      lessonId: plan.lessonIds[i % plan.lessonIds.length],
      studentId: plan.studentIds[(i + pcIndex) % plan.studentIds.length],
      value: String(2 + ((i + pcIndex) % 4)),
      workTypeId: plan.workTypeId,
      comment: key,
      idempotencyKey: key,
    });
    for (let i = 0; i < (plan.warmUpSaves ?? 0); i++) {
      const key = `warm-${plan.workerId}-${pcIndex}-${i}`;
      const result = await core.call({ method: 'journal.saveMark', input: markInput(i, key), session });
      if (!result.ok) throw new Error(`разминка не удалась: ${result.error.message}`);
    }
    await ready(pcIndex);
    // The saving window starts now.
    const deadline = Date.now() + plan.durationMs;
    const perPc = Math.ceil(plan.saves / plan.pcs);
    // PCs start spread over one interval, as teachers do not press Enter in step.
    let due = performance.now() + (plan.intervalMs ? (plan.intervalMs * pcIndex) / plan.pcs : 0);
    for (let i = 0; i < perPc && Date.now() < deadline; i++) {
      if (plan.intervalMs) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const key = `${plan.workerId}-${pcIndex}-${i}`;
      const input = markInput(i, key);
      const started = plan.intervalMs ? due : performance.now();
      if (plan.intervalMs) due += plan.intervalMs;
      const giveUpAt = Date.now() + plan.retryForMs;
      for (;;) {
        const result = await core.call({ method: 'journal.saveMark', input, session });
        if (result.ok) {
          report.acknowledged.push(key);
          report.latenciesMs.push(performance.now() - started);
          break;
        }
        if (result.error.kind !== 'unavailable' || Date.now() > giveUpAt) {
          report.failures.push({ key, kind: result.error.kind, message: result.error.message });
          break;
        }
        report.retries += 1;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    // The saving window is over; the connections stay open until the fleet says close.
    await saved();
  } finally {
    await core.close();
  }
}

/**
 * The fleet's two signals on stdin: go (a line; at once if stdin closes) and, once every
 * process has saved, close (stdin ends) — until then the PCs keep their connections, so the
 * fleet can read their server processes' CPU before they end.
 */
function fleetSignals(): { go: Promise<void>; close: Promise<void> } {
  let go!: () => void;
  let close!: () => void;
  const signals = { go: new Promise<void>((resolve) => (go = resolve)), close: new Promise<void>((resolve) => (close = resolve)) };
  process.stdin.on('data', () => go());
  process.stdin.on('end', () => {
    go();
    close();
  });
  process.stdin.resume();
  return signals;
}

async function main() {
  const plan = JSON.parse(process.argv[2] ?? '{}') as WorkerPlan;
  const report: WorkerReport = { savingCpuMs: 0, acknowledged: [], latenciesMs: [], retries: 0, failures: [] };
  // Every PC of this process starts saving once all are signed in and warmed up and the fleet
  // says go, so the CPU counted below is the saving alone (start-up and argon2 sign-ins are not).
  const signals = fleetSignals();
  let waiting = plan.pcs;
  let allReady!: () => void;
  const started = new Promise<void>((resolve) => (allReady = resolve));
  let cpuAtStart: NodeJS.CpuUsage | null = null;
  const ready = () => {
    waiting -= 1;
    if (waiting === 0) {
      process.stdout.write(`${READY_LINE} ${process.pid}\n`);
      void signals.go.then(() => {
        cpuAtStart = process.cpuUsage();
        allReady();
      });
    }
    return started;
  };
  let saving = plan.pcs;
  const saved = () => {
    saving -= 1;
    if (saving === 0) {
      if (cpuAtStart) {
        const used = process.cpuUsage(cpuAtStart);
        report.savingCpuMs = (used.user + used.system) / 1000;
      }
      process.stdout.write(`${SAVED_LINE}\n`);
    }
    return signals.close;
  };
  await Promise.all(Array.from({ length: plan.pcs }, (_, pc) => simulatePc(plan, pc, report, ready, saved)));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
