// One simulated staff PC: its own core (own connection pool) against the school's
// PostgreSQL, saving marks the way the journal page does — every save with an
// idempotency key, retried with the same key while the database is unreachable.
// Run: tsx tests/support/lan-worker.ts '<json WorkerPlan>'; prints one JSON WorkerReport.
import { createCore } from '../../src-main/core/core';

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
}

export interface WorkerReport {
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

async function simulatePc(plan: WorkerPlan, pcIndex: number, report: WorkerReport) {
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
    // The saving window starts once this PC is signed in.
    const deadline = Date.now() + plan.durationMs;
    const perPc = Math.ceil(plan.saves / plan.pcs);
    for (let i = 0; i < perPc && Date.now() < deadline; i++) {
      const key = `${plan.workerId}-${pcIndex}-${i}`;
      const input = {
        lessonId: plan.lessonIds[i % plan.lessonIds.length],
        studentId: plan.studentIds[(i + pcIndex) % plan.studentIds.length],
        value: String(2 + ((i + pcIndex) % 4)),
        workTypeId: plan.workTypeId,
        comment: key,
        idempotencyKey: key,
      };
      const started = performance.now();
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
  } finally {
    await core.close();
  }
}

async function main() {
  const plan = JSON.parse(process.argv[2] ?? '{}') as WorkerPlan;
  const report: WorkerReport = { acknowledged: [], latenciesMs: [], retries: 0, failures: [] };
  await Promise.all(Array.from({ length: plan.pcs }, (_, pc) => simulatePc(plan, pc, report)));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
