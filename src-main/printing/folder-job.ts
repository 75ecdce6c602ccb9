import { randomUUID } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { JobStatus } from '../../src-shared/contract/jobs';
import { plural } from '../../src-shared/rules/plural';
import { invalid } from '../core/errors';
import type { JobContext, JobOwner, JobRunner } from '../jobs/runner';
import type { Store } from '../store/database';
import { classesOfYear, readYear } from './repository';

// What every whole-school job that writes one file per class into a folder shares (the class
// journals, the reports for parents): the folder checked before anything is printed, one job
// of its kind at a time, progress per class, and each file placed atomically after its print
// is recorded. The per-class work (what is printed and logged) stays with each feature.

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

/** Flushes a written file to the disk (a power cut after the rename must not leave a hole). */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the rename itself durable; Windows cannot open a folder, and needs no such step. */
async function syncDirectory(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort.
  }
}

/**
 * Places one file into a folder: written under a temporary name, flushed to disk, recorded
 * (`record` answers the file's own name), and only then renamed: a crash, a cancel or a
 * failed record leaves no half file under a document's name. On failure `abandon` undoes
 * the record's reservation, the temporary file is removed and the error goes on.
 */
export async function placeFile<Written>(
  folder: string,
  partialName: string,
  steps: { write(partial: string): Promise<Written>; record(written: Written): Promise<string>; abandon?(): Promise<void> },
): Promise<{ file: string; written: Written }> {
  const partial = join(folder, partialName);
  try {
    const written = await steps.write(partial);
    await syncFile(partial);
    const file = join(folder, await steps.record(written));
    await rename(partial, file);
    await syncDirectory(folder);
    return { file, written };
  } catch (error) {
    await steps.abandon?.().catch(() => {});
    await rm(partial, { force: true }).catch(() => {});
    throw error;
  }
}

export interface ClassFolderJob {
  /** The job's kind; also its exclusive key (one such job at a time per core). */
  kind: string;
  title: string;
  /** Why a second start is refused, for the job that runs. */
  busy(holder: JobStatus): string;
  startedBy: JobOwner;
  yearId: number;
  folder: string;
  /** Refuses a year without classes before starting; otherwise such a job writes nothing. */
  refuseEmptyYear?: boolean;
  describeError?(error: unknown): string | null;
  /**
   * The per-class loop: `classStart` before each class (sets the total and the class in
   * hand); answers the files written, whether it stopped early, and any closing remark.
   */
  run(job: JobContext, classStart: (className: string, total: number) => void): Promise<{ written: number; cancelled: boolean; remark?: string }>;
}

/**
 * Checks the folder, the year and its classes, then starts the job; refuses a second one of
 * its kind while one is queued or running. Answers the job's first status.
 */
export async function startClassFolderJob(jobs: JobRunner, store: Store, spec: ClassFolderJob): Promise<JobStatus> {
  const exclusive = { key: spec.kind, busy: spec.busy };
  // Busy is said before the folder is checked; the runner checks again when it takes the job.
  jobs.refuseIfBusy(exclusive, spec.startedBy.userId);
  await checkPrintFolder(spec.folder);
  const year = await readYear(store.db, spec.yearId);
  const classes = await classesOfYear(store.db, year.id);
  if (spec.refuseEmptyYear && classes.length === 0) throw invalid(`В ${year.name} учебном году нет классов: печатать нечего.`);
  return jobs.start({
    kind: spec.kind,
    title: spec.title,
    owner: spec.startedBy,
    target: spec.folder,
    total: classes.length,
    exclusive,
    describeError: spec.describeError,
    run: async (job) => {
      const outcome = await spec.run(job, (className, total) => {
        job.setTotal(total);
        job.working(className);
      });
      const files = `${outcome.written} ${plural(outcome.written, 'файл', 'файла', 'файлов')}`;
      if (outcome.cancelled) return `Остановлено: записано ${files} из ${classes.length}; готовые файлы остались в папке ${spec.folder}.`;
      return `Готово: записано ${files} в папку ${spec.folder}.${outcome.remark ?? ''}`;
    },
  });
}
