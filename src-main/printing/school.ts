import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { AppError } from '../core/errors';
import type { Store } from '../store/database';
import { printClassJournal, resolvePeriod, type JournalPrintOptions, type PeriodChoice } from './class-journal';
import { recordPrint } from './print-log';
import { classesOfYear, readClass } from './repository';

export interface SchoolPrintProgress {
  /** Classes finished (printed or skipped) so far, of `total`. */
  done: number;
  total: number;
  className: string;
  /** The written file; null when the class was skipped. */
  file: string | null;
  pages: number;
  sheets: number;
  /** Why a class has no file (e.g. grades 10–11 keep half-years, not a 3rd quarter). */
  skipped?: string;
}

export interface SchoolPrintRequest {
  yearId: number;
  period: PeriodChoice;
  outDir: string;
  options?: Partial<JournalPrintOptions>;
  onProgress?: (progress: SchoolPrintProgress) => void;
  signal?: AbortSignal;
  /** Recorded in the print log and the audit for every file; null records nothing. */
  record: { userId: number | null; source: 'app' | 'cli'; now: () => Date } | null;
}

export interface SchoolPrintResult {
  files: Array<{ classId: number; className: string; file: string; sha256: string; pages: number; sheets: number }>;
  skipped: Array<{ className: string; reason: string }>;
  cancelled: boolean;
}

/**
 * Every class's journal for a period, one PDF per class into `outDir`, one class at a time,
 * each streamed to disk: peak memory is one class's planning, not the school's. A file
 * appears under its name only when complete; cancelling leaves no partial file.
 */
export async function printSchool(store: Store, request: SchoolPrintRequest): Promise<SchoolPrintResult> {
  await mkdir(request.outDir, { recursive: true });
  const classes = await classesOfYear(store.db, request.yearId);
  const result: SchoolPrintResult = { files: [], skipped: [], cancelled: false };
  let done = 0;
  for (const { id: classId, name: className } of classes) {
    if (request.signal?.aborted) {
      result.cancelled = true;
      break;
    }
    const schoolClass = await readClass(store.db, classId);
    let periodId: number | null;
    try {
      const period = resolvePeriod(schoolClass, request.period);
      periodId = period === 'year' ? null : period.id;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      done += 1;
      result.skipped.push({ className, reason: error.message });
      request.onProgress?.({ done, total: classes.length, className, file: null, pages: 0, sheets: 0, skipped: error.message });
      continue;
    }
    const partial = join(request.outDir, `.${classId}.pdf.part`);
    const stream = createWriteStream(partial);
    let printed;
    try {
      printed = await printClassJournal(store, { classId, period: request.period, options: request.options, out: stream });
      stream.end();
      await finished(stream);
    } catch (error) {
      stream.destroy();
      await rm(partial, { force: true });
      throw error;
    }
    const file = join(request.outDir, printed.fileName);
    await rename(partial, file);
    if (request.record) {
      await recordPrint(store, {
        at: request.record.now().toISOString(),
        userId: request.record.userId,
        source: request.record.source,
        document: 'class_journal',
        classId,
        yearId: request.yearId,
        periodId,
        title: printed.title,
        options: { duplex: request.options?.duplex ?? false, bindingMarginMm: request.options?.bindingMarginMm ?? 20, wholeSchool: true },
        sha256: printed.sha256,
        pages: printed.pages,
        sheets: printed.sheets,
        fileName: printed.fileName,
      });
    }
    done += 1;
    result.files.push({ classId, className, file, sha256: printed.sha256, pages: printed.pages, sheets: printed.sheets });
    request.onProgress?.({ done, total: classes.length, className, file, pages: printed.pages, sheets: printed.sheets });
  }
  return result;
}
