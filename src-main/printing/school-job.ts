import { randomUUID } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { JobStatus } from '../../src-shared/contract/jobs';
import { AppError, invalid } from '../core/errors';
import type { JobRunner } from '../jobs/runner';
import type { Store } from '../store/database';
import type { JournalPrintOptions } from './class-journal';
import { classesOfYear, readYear } from './repository';
import { pluralForm as plural } from './russian-numbers';
import { isFileSystemError, printSchool, type SchoolPrintProgress } from './school';

// The whole school for a period as a job (ARCHITECTURE.md principle 8) on the core's one job
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
export async function startSchoolPrint(
  jobs: JobRunner,
  deps: { store: Store; now(): Date },
  request: SchoolJobRequest,
): Promise<JobStatus> {
  const exclusive = { key: SCHOOL_PRINT_KIND, busy: busyMessage };
  // Busy is said before the folder is checked; the runner checks again when it takes the job.
  jobs.refuseIfBusy(exclusive, request.startedBy.userId);
  await checkPrintFolder(request.folder);
  const year = await readYear(deps.store.db, request.yearId);
  const classes = await classesOfYear(deps.store.db, year.id);
  if (classes.length === 0) throw invalid(`В ${year.name} учебном году нет классов: печатать нечего.`);
  return jobs.start({
    kind: SCHOOL_PRINT_KIND,
    title: 'Печать журналов всей школы',
    owner: request.startedBy,
    target: request.folder,
    total: classes.length,
    exclusive,
    describeError: (error) => describeFailure(error, request.folder),
    run: async (job) => {
      const result = await printSchool(deps.store, {
        yearId: request.yearId,
        period: request.period === 'year' ? 'year' : { number: request.period },
        outDir: request.folder,
        options: request.options,
        signal: job.signal,
        record: { userId: request.startedBy.userId, source: 'app', now: deps.now },
        onClassStart: ({ total, className }) => {
          job.setTotal(total);
          job.working(className);
        },
        onProgress: (progress) => job.unitDone(unitOf(progress)),
        onClassError: (error, className) => job.logError(error, className),
      });
      const written = result.files.length;
      const files = `${written} ${plural(written, 'файл', 'файла', 'файлов')}`;
      const notPrinted = result.failed.length > 0 ? ` Не напечатано классов: ${result.failed.length} (причины — в таблице).` : '';
      if (result.cancelled) return `Остановлено: записано ${files} из ${classes.length}; готовые файлы остались в папке ${request.folder}.`;
      return `Готово: записано ${files} в папку ${request.folder}.${notPrinted}`;
    },
  });
}
