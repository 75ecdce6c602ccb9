import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerPlan, WorkerReport } from './lan-worker';

/** A worker prints this (and its pid) when every PC of its process is signed in and warmed up; then stdin says go. */
export const READY_LINE = 'zhurnal-lan-worker-ready';
/** A worker prints this when its PCs have saved; they keep their connections until stdin ends. */
export const SAVED_LINE = 'zhurnal-lan-worker-saved';

const workerScript = fileURLToPath(new URL('./lan-worker.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

interface RunningWorker {
  /** Resolves once the worker's PCs are signed in and warmed up, waiting for `start`; with the worker's pid (null if it died). */
  ready: Promise<number | null>;
  start(): void;
  /** Resolves once the worker's PCs have saved and wait for `close` with their connections open. */
  saved: Promise<void>;
  close(): void;
  report: Promise<WorkerReport>;
}

function spawnWorker(plan: WorkerPlan): RunningWorker {
  const child = spawn(tsx, [workerScript, JSON.stringify(plan)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let signalReady!: (pid: number | null) => void;
  const ready = new Promise<number | null>((resolve) => (signalReady = resolve));
  let signalSaved!: () => void;
  const saved = new Promise<void>((resolve) => (signalSaved = resolve));
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const readyLine = new RegExp(`${READY_LINE} (\\d+)\\n`).exec(out);
    if (readyLine) signalReady(Number(readyLine[1]));
    if (out.includes(SAVED_LINE)) signalSaved();
  });
  child.stderr.on('data', (chunk) => (err += chunk));
  const report = new Promise<WorkerReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      // A worker that died before it was ready or saved must not hold the others.
      signalReady(null);
      signalSaved();
      if (code !== 0) return reject(new Error(`рабочий процесс ${plan.workerId} завершился с кодом ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkerReport);
    });
  });
  return { ready, start: () => child.stdin.write('go\n'), saved, close: () => child.stdin.end(), report };
}

/** Starts one simulated-PC process; resolves with its report when it ends. */
export function runWorker(plan: WorkerPlan): Promise<WorkerReport> {
  const worker = spawnWorker(plan);
  // This one waits for no others: go, and close as soon as it has saved.
  worker.start();
  worker.close();
  return worker.report;
}

export interface FleetHooks {
  /** Every worker is ready; called just before they all start saving, with the workers' pids. */
  onStart?(workerPids: number[]): void;
  /** Every worker has saved and still holds its connections; called before they close and exit. */
  onSaved?(workerPids: number[]): void;
}

/**
 * Starts several simulated-PC processes and lets them all begin saving at the same moment,
 * once every PC of every process has signed in and warmed up: the end of a lesson, when the
 * PCs have been on since morning, not the minute they are switched on. After the saving,
 * the processes and their database connections stay alive until `onSaved` has run.
 */
export async function runFleet(plans: WorkerPlan[], hooks: FleetHooks = {}): Promise<WorkerReport[]> {
  const workers = plans.map(spawnWorker);
  const reports = Promise.all(workers.map((w) => w.report));
  reports.catch(() => {}); // awaited below; a failure before that must not go unhandled
  const pids = (await Promise.all(workers.map((w) => w.ready))).filter((pid): pid is number => pid !== null);
  hooks.onStart?.(pids);
  for (const worker of workers) worker.start();
  await Promise.all(workers.map((w) => w.saved));
  try {
    hooks.onSaved?.(pids);
  } finally {
    for (const worker of workers) worker.close();
  }
  return reports;
}
