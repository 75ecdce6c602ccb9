import { randomUUID } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { SchoolJobFile, SchoolJobStatus } from '../../src-shared/contract/printing';
import { AppError, conflict, invalid, notFound } from '../core/errors';
import type { Store } from '../store/database';
import type { JournalPrintOptions } from './class-journal';
import { classesOfYear, readYear } from './repository';
import { isFileSystemError, printSchool, type SchoolPrintProgress } from './school';

// The whole school for a period as a job in the core (docs/architecture.md principle
// 8): started by one call, then watched (`print.schoolJob.status`) and cancelled. It runs in
// the process that hosts the core — the Electron main process, or the bridge in development —
// one class at a time through printSchool, the same loop the CLI runs, so memory stays at one
// class's worth and every file is written atomically and recorded in the print log.
//
// Job state is kept in memory in this core only. It dies with the process: after a restart
// of the app the job is gone (status answers «not found»), while the files already written
// and their print-log entries stay. One job at a time per core.

export interface SchoolJobRequest {
  startedBy: { userId: number; fullName: string };
  yearId: number;
  /** The period's number in the year, or the whole year. */
  period: number | 'year';
  folder: string;
  options: JournalPrintOptions;
}

interface Job {
  status: SchoolJobStatus;
  controller: AbortController;
  finished: Promise<void>;
}

/** Finished jobs kept for their status (the window polls once more after the end). */
const KEPT_JOBS = 20;

const codeOf = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? '');

/**
 * The folder must exist, be a folder, and take a new file — checked before anything is
 * printed or logged. The folder is on the computer that runs the core.
 */
export async function checkPrintFolder(folder: string): Promise<void> {
  if (!isAbsolute(folder)) {
    const example = process.platform === 'win32' ? 'D:\\Журналы' : '/home/zavuch/Журналы';
    throw invalid(`Укажите полный путь к папке, например ${example}.`);
  }
  let isFolder: boolean;
  try {
    isFolder = (await stat(folder)).isDirectory();
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw invalid(`Папка «${folder}» не найдена. Выберите существующую папку.`);
    if (code === 'EACCES' || code === 'EPERM') throw invalid(`Нет доступа к папке «${folder}». Выберите другую папку.`);
    throw invalid(`Папку «${folder}» не удалось открыть${code ? ` (${code})` : ''}. Выберите другую папку.`);
  }
  if (!isFolder) throw invalid(`«${folder}» — это файл, а не папка. Выберите папку.`);
  const probe = join(folder, `.zhurnal-${randomUUID()}.tmp`);
  try {
    const handle = await open(probe, 'wx');
    await handle.close();
  } catch (error) {
    const why = codeOf(error) === 'ENOSPC' ? 'на диске нет места' : 'нет прав на запись или диск только для чтения';
    throw invalid(`В папку «${folder}» нельзя записать файлы: ${why}. Выберите другую папку.`);
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
}

/** Why a whole job stopped, in words for the deputy. */
function describeFailure(error: unknown, folder: string): string {
  if (error instanceof AppError) return error.message;
  if (isFileSystemError(error)) {
    const kept = 'Печать остановлена; готовые файлы остались в папке.';
    switch (error.code) {
      case 'ENOSPC':
        return `На диске с папкой «${folder}» не хватает места. ${kept}`;
      case 'EACCES':
      case 'EPERM':
      case 'EROFS':
        return `Нет прав на запись в папку «${folder}». ${kept}`;
      case 'ENOENT':
        return `Папка «${folder}» пропала во время печати (отключён диск?). Печать остановлена.`;
      default:
        return `Не удалось записать файл в папку «${folder}» (${error.code}). ${kept}`;
    }
  }
  return 'Печать остановлена из-за внутренней ошибки; подробности записаны в журнал ошибок.';
}

function fileOf(progress: SchoolPrintProgress): SchoolJobFile {
  const status = progress.fileName ? 'ok' : progress.skipped ? 'skipped' : 'failed';
  return {
    className: progress.className,
    fileName: progress.fileName,
    pages: progress.fileName ? progress.pages : null,
    sheets: progress.fileName ? progress.sheets : null,
    sha256: progress.sha256,
    status,
    message: progress.skipped ?? progress.failed ?? null,
  };
}

export class SchoolPrintJobs {
  private readonly jobs = new Map<string, Job>();
  private current: Job | null = null;

  constructor(
    private readonly deps: {
      store: Store;
      now(): Date;
      logError?(error: unknown, where: string): void;
    },
  ) {}

  async start(request: SchoolJobRequest): Promise<SchoolJobStatus> {
    const running = this.current;
    if (running) {
      const { startedBy, done, total } = running.status;
      throw conflict(`Печать всей школы уже идёт (её начал(а) ${startedBy}; готово ${done} из ${total}). Дождитесь окончания или остановите её.`, {
        jobId: running.status.jobId,
      });
    }
    const job: Job = {
      status: {
        jobId: randomUUID(),
        state: 'running',
        cancelRequested: false,
        folder: request.folder,
        done: 0,
        total: 0,
        currentClass: null,
        files: [],
        error: null,
        startedBy: request.startedBy.fullName,
        startedAt: this.deps.now().toISOString(),
        finishedAt: null,
      },
      controller: new AbortController(),
      finished: Promise.resolve(),
    };
    // The slot is taken before the first await: two starts at once give one job.
    this.current = job;
    try {
      await checkPrintFolder(request.folder);
      const year = await readYear(this.deps.store.db, request.yearId);
      const classes = await classesOfYear(this.deps.store.db, year.id);
      if (classes.length === 0) throw invalid(`В ${year.name} учебном году нет классов: печатать нечего.`);
      job.status.total = classes.length;
    } catch (error) {
      this.current = null;
      throw error;
    }
    this.jobs.set(job.status.jobId, job);
    for (const id of this.jobs.keys()) {
      if (this.jobs.size <= KEPT_JOBS) break;
      if (this.jobs.get(id) !== job) this.jobs.delete(id);
    }
    job.finished = this.run(job, request);
    return this.snapshot(job);
  }

  status(jobId: string): SchoolJobStatus {
    return this.snapshot(this.find(jobId));
  }

  /** Stops after the class being printed; what is written stays. Cancelling a finished job changes nothing. */
  cancel(jobId: string): SchoolJobStatus {
    const job = this.find(jobId);
    if (job.status.state === 'running') {
      job.status.cancelRequested = true;
      job.controller.abort();
    }
    return this.snapshot(job);
  }

  /** The core is closing: the running job stops after its current class. */
  async stop(): Promise<void> {
    const job = this.current;
    if (!job) return;
    job.status.cancelRequested = true;
    job.controller.abort();
    await job.finished;
  }

  private find(jobId: string): Job {
    const job = this.jobs.get(jobId);
    if (!job) throw notFound('Задание печати не найдено: возможно, приложение перезапускали. Готовые файлы — в выбранной папке; начните печать заново.');
    return job;
  }

  private snapshot(job: Job): SchoolJobStatus {
    return structuredClone(job.status);
  }

  private async run(job: Job, request: SchoolJobRequest): Promise<void> {
    const { status } = job;
    const { store, now, logError } = this.deps;
    try {
      const result = await printSchool(store, {
        yearId: request.yearId,
        period: request.period === 'year' ? 'year' : { number: request.period },
        outDir: request.folder,
        options: request.options,
        signal: job.controller.signal,
        record: { userId: request.startedBy.userId, source: 'app', now },
        onClassStart: ({ total, className }) => {
          status.total = total;
          status.currentClass = className;
        },
        onProgress: (progress) => {
          status.done = progress.done;
          status.currentClass = null;
          status.files.push(fileOf(progress));
        },
        onClassError: (error, className) => logError?.(error, `print.schoolJob ${className}`),
      });
      status.state = result.cancelled ? 'cancelled' : 'done';
    } catch (error) {
      status.state = 'failed';
      status.error = describeFailure(error, request.folder);
      if (!(error instanceof AppError) && !isFileSystemError(error)) logError?.(error, 'print.schoolJob');
    } finally {
      status.currentClass = null;
      status.finishedAt = now().toISOString();
      if (this.current === job) this.current = null;
    }
  }
}
