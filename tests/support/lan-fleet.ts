import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerPlan, WorkerReport } from './lan-worker';

/** A worker prints this when every PC of its process is signed in and warmed up; then stdin says go. */
export const READY_LINE = 'zhurnal-lan-worker-ready';

const workerScript = fileURLToPath(new URL('./lan-worker.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

interface RunningWorker {
  /** Resolves once the worker's PCs are signed in and warmed up, waiting for `start`. */
  ready: Promise<void>;
  start(): void;
  report: Promise<WorkerReport>;
}

function spawnWorker(plan: WorkerPlan): RunningWorker {
  const child = spawn(tsx, [workerScript, JSON.stringify(plan)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let signalReady!: () => void;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.on('data', (chunk) => {
    out += chunk;
    if (out.includes(READY_LINE)) signalReady();
  });
  child.stderr.on('data', (chunk) => (err += chunk));
  const report = new Promise<WorkerReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      signalReady(); // a worker that died before it was ready must not hold the others
      if (code !== 0) return reject(new Error(`рабочий процесс ${plan.workerId} завершился с кодом ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkerReport);
    });
  });
  return { ready, start: () => child.stdin.end('go\n'), report };
}

/** Starts one simulated-PC process; resolves with its report when it ends. */
export function runWorker(plan: WorkerPlan): Promise<WorkerReport> {
  const worker = spawnWorker(plan);
  worker.start(); // this one does not wait for others
  return worker.report;
}

/**
 * Starts several simulated-PC processes and lets them all begin saving at the same moment,
 * once every PC of every process has signed in and warmed up: the end of a lesson, when the
 * PCs have been on since morning, not the minute they are switched on.
 */
export async function runFleet(plans: WorkerPlan[], onStart: () => void = () => {}): Promise<WorkerReport[]> {
  const workers = plans.map(spawnWorker);
  const reports = Promise.all(workers.map((w) => w.report));
  reports.catch(() => {}); // awaited below; a failure before that must not go unhandled
  await Promise.all(workers.map((w) => w.ready));
  onStart();
  for (const worker of workers) worker.start();
  return reports;
}
