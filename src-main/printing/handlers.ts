import type { PrintSettings } from '../../src-shared/contract/printing';
import type { Role } from '../../src-shared/roles';
import type { Caller, HandlerContext } from '../core/context';
import { forbidden } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import type { Db } from '../store/database';
import { printClassJournal, type PrintedDocument } from './class-journal';
import { auditOfPrint, listPrints, ReservedPrint, type PrintRecord } from './print-log';
import { loadsOfSubjectInClass, loadsOfTeacherInClass, PRINT_SETTINGS_KEY as SETTINGS_KEY, readClass, readPrintSettings, type ClassInfo } from './repository';
import type { JobRunner } from '../jobs/runner';
import { startSchoolPrint } from './school-job';
import { printYearSummary } from './summary';


/** Roles that may print any page of any class (D-1 … D-3). */
const PRINTS_EVERYTHING: readonly Role[] = ['director', 'deputy', 'administrator'];

export function printsEverything(caller: Caller): boolean {
  return caller.roles.some((role) => PRINTS_EVERYTHING.includes(role));
}

export { readPrintSettings };

async function writePrintSettings(db: Db, settings: PrintSettings): Promise<void> {
  const value = JSON.stringify(settings);
  const updated = await db.updateTable('school_setting').set({ value }).where('key', '=', SETTINGS_KEY).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('school_setting').values({ key: SETTINGS_KEY, value }).execute();
}

/**
 * Row-level rule for the class journal: the administration and the class teacher print the
 * whole class (or one subject of it); a subject teacher only their own subject's pages.
 * Returns the teaching assignments to print, or undefined for all of them.
 */
async function journalScope(db: Db, caller: Caller, schoolClass: ClassInfo, subjectId: number | undefined): Promise<number[] | undefined> {
  const wholeClass = printsEverything(caller) || schoolClass.classTeacherId === caller.userId;
  if (wholeClass) {
    return subjectId === undefined ? undefined : (await loadsOfSubjectInClass(db, schoolClass.id, subjectId)).map((l) => l.id);
  }
  if (!caller.roles.includes('teacher')) throw forbidden();
  const own = await loadsOfTeacherInClass(db, schoolClass.id, caller.userId);
  if (own.length === 0) throw forbidden(`Вы не ведёте уроков в ${schoolClass.name} классе: распечатать его журнал может классный руководитель или администрация.`);
  if (subjectId === undefined) throw forbidden(`Учитель-предметник печатает только страницы своего предмета: выберите предмет ${schoolClass.name} класса.`);
  const mine = own.filter((l) => l.subjectId === subjectId).map((l) => l.id);
  if (mine.length === 0) throw forbidden('Этот предмет ведёт другой учитель: распечатать можно только страницы своего предмета.');
  return mine;
}

/**
 * One print from the app: its print-log row is reserved while printing (the certification
 * names it) and completed with the file's SHA-256 and the audit record; a failed or refused
 * print leaves no row.
 */
async function printAndLog(
  ctx: HandlerContext,
  record: Omit<PrintRecord, 'at' | 'userId' | 'source' | 'sha256' | 'pages' | 'sheets' | 'title' | 'fileName'>,
  print: (logNumber: () => Promise<number>) => Promise<PrintedDocument>,
) {
  const reserved = new ReservedPrint(ctx.store, { ...record, at: ctx.now().toISOString(), userId: ctx.requireCaller().userId, source: 'app', title: '', fileName: null });
  let printed: PrintedDocument;
  try {
    printed = await print(reserved.number);
  } catch (error) {
    await reserved.abandon();
    throw error;
  }
  const logId = await reserved.complete(
    { sha256: printed.sha256, pages: printed.pages, sheets: printed.sheets, title: printed.title, fileName: printed.fileName, preliminary: printed.preliminary, historyAt: printed.historyAt },
    async (tx, full, id) => {
      await ctx.audit(tx, auditOfPrint(full, id));
    },
  );
  return { printed, logId };
}

/** What every print from the app answers: the PDF itself and its number in the print log. */
export function printedFileAnswer(printed: { bytes: Buffer | null; sha256: string; pages: number; sheets: number; title: string; fileName: string }, logId: number) {
  return {
    pdfBase64: printed.bytes!.toString('base64'),
    sha256: printed.sha256,
    pages: printed.pages,
    sheets: printed.sheets,
    title: printed.title,
    fileName: printed.fileName,
    logId,
  };
}

function answer(printed: PrintedDocument, logId: number) {
  return {
    ...printedFileAnswer(printed, logId),
    preliminary: printed.preliminary,
    missing: printed.missing,
    fingerprint: printed.fingerprint,
  };
}

/** The whole school is printed by the administration, as the school's summary sheet is. */
function requireWholeSchool(caller: Caller): void {
  if (!printsEverything(caller)) throw forbidden('Журналы всей школы печатает администрация: директор, заместитель директора или администратор.');
}

export const printingHandlers = (jobs: JobRunner) =>
  defineHandlers({
    'print.classJournal': async (input, ctx) => {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const schoolClass = await readClass(db, input.classId);
      const loadIds = await journalScope(db, caller, schoolClass, input.subjectId);
      const settings = await readPrintSettings(db);
      // A subject teacher's own pages: namesakes apart without their birth dates (152-ФЗ).
      const birthDates = printsEverything(caller) || schoolClass.classTeacherId === caller.userId;
      const options = { duplex: input.duplex ?? settings.duplex, bindingMarginMm: input.bindingMarginMm ?? settings.bindingMarginMm, loadIds, birthDates };
      const { printed, logId } = await printAndLog(
        ctx,
        {
          document: 'class_journal',
          classId: schoolClass.id,
          yearId: schoolClass.year.id,
          periodId: input.period === 'year' ? null : input.period,
          options: { duplex: options.duplex, bindingMarginMm: options.bindingMarginMm, ...(input.subjectId ? { subjectId: input.subjectId } : {}) },
        },
        (logNumber) =>
          printClassJournal(ctx.store, { classId: input.classId, period: input.period === 'year' ? 'year' : { id: input.period }, options, now: ctx.now(), final: input.final, logNumber }),
      );
      return answer(printed, logId);
    },

    'print.summary': async (input, ctx) => {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      if (input.scope === 'class') {
        const schoolClass = await readClass(db, input.classId);
        if (!printsEverything(caller) && schoolClass.classTeacherId !== caller.userId) {
          throw forbidden('Сводную ведомость класса печатает классный руководитель или администрация.');
        }
      } else if (!printsEverything(caller)) {
        throw forbidden('Сводную ведомость всей школы печатает администрация.');
      }
      const settings = await readPrintSettings(db);
      const yearId = input.scope === 'class' ? (await readClass(db, input.classId)).year.id : input.yearId;
      const { printed, logId } = await printAndLog(
        ctx,
        {
          document: input.scope === 'class' ? 'class_summary' : 'school_summary',
          classId: input.scope === 'class' ? input.classId : null,
          yearId,
          periodId: null,
          options: { bindingMarginMm: settings.bindingMarginMm },
        },
        (logNumber) =>
          printYearSummary(ctx.store, {
            scope: input.scope === 'class' ? { classId: input.classId } : { yearId: input.yearId },
            bindingMarginMm: settings.bindingMarginMm,
            now: ctx.now(),
            final: input.final,
            logNumber,
          }),
      );
      return answer(printed, logId);
    },

    'print.schoolJob.start': async (input, ctx) => {
      const caller = ctx.requireCaller();
      requireWholeSchool(caller);
      const settings = await readPrintSettings(ctx.store.db);
      return startSchoolPrint(jobs, { store: ctx.store, now: ctx.now }, {
        startedBy: { userId: caller.userId, fullName: caller.fullName },
        yearId: input.yearId,
        period: input.period,
        folder: input.folder,
        options: { duplex: input.duplex ?? settings.duplex, bindingMarginMm: input.bindingMarginMm ?? settings.bindingMarginMm },
      });
    },

    'print.log': async (input, ctx) => {
      const caller = ctx.requireCaller();
      // The administration sees every print; anyone else their own.
      return listPrints(ctx.store.db, { limit: input.limit, sha256: input.sha256, userId: printsEverything(caller) ? undefined : caller.userId });
    },

    'print.settings': async (_input, ctx) => readPrintSettings(ctx.store.db),

    'print.saveSettings': async (input, ctx) => {
      const before = await readPrintSettings(ctx.store.db);
      await ctx.transaction(async (tx) => {
        await writePrintSettings(tx, input);
        await ctx.audit(tx, { action: 'print.settings', entity: 'school_setting', entityId: SETTINGS_KEY, before, after: input });
      });
      return input;
    },
  });
