import { addDays, daysBetween, localDate } from '../../src-shared/rules/dates';
import { classesLedBy } from '../accounts/class-teacher';
import type { Caller, HandlerContext } from '../core/context';
import { forbidden, invalid, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import { printedFileAnswer, printsEverything, readPrintSettings } from '../printing/handlers';
import { auditOfPrint } from '../printing/print-log';
import { currentYear, readClass, readClassJournal, readSchool, type ClassInfo } from '../printing/repository';
import { printedStudentLabels } from '../printing/model';
import type { JobRunner } from '../jobs/runner';
import type { Db } from '../store/database';
import { startSchoolExtracts } from './school-job';
import { printResultsLetters, printStudentReports, type PrintedPaper } from './documents';
import { acknowledgedShare, classRegister, lastExtractOn, logPaper } from './register';

/** Extracts older than this are overdue (003 App.2 §2: «не реже одного раза в две недели»). */
export const EXTRACT_INTERVAL_DAYS = 14;

/** The class teacher of the class, or the administration (D-1 … D-3, D-5). */
function requireClassOrAdministration(caller: Caller, schoolClass: ClassInfo): void {
  if (printsEverything(caller) || schoolClass.classTeacherId === caller.userId) return;
  throw forbidden(`Выписки и отчёты для родителей ${schoolClass.name} класса печатает и отмечает классный руководитель или администрация.`);
}

function answer(printed: PrintedPaper, logId: number) {
  return {
    ...printedFileAnswer(printed, logId),
    students: printed.students.length,
  };
}

function logFromApp(ctx: HandlerContext, document: 'student_extract' | 'results_letter', printed: PrintedPaper, options: Record<string, unknown>, range: { from: string; to: string } | null, periodId: number | null) {
  return logPaper(ctx.store, printed, { at: ctx.now().toISOString(), userId: ctx.requireCaller().userId, source: 'app', document, options, range, periodId }, async (tx, full, id) => {
    await ctx.audit(tx, auditOfPrint(full, id));
  });
}

async function classesInScope(db: Db, caller: Caller, today: string): Promise<ClassInfo[]> {
  const led = await classesLedBy(db, caller.userId);
  const classes = await Promise.all(led.map((c) => readClass(db, c.id)));
  // A class of a year that has not begun (set up ahead) waits for its year.
  return classes.filter((c) => c.year.startsOn <= today);
}

export const extractHandlers = (jobs: JobRunner) =>
  defineHandlers({
    'extracts.print': async (input, ctx) => {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const schoolClass = await readClass(db, input.classId);
      requireClassOrAdministration(caller, schoolClass);
      const school = await readSchool(db);
      const today = localDate(ctx.now(), school.timeZone);
      if (input.to > today) throw invalid('Отчёт составляется по уже прошедшим дням: конец периода не может быть позже сегодняшнего дня.');
      const duplex = input.duplex ?? (await readPrintSettings(db)).duplex;
      const printed = await printStudentReports(db, { classId: input.classId, from: input.from, to: input.to, studentIds: input.studentIds, duplex, now: ctx.now() });
      const logId = await logFromApp(ctx, 'student_extract', printed, { duplex, from: input.from, to: input.to, students: printed.students.length }, { from: input.from, to: input.to }, null);
      return answer(printed, logId);
    },

    'extracts.resultsLetters': async (input, ctx) => {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const schoolClass = await readClass(db, input.classId);
      requireClassOrAdministration(caller, schoolClass);
      const duplex = input.duplex ?? (await readPrintSettings(db)).duplex;
      const printed = await printResultsLetters(db, { classId: input.classId, period: input.period === 'year' ? 'year' : { id: input.period }, studentIds: input.studentIds, duplex, now: ctx.now() });
      const logId = await logFromApp(ctx, 'results_letter', printed, { duplex, students: printed.students.length }, null, input.period === 'year' ? null : input.period);
      return answer(printed, logId);
    },

    'extracts.schoolJob.start': async (input, ctx) => {
      const caller = ctx.requireCaller();
      if (!printsEverything(caller)) throw forbidden('Отчёты для родителей всей школы печатает администрация.');
      const db = ctx.store.db;
      const school = await readSchool(db);
      if (input.to > localDate(ctx.now(), school.timeZone)) throw invalid('Отчёт составляется по уже прошедшим дням: конец периода не может быть позже сегодняшнего дня.');
      const duplex = input.duplex ?? (await readPrintSettings(db)).duplex;
      return startSchoolExtracts(jobs, { store: ctx.store, now: ctx.now }, { startedBy: { userId: caller.userId, fullName: caller.fullName }, yearId: input.yearId, from: input.from, to: input.to, folder: input.folder, duplex });
    },

    'extracts.register': async (input, ctx) => {
      const caller = ctx.requireCaller();
      const schoolClass = await readClass(ctx.store.db, input.classId);
      requireClassOrAdministration(caller, schoolClass);
      return classRegister(ctx.store.db, schoolClass, input.limit);
    },

    'extracts.acknowledge': async (input, ctx) => {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const row = await db.selectFrom('extract_print').selectAll().where('id', '=', input.extractPrintId).executeTakeFirst();
      if (!row) throw notFound('Такой выписки нет в журнале печати.');
      const schoolClass = await readClass(db, row.class_id);
      requireClassOrAdministration(caller, schoolClass);
      const school = await readSchool(db);
      const today = localDate(ctx.now(), school.timeZone);
      const printedOn = localDate(new Date(row.printed_at), school.timeZone);
      if (input.acknowledgedOn !== null && (input.acknowledgedOn < printedOn || input.acknowledgedOn > today)) {
        throw invalid(`Дата на талоне должна быть не раньше дня печати выписки и не позже сегодняшнего дня.`);
      }
      if (row.acknowledged_on === input.acknowledgedOn) return { extractPrintId: row.id, acknowledgedOn: row.acknowledged_on };
      await ctx.transaction(async (tx) => {
        await tx
          .updateTable('extract_print')
          .set({ acknowledged_on: input.acknowledgedOn, acknowledged_at: input.acknowledgedOn === null ? null : ctx.now().toISOString(), acknowledged_by: input.acknowledgedOn === null ? null : caller.userId })
          .where('id', '=', row.id)
          .execute();
        await ctx.audit(tx, {
          action: input.acknowledgedOn === null ? 'extracts.unacknowledge' : 'extracts.acknowledge',
          entity: 'extract_print',
          entityId: row.id,
          before: { acknowledgedOn: row.acknowledged_on },
          after: { acknowledgedOn: input.acknowledgedOn, studentId: row.student_id, from: row.from_date, to: row.to_date },
        });
      });
      return { extractPrintId: row.id, acknowledgedOn: input.acknowledgedOn };
    },

    'extracts.home': async (_input, ctx) => {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const school = await readSchool(db);
      const today = localDate(ctx.now(), school.timeZone);
      const classes = await classesInScope(db, caller, today);
      const out = [];
      for (const schoolClass of classes) {
        const last = await lastExtractOn(db, schoolClass.id, school.timeZone);
        const register = await classRegister(db, schoolClass, 10);
        const to = today < schoolClass.year.endsOn ? today : schoolClass.year.endsOn;
        const from = addDays(to, -(EXTRACT_INTERVAL_DAYS - 1));
        out.push({
          classId: schoolClass.id,
          className: schoolClass.name,
          lastPrintedOn: last,
          overdue: today <= schoolClass.year.endsOn && (last === null || daysBetween(last, today) > EXTRACT_INTERVAL_DAYS),
          unacknowledged: register.unacknowledged.length,
          suggestedFrom: from < schoolClass.year.startsOn ? schoolClass.year.startsOn : from,
          suggestedTo: to,
        });
      }
      return out;
    },

    'extracts.overview': async (input, ctx) => {
      const db = ctx.store.db;
      const school = await readSchool(db);
      const year = input.yearId ?? (await currentYear(db, localDate(ctx.now(), school.timeZone)))?.id;
      if (year === undefined) return [];
      return acknowledgedShare(db, year, school.timeZone);
    },

    'extracts.council.list': async (input, ctx) => {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const schoolClass = await readClass(db, input.classId);
      requireClassOrAdministration(caller, schoolClass);
      const school = await readSchool(db);
      const range = { from: schoolClass.year.startsOn, to: schoolClass.year.endsOn };
      const data = await readClassJournal(db, school, schoolClass, range, [], 'finals');
      const labels = printedStudentLabels(data.students, range.from, range.to);
      const rows = await db.selectFrom('council_decision').selectAll().where('year_id', '=', schoolClass.year.id).where('class_id', '=', schoolClass.id).execute();
      const byStudent = new Map(rows.map((r) => [r.student_id, r]));
      return data.students.map((s) => {
        const row = byStudent.get(s.id);
        return {
          studentId: s.id,
          label: labels.get(s.id)!,
          decision: (row?.decision ?? null) as 'promoted' | 'promotedConditionally' | 'retained' | 'graduated' | null,
          protocolDate: row?.protocol_date ?? null,
          protocolNumber: row?.protocol_number ?? null,
        };
      });
    },

    'extracts.council.save': async (input, ctx) => {
      const db = ctx.store.db;
      const schoolClass = await readClass(db, input.classId);
      const school = await readSchool(db);
      const today = localDate(ctx.now(), school.timeZone);
      if (input.protocolDate > today) throw invalid('Дата протокола педагогического совета не может быть позже сегодняшнего дня.');
      if (input.protocolDate < schoolClass.year.startsOn) throw invalid(`Дата протокола — до начала ${schoolClass.year.name} учебного года.`);
      const ids = input.decisions.map((d) => d.studentId);
      if (new Set(ids).size !== ids.length) throw invalid('Ученик указан в списке дважды.');
      const enrolled = await db
        .selectFrom('enrollment')
        .select('student_id')
        .where('class_id', '=', schoolClass.id)
        .where('student_id', 'in', ids)
        .execute();
      const inClass = new Set(enrolled.map((e) => e.student_id));
      if (ids.some((studentId) => !inClass.has(studentId))) throw invalid(`Не все ученики из списка учились в ${schoolClass.name} классе.`);
      if (schoolClass.grade < 9 && input.decisions.some((d) => d.decision === 'graduated')) {
        throw invalid(`Выпуск из школы возможен после 9 или 11 класса, а не из ${schoolClass.name} класса.`);
      }
      let saved = 0;
      let removed = 0;
      const at = ctx.now().toISOString();
      await ctx.transaction(async (tx) => {
        const before = await tx.selectFrom('council_decision').selectAll().where('year_id', '=', schoolClass.year.id).where('student_id', 'in', ids).execute();
        const known = new Map(before.map((r) => [r.student_id, r]));
        for (const item of input.decisions) {
          const old = known.get(item.studentId);
          if (item.decision === null) {
            if (!old) continue;
            await tx.deleteFrom('council_decision').where('id', '=', old.id).execute();
            removed += 1;
          } else if (old) {
            if (old.decision === item.decision && old.protocol_date === input.protocolDate && old.protocol_number === input.protocolNumber && old.class_id === schoolClass.id) continue;
            await tx
              .updateTable('council_decision')
              .set({ decision: item.decision, protocol_date: input.protocolDate, protocol_number: input.protocolNumber, class_id: schoolClass.id, updated_at: at, updated_by: ctx.requireCaller().userId })
              .where('id', '=', old.id)
              .execute();
            saved += 1;
          } else {
            await tx
              .insertInto('council_decision')
              .values({ student_id: item.studentId, year_id: schoolClass.year.id, class_id: schoolClass.id, decision: item.decision, protocol_date: input.protocolDate, protocol_number: input.protocolNumber, updated_at: at, updated_by: ctx.requireCaller().userId })
              .execute();
            saved += 1;
          }
        }
        if (saved + removed > 0) {
          await ctx.audit(tx, {
            action: 'extracts.council',
            entity: 'school_class',
            entityId: schoolClass.id,
            before: before.map((r) => ({ studentId: r.student_id, decision: r.decision, protocolDate: r.protocol_date, protocolNumber: r.protocol_number })),
            after: { protocolDate: input.protocolDate, protocolNumber: input.protocolNumber, decisions: input.decisions },
          });
        }
      });
      return { saved, removed };
    },
  });
