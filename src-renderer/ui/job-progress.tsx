import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobStatus } from '../../src-shared/contract/jobs';
import { api, asApiError } from '../api/client';
import { ErrorMessage } from '../ui/common';

// The one way a window follows a long job in the core (backup, restore, the whole school's
// print, …): the feature's start method answers the job's status, `track` takes it, and the
// hook asks `jobs.status` every half second until the job is over. Nothing is held in the
// window: on coming back to the page the user's running job of that kind is shown again.

const POLL_MS = 500;

const isActive = (job: JobStatus | null) => job?.state === 'queued' || job?.state === 'running';

export interface JobTracker {
  job: JobStatus | null;
  /** queued or running. */
  active: boolean;
  /** A status a start method answered (or found otherwise): follow that job. */
  track(job: JobStatus): void;
  /** Follows the job with this id (e.g. the one a «busy» refusal named). */
  follow(jobId: string): void;
  /** «Остановить»: the job stops after the unit in hand. */
  stop(): Promise<void>;
  /** Forgets a job that is over (e.g. another file was chosen); a running one stays shown. */
  clear(): void;
  /** A polling or cancel failure, in Russian. */
  error: string | null;
}

/**
 * Follows the user's job of `kind`. `onOver` runs once when a followed job ends (e.g. to
 * re-read a list the job changed).
 */
export function useJob(kind: string, onOver?: (job: JobStatus) => void): JobTracker {
  const [job, setJob] = useState<JobStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retry, setRetry] = useState(0);
  const wasActive = useRef(false);
  const overRef = useRef(onOver);
  overRef.current = onOver;

  // Back on the page: the user's running job of this kind, if any.
  useEffect(() => {
    let cancelled = false;
    api.call('jobs.mine', { kind }).then(
      (jobs) => {
        const running = jobs.find((candidate) => isActive(candidate));
        if (!cancelled && running) setJob((shown) => shown ?? running);
      },
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [kind]);

  // While the job runs: its status every half second.
  useEffect(() => {
    if (!job || !isActive(job)) return undefined;
    let cancelled = false;
    const timer = setTimeout(() => {
      api.call('jobs.status', { jobId: job.jobId }).then(
        (next) => {
          if (cancelled) return;
          setError(null);
          setJob(next);
        },
        (thrown: unknown) => {
          if (cancelled) return;
          const failure = asApiError(thrown);
          setError(failure.message);
          if (failure.kind === 'not_found') setJob(null);
          else setRetry((count) => count + 1);
        },
      );
    }, POLL_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [job, retry]);

  useEffect(() => {
    if (isActive(job)) wasActive.current = true;
    else if (wasActive.current && job) {
      wasActive.current = false;
      overRef.current?.(job);
    }
  }, [job]);

  const track = useCallback((next: JobStatus) => {
    setError(null);
    setJob(next);
  }, []);

  const follow = useCallback((jobId: string) => {
    api.call('jobs.status', { jobId }).then(track, () => {});
  }, [track]);

  const stop = useCallback(async () => {
    if (!job) return;
    try {
      setJob(await api.call('jobs.cancel', { jobId: job.jobId }));
    } catch (thrown) {
      setError(asApiError(thrown).message);
    }
  }, [job]);

  const clear = useCallback(() => {
    setError(null);
    setJob((shown) => (isActive(shown) ? shown : null));
  }, []);

  return { job, active: isActive(job), track, follow, stop, clear, error };
}

/**
 * The job's progress and «Остановить» while it runs; afterwards what it did, or why it
 * failed. `currentUnit` is the unit in the genitive, as in «Останавливаю после текущего
 * класса…»; `label` names the progress for screen readers.
 */
export function JobProgress({ tracker, currentUnit, label }: { tracker: JobTracker; currentUnit: string; label?: string }) {
  const { job, active, stop, error } = tracker;
  if (!job) return <ErrorMessage error={error} />;
  const position =
    job.state === 'queued'
      ? 'Ждёт окончания другого долгого задания'
      : job.current
        ? `${Math.min(job.done + 1, job.total)} из ${job.total}: ${job.current}`
        : job.total > 0
          ? `${job.done} из ${job.total}`
          : 'Идёт…';
  return (
    <>
      {active && (
        <div className="print-progress job-progress" role="status" aria-label={label ?? `Ход: ${job.title}`}>
          {job.total > 0 ? <progress max={job.total} value={job.done} aria-label={job.title} /> : <progress aria-label={job.title} />}
          <span>{position}</span>
          <button type="button" className="button" disabled={job.cancelRequested} onClick={() => void stop()}>
            {job.cancelRequested ? `Останавливаю после текущего ${currentUnit}…` : 'Остановить'}
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
      {job.state === 'failed' && <ErrorMessage error={job.error ?? `${job.title}: задание остановлено.`} />}
      {!active && job.state !== 'failed' && (job.result || job.state === 'cancelled') && (
        <p className="message message-info" role="status">
          {job.result ?? 'Остановлено.'}
        </p>
      )}
    </>
  );
}

/** The job's units as a table: what each is, its file or why not, its size, its SHA-256. */
export function JobItems({ job, labelHeading, label }: { job: JobStatus | null; labelHeading: string; label: string }) {
  if (!job || job.items.length === 0) return null;
  const withSummary = job.items.some((item) => item.summary !== null);
  const withSha = job.items.some((item) => item.sha256 !== null);
  return (
    <table className="table table-compact" aria-label={label}>
      <thead>
        <tr>
          <th>{labelHeading}</th>
          <th>Файл</th>
          {withSummary && <th>Объём</th>}
          {withSha && <th>SHA-256</th>}
        </tr>
      </thead>
      <tbody>
        {job.items.map((item, index) => (
          <tr key={`${index}-${item.label}`}>
            <td className="nowrap">{item.label}</td>
            <td>
              {item.status === 'ok' && (item.fileName ?? 'готово')}
              {item.status === 'skipped' && <span className="badge badge-warn">пропущен</span>}
              {item.status === 'failed' && <span className="badge badge-bad">не сделано</span>}
              {item.message && <span className="small"> {item.message}</span>}
            </td>
            {withSummary && <td className="nowrap">{item.summary ?? '—'}</td>}
            {withSha && (
              <td className="mono small" title={item.sha256 ?? undefined}>
                {item.sha256 ? `${item.sha256.slice(0, 12)}…` : '—'}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
