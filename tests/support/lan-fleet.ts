import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerPlan, WorkerReport } from './lan-worker';

const workerScript = fileURLToPath(new URL('./lan-worker.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

/** Starts one simulated-PC process; resolves with its report when it ends. */
export function runWorker(plan: WorkerPlan): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [workerScript, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`рабочий процесс ${plan.workerId} завершился с кодом ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}') as WorkerReport);
    });
  });
}
