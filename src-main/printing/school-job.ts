import type { JobStatus } from '../../src-shared/contract/jobs';
import { AppError } from '../core/errors';
import type { JobRunner } from '../jobs/runner';
import type { Store } from '../store/database';
import type { JournalPrintOptions } from './class-journal';
import { startClassFolderJob } from './folder-job';
import { plural } from '../../src-shared/rules/plural';
import { isFileSystemError, printSchool, type SchoolPrintProgress } from './school';

// The whole school for a period as a job (docs/architecture.md principle 8) on the core's one job
// runner (src-main/jobs): started by `print.schoolJob.start`, then watched and stopped with
// `jobs.status` / `jobs.cancel` like any long job. It runs in the process that hosts the core
// — the Electron main process, or the bridge in development — one class at a time through
// printSchool, the same loop the CLI runs, so memory stays at one class's worth and every
// file is written atomically and recorded in the print log. One at a time per core.

export const SCHOOL_PRINT_KIND = 'print.school';

export interface SchoolJobRequest {
  startedBy: { userId: number; fullName: string };
  yearId: number;
  /** The period's number in the year, or the whole year. */
  period: number | 'year';
  folder: string;
  options: JournalPrintOptions;
}

/** Why a whole job stopped, in words for the deputy; null leaves it to the runner (logged, «внутренняя ошибка»). */
function describeFailure(error: unknown, folder: string): string | null {
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
  return null;
}

function unitOf(progress: SchoolPrintProgress) {
  const sheets = progress.fileName ? progress.sheets : null;
  return {
    label: progress.className,
    fileName: progress.fileName,
    sha256: progress.sha256,
    summary: sheets === null ? null : `${sheets} ${plural(sheets, 'лист', 'листа', 'листов')}`,
    status: progress.fileName ? ('ok' as const) : progress.skipped ? ('skipped' as const) : ('failed' as const),
    message: progress.skipped ?? progress.failed ?? null,
  };
}

function busyMessage(holder: JobStatus): string {
  return `Печать всей школы уже идёт (её начал(а) ${holder.startedBy}; готово ${holder.done} из ${holder.total}). Дождитесь окончания или остановите её.`;
}

/**
 * Checks the folder, the year and its classes, then starts the job; refuses a second one
 * while one is queued or running. Answers the job's first status.
 */
export function startSchoolPrint(jobs: JobRunner, deps: { store: Store; now(): Date }, request: SchoolJobRequest): Promise<JobStatus> {
  return startClassFolderJob(jobs, deps.store, {
    kind: SCHOOL_PRINT_KIND,
    title: 'Печать журналов всей школы',
    busy: busyMessage,
    startedBy: request.startedBy,
    yearId: request.yearId,
    folder: request.folder,
    refuseEmptyYear: true,
    describeError: (error) => describeFailure(error, request.folder),
    run: async (job, classStart) => {
      const result = await printSchool(deps.store, {
        yearId: request.yearId,
        period: request.period === 'year' ? 'year' : { number: request.period },
        outDir: request.folder,
        options: request.options,
        signal: job.signal,
        record: { userId: request.startedBy.userId, source: 'app', now: deps.now },
        onClassStart: ({ total, className }) => classStart(className, total),
        onProgress: (progress) => job.unitDone(unitOf(progress)),
        onClassError: (error, className) => job.logError(error, className),
      });
      const remark = result.failed.length > 0 ? ` Не напечатано классов: ${result.failed.length} (причины — в таблице).` : '';
      return { written: result.files.length, cancelled: result.cancelled, remark };
    },
  });
}
