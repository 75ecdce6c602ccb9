import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { AppError } from '../core/errors';
import type { Store } from '../store/database';
import { printClassJournal, resolvePeriod, type JournalPrintOptions, type PeriodChoice, type PrintedDocument } from './class-journal';
import { placeFile } from './folder-job';
import { ReservedPrint } from './print-log';
import { classesOfYear, readClass } from './repository';

export interface SchoolPrintProgress {
  /** Classes finished (printed, skipped or failed) so far, of `total`. */
  done: number;
  total: number;
  className: string;
  /** The written file; null when the class was skipped or failed. */
  file: string | null;
  fileName: string | null;
  sha256: string | null;
  pages: number;
  sheets: number;
  /** Printed as a preliminary version (the period is not complete for this class). */
  preliminary?: boolean;
  /** Why a class has no file (e.g. grades 10–11 keep half-years, not a 3rd quarter). */
  skipped?: string;
  /** Why a class could not be printed (Russian); the other classes go on. */
  failed?: string;
}

export interface SchoolPrintRequest {
  yearId: number;
  period: PeriodChoice;
  outDir: string;
  options?: Partial<JournalPrintOptions>;
  /** Only final versions: a class whose period is not complete fails with what is missing. */
  final?: boolean;
  /** A class is about to be printed (`index` is 1-based). */
  onClassStart?: (start: { index: number; total: number; className: string }) => void;
  onProgress?: (progress: SchoolPrintProgress) => void;
  /** An unexpected error that failed one class (for the error log); the run goes on. */
  onClassError?: (error: unknown, className: string) => void;
  /** Checked between classes: the class being printed is finished first. */
  signal?: AbortSignal;
  /** Recorded in the print log and the audit for every file; null records nothing. */
  record: { userId: number | null; source: 'app' | 'cli'; now: () => Date } | null;
}

export interface SchoolPrintResult {
  files: Array<{ classId: number; className: string; file: string; fileName: string; sha256: string; pages: number; sheets: number; preliminary: boolean }>;
  skipped: Array<{ className: string; reason: string }>;
  failed: Array<{ className: string; reason: string }>;
  cancelled: boolean;
}

export const INTERNAL_CLASS_FAILURE = 'Журнал класса не напечатан из-за внутренней ошибки; подробности записаны в журнал ошибок.';

/**
 * A failure of the file system (disk full, folder gone, no rights): every next class would
 * fail the same way, so the whole run stops on it.
 */
export function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return typeof (error as { syscall?: unknown } | null)?.syscall === 'string' && typeof (error as { code?: unknown }).code === 'string';
}

/**
 * Every class's journal for a period, one PDF per class into `outDir`, one class at a time,
 * each streamed to disk: peak memory is one class's planning, not the school's. A file is
 * written under a temporary name, flushed to disk, recorded in the print log, and only then
 * renamed to its own name: a crash or a cancel leaves no half file under a journal's name.
 * The CLI (`zhurnal print --all`) and the app's whole-school job (school-job.ts) both run it.
 */
export async function printSchool(store: Store, request: SchoolPrintRequest): Promise<SchoolPrintResult> {
  await mkdir(request.outDir, { recursive: true });
  const classes = await classesOfYear(store.db, request.yearId);
  const total = classes.length;
  const result: SchoolPrintResult = { files: [], skipped: [], failed: [], cancelled: false };
  const none = { file: null, fileName: null, sha256: null, pages: 0, sheets: 0 };
  let done = 0;
  for (const { id: classId, name: className } of classes) {
    if (request.signal?.aborted) {
      result.cancelled = true;
      break;
    }
    request.onClassStart?.({ index: done + 1, total, className });
    const schoolClass = await readClass(store.db, classId);
    let periodId: number | null;
    try {
      const period = resolvePeriod(schoolClass, request.period);
      periodId = period === 'year' ? null : period.id;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      done += 1;
      result.skipped.push({ className, reason: error.message });
      request.onProgress?.({ done, total, className, ...none, skipped: error.message });
      continue;
    }

    let printed: PrintedDocument;
    let file: string;
    const reserved = request.record
      ? new ReservedPrint(store, {
          at: request.record.now().toISOString(),
          userId: request.record.userId,
          source: request.record.source,
          document: 'class_journal',
          classId,
          yearId: request.yearId,
          periodId,
          title: '',
          options: { duplex: request.options?.duplex ?? false, bindingMarginMm: request.options?.bindingMarginMm ?? 20, wholeSchool: true },
          fileName: null,
        })
      : null;
    try {
      ({ file, written: printed } = await placeFile(request.outDir, `.${classId}.pdf.part`, {
        write: async (partial) => {
          const stream = createWriteStream(partial);
          // Reported by `finished` or the writer's drain; without a listener it would crash the process.
          stream.on('error', () => {});
          try {
            const journal = await printClassJournal(store, { classId, period: request.period, options: request.options, out: stream, now: request.record?.now(), final: request.final, logNumber: reserved?.number });
            stream.end();
            await finished(stream);
            return journal;
          } finally {
            stream.destroy();
          }
        },
        record: async (journal) => {
          await reserved?.complete({ sha256: journal.sha256, pages: journal.pages, sheets: journal.sheets, title: journal.title, fileName: journal.fileName, preliminary: journal.preliminary, historyAt: journal.historyAt });
          return journal.fileName;
        },
        abandon: async () => reserved?.abandon(),
      }));
    } catch (error) {
      if (isFileSystemError(error)) throw error;
      const reason = error instanceof AppError ? error.message : INTERNAL_CLASS_FAILURE;
      if (!(error instanceof AppError)) request.onClassError?.(error, className);
      done += 1;
      result.failed.push({ className, reason });
      request.onProgress?.({ done, total, className, ...none, failed: reason });
      continue;
    }
    done += 1;
    result.files.push({ classId, className, file, fileName: printed.fileName, sha256: printed.sha256, pages: printed.pages, sheets: printed.sheets, preliminary: printed.preliminary });
    request.onProgress?.({ done, total, className, file, fileName: printed.fileName, sha256: printed.sha256, pages: printed.pages, sheets: printed.sheets, preliminary: printed.preliminary });
  }
  return result;
}
