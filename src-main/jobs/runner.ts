import { randomUUID } from 'node:crypto';
import type { JobItem, JobStatus } from '../../src-shared/contract/jobs';
import { AppError, conflict, notFound } from '../core/errors';

// The one mechanism for long work in the core (docs/architecture.md principle 8): a feature's
// start method checks its input, then hands the work to the runner; the runner gives it an
// id, runs it when a slot is free, keeps its progress, and stops it on «Остановить» through
// an AbortSignal — the work checks the signal between its units, so a cancel takes effect
// after the unit in hand and nothing is left half-written. Jobs belong to whoever started
// them: another user's job is «not found» to them.
//
// Jobs live in this core's memory. They die with the process: after a restart a job is
// gone (its status answers «not found»), while what it already wrote stays.

export interface JobOwner {
  userId: number;
  fullName: string;
}

/** What a job's work gets: the stop signal and the means to report progress. */
export interface JobContext {
  /** Aborted when the job is cancelled or the core closes: stop before the next unit. */
  readonly signal: AbortSignal;
  /** How many units there are (shown as «3 из 10»). */
  setTotal(total: number): void;
  /** The unit in hand, for people («7Б»); null between units. */
  working(label: string | null): void;
  /** One unit is over (written, skipped or failed): counts it and lists it. */
  unitDone(item: Partial<JobItem> & Pick<JobItem, 'label'>): void;
  /** An error the job got past (one unit failed, the job goes on), for the error log. */
  logError(error: unknown, where: string): void;
  /**
   * Keeps what the job made for its owner's screen beyond the one sentence (counts, a list),
   * read by the feature's own method through `JobRunner.output`; never part of the status.
   */
  keep(output: unknown): void;
}

export interface JobSpec {
  /** The feature's name for the kind of work, e.g. `print.school`. */
  kind: string;
  /** The job's name for people: «Печать журналов всей школы». */
  title: string;
  owner: JobOwner;
  /** Where the job writes, shown to its owner; null when nowhere in particular. */
  target?: string | null;
  total?: number;
  /**
   * Only one job with this key at a time (queued or running): a second start is refused
   * with the message `busy` gives for the job that holds the key.
   */
  exclusive?: { key: string; busy(holder: JobStatus): string };
  /** The work. Returns what it did in one Russian sentence (or nothing). */
  run(context: JobContext): Promise<string | void>;
  /**
   * Why the work stopped, in Russian, for an error it threw. Without it (or when it returns
   * null) an AppError's message is shown, and anything else is logged and called internal.
   */
  describeError?(error: unknown): string | null;
  /** What stopping it means, in Russian, shown when it was cancelled and said nothing itself. */
  cancelled?: string;
}

interface Job {
  spec: JobSpec;
  status: JobStatus;
  controller: AbortController;
  finished: Promise<void>;
  /** Starts the job's work (or, for a job cancelled while queued, just ends it). */
  begin(): void;
  /** It holds one of the runner's slots, to be freed when it ends. */
  hasSlot: boolean;
  /** What the work kept for its owner (JobContext.keep). */
  output: unknown;
}

export interface JobRunnerOptions {
  now(): Date;
  logError?(error: unknown, where: string): void;
  /** How many jobs run at once; the others wait in order (default 2). */
  concurrency?: number;
  /** Finished jobs kept for their status (default 50). */
  keepFinished?: number;
}

const INTERNAL_FAILURE = 'Задание остановлено из-за внутренней ошибки; подробности записаны в журнал ошибок.';
const NOT_FOUND = 'Задание не найдено: возможно, программу перезапускали. Сделанное до перезапуска сохранено; начните задание заново.';

const isOver = (status: JobStatus) => status.state !== 'queued' && status.state !== 'running';

export class JobRunner {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running = 0;
  private closing = false;

  constructor(private readonly options: JobRunnerOptions) {}

  /** The job holding `key`, if one is queued or running (a feature may check before its own checks). */
  holder(key: string): JobStatus | null {
    for (const job of this.jobs.values()) {
      if (job.spec.exclusive?.key === key && !isOver(job.status)) return this.snapshot(job);
    }
    return null;
  }

  /**
   * Refuses (conflict) while a job holding the key is queued or running. The holder's id goes
   * with the refusal only to its own owner, whose window may then show that job.
   */
  refuseIfBusy(exclusive: NonNullable<JobSpec['exclusive']>, userId: number): void {
    const holder = this.holder(exclusive.key);
    if (!holder) return;
    const mine = this.jobs.get(holder.jobId)?.spec.owner.userId === userId;
    throw conflict(exclusive.busy(holder), mine ? { jobId: holder.jobId } : undefined);
  }

  /**
   * Takes the job (synchronously: two starts at once never both pass the exclusive check)
   * and runs it now or when a slot frees. Answers its first status.
   */
  start(spec: JobSpec): JobStatus {
    if (this.closing) throw conflict('Программа закрывается: задание не начато.');
    if (spec.exclusive) this.refuseIfBusy(spec.exclusive, spec.owner.userId);
    const job: Job = {
      spec,
      status: {
        jobId: randomUUID(),
        kind: spec.kind,
        title: spec.title,
        state: 'queued',
        cancelRequested: false,
        target: spec.target ?? null,
        done: 0,
        total: spec.total ?? 0,
        current: null,
        items: [],
        result: null,
        error: null,
        startedBy: spec.owner.fullName,
        startedAt: this.options.now().toISOString(),
        finishedAt: null,
      },
      controller: new AbortController(),
      finished: Promise.resolve(),
      begin: () => {},
      hasSlot: false,
      output: undefined,
    };
    let begin!: () => void;
    const begun = new Promise<void>((resolve) => (begin = resolve));
    job.begin = begin;
    job.finished = begun.then(() => this.run(job));
    this.jobs.set(job.status.jobId, job);
    this.forgetOldJobs();
    if (this.running < (this.options.concurrency ?? 2)) {
      this.running += 1;
      job.hasSlot = true;
      job.status.state = 'running';
      job.begin();
    } else {
      this.queue.push(job);
    }
    return this.snapshot(job);
  }

  /** The job's status, for its owner only. */
  status(jobId: string, userId: number): JobStatus {
    return this.snapshot(this.find(jobId, userId));
  }

  /**
   * What the job kept (JobContext.keep), for its owner and only for a job of `kind`; undefined
   * while it runs or when it kept nothing. The object itself: a feature may clear what is
   * to be handed over once.
   */
  output(jobId: string, userId: number, kind: string): unknown {
    const job = this.find(jobId, userId);
    if (job.spec.kind !== kind) throw notFound(NOT_FOUND);
    return job.output;
  }

  /** The owner's jobs, newest first. */
  mine(userId: number, kind?: string): JobStatus[] {
    return [...this.jobs.values()]
      .filter((job) => job.spec.owner.userId === userId && (kind === undefined || job.spec.kind === kind))
      .reverse()
      .map((job) => this.snapshot(job));
  }

  /**
   * Stops the job after the unit in hand; what is done stays. A queued job is dropped
   * before it starts. Cancelling a job that is over, or cancelling twice, changes nothing.
   */
  cancel(jobId: string, userId: number): JobStatus {
    const job = this.find(jobId, userId);
    this.requestStop(job);
    return this.snapshot(job);
  }

  /** The core is closing: queued jobs are dropped, running ones stop after their unit. */
  async stop(): Promise<void> {
    this.closing = true;
    const jobs = [...this.jobs.values()];
    for (const job of jobs) this.requestStop(job);
    await Promise.all(jobs.map((job) => job.finished));
  }

  private requestStop(job: Job): void {
    if (isOver(job.status)) return;
    job.status.cancelRequested = true;
    job.controller.abort();
    if (job.status.state === 'queued') {
      // It never runs: over at once.
      this.queue.splice(this.queue.indexOf(job), 1);
      job.status.state = 'cancelled';
      job.status.result = job.spec.cancelled ?? null;
      job.status.finishedAt = this.options.now().toISOString();
      job.begin();
    }
  }

  private find(jobId: string, userId: number): Job {
    const job = this.jobs.get(jobId);
    if (!job || job.spec.owner.userId !== userId) throw notFound(NOT_FOUND);
    return job;
  }

  private snapshot(job: Job): JobStatus {
    return structuredClone(job.status);
  }

  private forgetOldJobs(): void {
    const keep = this.options.keepFinished ?? 50;
    let over = [...this.jobs.values()].filter((job) => isOver(job.status)).length;
    for (const [id, job] of this.jobs) {
      if (over <= keep) break;
      if (isOver(job.status)) {
        this.jobs.delete(id);
        over -= 1;
      }
    }
  }

  private async run(job: Job): Promise<void> {
    const { status, spec, controller } = job;
    const { now, logError } = this.options;
    // Cancelled while it waited: it never ran, and holds no slot.
    if (!job.hasSlot) return;
    try {
      const context: JobContext = {
        signal: controller.signal,
        setTotal: (total) => {
          status.total = total;
        },
        working: (label) => {
          status.current = label;
        },
        unitDone: (item) => {
          status.done += 1;
          status.current = null;
          status.items.push({ status: 'ok', message: null, fileName: null, sha256: null, summary: null, ...item });
        },
        logError: (error, where) => logError?.(error, `jobs ${spec.kind}: ${where}`),
        keep: (output) => {
          job.output = output;
        },
      };
      const result = await spec.run(context);
      status.result = result ?? null;
      status.state = controller.signal.aborted && (status.total === 0 || status.done < status.total) ? 'cancelled' : 'done';
    } catch (error) {
      if (controller.signal.aborted && isAbort(error, controller.signal)) {
        status.state = 'cancelled';
      } else {
        status.state = 'failed';
        const described = spec.describeError?.(error) ?? null;
        if (described !== null) status.error = described;
        else if (error instanceof AppError) status.error = error.message;
        else {
          status.error = INTERNAL_FAILURE;
          logError?.(error, `jobs ${spec.kind}`);
        }
      }
    } finally {
      if (status.state === 'cancelled' && status.result === null) status.result = spec.cancelled ?? null;
      status.current = null;
      status.finishedAt = now().toISOString();
      this.next();
    }
  }

  /** A slot is free: the oldest queued job starts. */
  private next(): void {
    const waiting = this.queue.shift();
    if (!waiting) {
      this.running -= 1;
      return;
    }
    waiting.hasSlot = true;
    waiting.status.state = 'running';
    waiting.begin();
  }
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return error === signal.reason || (error instanceof Error && error.name === 'AbortError');
}
