import { writeFile } from 'node:fs/promises';
import type { JobStatus } from '../../src-shared/contract/jobs';
import type { JobRunner } from '../jobs/runner';
import { russianDate } from '../printing/model';
import { placeFile, startClassFolderJob } from '../printing/folder-job';
import { classesOfYear } from '../printing/repository';
import { plural } from '../../src-shared/rules/plural';
import type { Store } from '../store/database';
import { printStudentReports } from './documents';
import { logPaper } from './register';

// The whole school's extracts for parents, one PDF per class into a folder, as a job of the
// one jobs runner (progress per class, «Остановить» after the class in hand). Each class is
// logged like a print from the app: the print log and one register row per student.

export const SCHOOL_EXTRACTS_KIND = 'extracts.school';

export interface SchoolExtractsRequest {
  yearId: number;
  from: string;
  to: string;
  folder: string;
  duplex: boolean;
  /** Null: not logged (the bench). */
  record: { userId: number; now(): Date } | null;
  signal?: AbortSignal;
  onClassStart?(className: string, total: number): void;
  onClassDone?(unit: { className: string; fileName: string | null; sha256: string | null; pages: number; skipped: string | null }): void;
}

/** Prints every class of the year with students in the range; returns the files written. */
export async function printSchoolExtracts(store: Store, request: SchoolExtractsRequest): Promise<{ files: number; pages: number; cancelled: boolean }> {
  const classes = await classesOfYear(store.db, request.yearId);
  let files = 0;
  let pages = 0;
  for (const schoolClass of classes) {
    if (request.signal?.aborted) return { files, pages, cancelled: true };
    request.onClassStart?.(schoolClass.name, classes.length);
    const hasStudents = await store.db
      .selectFrom('enrollment')
      .select('id')
      .where('class_id', '=', schoolClass.id)
      .where('arrived_on', '<=', request.to)
      .where((eb) => eb.or([eb('departed_on', 'is', null), eb('departed_on', '>=', request.from)]))
      .executeTakeFirst();
    if (!hasStudents) {
      request.onClassDone?.({ className: schoolClass.name, fileName: null, sha256: null, pages: 0, skipped: 'в эти дни в классе не было учеников' });
      continue;
    }
    const now = request.record?.now() ?? new Date();
    const printed = await printStudentReports(store.db, { classId: schoolClass.id, from: request.from, to: request.to, duplex: request.duplex, now });
    const fileName = `Отчёты ${schoolClass.name} ${russianDate(request.from)}-${russianDate(request.to)}.pdf`;
    await placeFile(request.folder, `${fileName}.part`, {
      write: (partial) => writeFile(partial, printed.bytes!),
      record: async () => {
        if (request.record) {
          await logPaper(store, printed, {
            at: now.toISOString(),
            userId: request.record.userId,
            source: 'app',
            document: 'student_extract',
            options: { duplex: request.duplex, from: request.from, to: request.to, students: printed.students.length, wholeSchool: true },
            range: { from: request.from, to: request.to },
            periodId: null,
            fileName,
          });
        }
        return fileName;
      },
    });
    files += 1;
    pages += printed.pages;
    request.onClassDone?.({ className: schoolClass.name, fileName, sha256: printed.sha256, pages: printed.pages, skipped: null });
  }
  return { files, pages, cancelled: false };
}

function busyMessage(holder: JobStatus): string {
  return `Отчёты для родителей всей школы уже печатаются (начал(а) ${holder.startedBy}; готово ${holder.done} из ${holder.total}). Дождитесь окончания или остановите печать.`;
}

export function startSchoolExtracts(
  jobs: JobRunner,
  deps: { store: Store; now(): Date },
  request: { startedBy: { userId: number; fullName: string }; yearId: number; from: string; to: string; folder: string; duplex: boolean },
): Promise<JobStatus> {
  return startClassFolderJob(jobs, deps.store, {
    kind: SCHOOL_EXTRACTS_KIND,
    title: `Отчёты для родителей всей школы с ${russianDate(request.from)} по ${russianDate(request.to)}`,
    busy: busyMessage,
    startedBy: request.startedBy,
    yearId: request.yearId,
    folder: request.folder,
    run: async (job, classStart) => {
      const result = await printSchoolExtracts(deps.store, {
        ...request,
        record: { userId: request.startedBy.userId, now: deps.now },
        signal: job.signal,
        onClassStart: classStart,
        onClassDone: (unit) =>
          job.unitDone({
            label: unit.className,
            status: unit.skipped ? 'skipped' : 'ok',
            message: unit.skipped,
            fileName: unit.fileName,
            sha256: unit.sha256,
            summary: unit.fileName ? `${unit.pages} ${plural(unit.pages, 'страница', 'страницы', 'страниц')}` : null,
          }),
      });
      return { written: result.files, cancelled: result.cancelled };
    },
  });
}
