import type { MethodInput, MethodName, MethodOutput } from '../../src-shared/contract/index';
import type { JobStatus } from '../../src-shared/contract/jobs';
import type { TestSession } from './client';

// Long work runs as a job (src-main/jobs/runner.ts): its start method answers at once and the
// job is followed through jobs.status, as the app's screens do.

/** Asks jobs.status until the job is over (done, cancelled or failed); answers its last status. */
export async function untilJobOver(session: TestSession, started: JobStatus): Promise<JobStatus> {
  let status = started;
  while (status.state === 'running' || status.state === 'queued') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = await session.ok('jobs.status', { jobId: started.jobId });
  }
  return status;
}

type JobStartMethod = { [M in MethodName]: MethodOutput<M> extends JobStatus ? (JobStatus extends MethodOutput<M> ? M : never) : never }[MethodName];

/** Starts a job with its feature's method and waits for it to end. */
export async function runJob<M extends JobStartMethod>(session: TestSession, method: M, input: MethodInput<M>): Promise<JobStatus> {
  return untilJobOver(session, (await session.ok(method, input)) as JobStatus);
}

/** Runs the job and requires it done; answers its status (result, items). */
export async function runJobDone<M extends JobStartMethod>(session: TestSession, method: M, input: MethodInput<M>): Promise<JobStatus> {
  const over = await runJob(session, method, input);
  if (over.state !== 'done') throw new Error(`${method}: the job ended ${over.state}: ${over.error ?? over.result ?? ''}`);
  return over;
}

/** A list import run to its end; its counts and temporary passwords (import.result). */
export async function importDone(session: TestSession, input: MethodInput<'import.apply'>): Promise<MethodOutput<'import.result'>> {
  const over = await runJobDone(session, 'import.apply', input);
  return session.ok('import.result', { jobId: over.jobId });
}

/**
 * A list import refused: at once by the call (a right, the input's own limits) or by the
 * job's checks (the job failed). Either way, why in Russian; `stage` says which.
 */
export async function importRefused(session: TestSession, input: MethodInput<'import.apply'>): Promise<{ stage: 'call' | 'job'; kind: string; message: string }> {
  const answer = await session.raw('import.apply', input);
  if (!answer.ok) return { stage: 'call', kind: answer.error.kind, message: answer.error.message };
  const over = await untilJobOver(session, answer.value as JobStatus);
  if (over.state !== 'failed' || over.error === null) throw new Error(`import.apply: expected a refusal, the job ended ${over.state}`);
  return { stage: 'job', kind: 'failed', message: over.error };
}
