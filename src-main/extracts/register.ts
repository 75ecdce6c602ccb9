import { localDate } from '../../src-shared/rules/dates';
import { printedStudentLabels } from '../printing/model';
import { classesOfYear, readClassJournal, readSchool, type ClassInfo } from '../printing/repository';
import { appendAudit } from '../audit/chain';
import { auditOfPrint, ReservedPrint, type PrintRecord } from '../printing/print-log';
import type { Db, Store, Tx } from '../store/database';
import { studentsWithParent } from '../students/parents';
import type { PrintedPaper } from './documents';

// The register of returned strips (002 App.2 §15, §21): each printed extract, per student,
// and whether the parent's signed strip came back.

export async function recordExtractStudents(
  tx: Db,
  entry: { logId: number; classId: number; studentIds: readonly number[]; from: string; to: string; at: string; userId: number | null },
): Promise<void> {
  const rows = entry.studentIds.map((studentId) => ({
    print_log_id: entry.logId,
    class_id: entry.classId,
    student_id: studentId,
    from_date: entry.from,
    to_date: entry.to,
    printed_at: entry.at,
    printed_by: entry.userId,
    acknowledged_on: null,
    acknowledged_at: null,
    acknowledged_by: null,
  }));
  for (let i = 0; i < rows.length; i += 200) await tx.insertInto('extract_print').values(rows.slice(i, i + 200)).execute();
}

/** The school-local day of the class's latest extract; null when none was printed. */
export async function lastExtractOn(db: Db, classId: number, timeZone: string): Promise<string | null> {
  const row = await db.selectFrom('extract_print').select((eb) => eb.fn.max('printed_at').as('at')).where('class_id', '=', classId).executeTakeFirst();
  return row?.at ? localDate(new Date(row.at), timeZone) : null;
}

export async function classRegister(db: Db, schoolClass: ClassInfo, limit: number) {
  const school = await readSchool(db);
  const range = { from: schoolClass.year.startsOn, to: schoolClass.year.endsOn };
  const data = await readClassJournal(db, school, schoolClass, range, [], 'finals');
  const labels = printedStudentLabels(data.students, range.from, range.to);
  const order = new Map(data.students.map((s, i) => [s.id, i]));
  const label = (studentId: number) => labels.get(studentId) ?? '—';

  const logs = await db
    .selectFrom('extract_print')
    .select('print_log_id')
    .where('class_id', '=', schoolClass.id)
    .groupBy('print_log_id')
    .orderBy('print_log_id', 'desc')
    .limit(limit)
    .execute();
  const logIds = logs.map((l) => l.print_log_id);
  const rows =
    logIds.length === 0
      ? []
      : await db
          .selectFrom('extract_print as e')
          .leftJoin('app_user as u', 'u.id', 'e.printed_by')
          .select(['e.id', 'e.print_log_id', 'e.student_id', 'e.from_date', 'e.to_date', 'e.printed_at', 'e.acknowledged_on', 'u.full_name'])
          .where('e.print_log_id', 'in', logIds)
          .execute();
  const byLog = new Map<number, typeof rows>();
  for (const row of rows) {
    let list = byLog.get(row.print_log_id);
    if (!list) byLog.set(row.print_log_id, (list = []));
    list.push(row);
  }
  const extracts = logIds.map((logId) => {
    const list = (byLog.get(logId) ?? []).sort((a, b) => (order.get(a.student_id) ?? 0) - (order.get(b.student_id) ?? 0));
    const first = list[0]!;
    return {
      logId,
      from: first.from_date,
      to: first.to_date,
      printedAt: first.printed_at,
      printedBy: first.full_name,
      students: list.map((r) => ({ extractPrintId: r.id, studentId: r.student_id, label: label(r.student_id), acknowledgedOn: r.acknowledged_on })),
    };
  });

  // Each student's latest extract: whose strip of it has not come back.
  const latest = await db
    .selectFrom('extract_print')
    .select(['id', 'student_id', 'from_date', 'to_date', 'acknowledged_on'])
    .where('class_id', '=', schoolClass.id)
    .where('id', 'in', (eb) => eb.selectFrom('extract_print').select((e) => e.fn.max('id').as('id')).where('class_id', '=', schoolClass.id).groupBy('student_id'))
    .execute();
  const current = new Set(data.students.filter((s) => s.departedOn === null).map((s) => s.id));
  const waiting = latest.filter((r) => r.acknowledged_on === null && current.has(r.student_id));
  // With no parent recorded, the class teacher hands the report over herself: the list says so.
  const withParent = await studentsWithParent(db, waiting.map((r) => r.student_id));
  const unacknowledged = waiting
    .sort((a, b) => (order.get(a.student_id) ?? 0) - (order.get(b.student_id) ?? 0))
    .map((r) => ({ studentId: r.student_id, label: label(r.student_id), from: r.from_date, to: r.to_date, extractPrintId: r.id, noParent: !withParent.has(r.student_id) }));
  return { className: schoolClass.name, extracts, unacknowledged };
}

/** The deputy's view: per class of the year, strips printed and returned. */
export async function acknowledgedShare(db: Db, yearId: number, timeZone: string) {
  const classes = await classesOfYear(db, yearId);
  const counts = await db
    .selectFrom('extract_print as e')
    .innerJoin('school_class as c', 'c.id', 'e.class_id')
    .select((eb) => ['e.class_id', eb.fn.countAll<number>().as('printed'), eb.fn.count<number>('e.acknowledged_on').as('acknowledged'), eb.fn.max('e.printed_at').as('last')])
    .where('c.year_id', '=', yearId)
    .groupBy('e.class_id')
    .execute();
  const byClass = new Map(counts.map((c) => [c.class_id, c]));
  return classes.map((c) => {
    const row = byClass.get(c.id);
    const printed = Number(row?.printed ?? 0);
    const acknowledged = Number(row?.acknowledged ?? 0);
    return {
      classId: c.id,
      className: c.name,
      printed,
      acknowledged,
      share: printed === 0 ? null : acknowledged / printed,
      lastPrintedOn: row?.last ? localDate(new Date(row.last), timeZone) : null,
    };
  });
}

/**
 * The print-log row of a parents' paper with its audit record and, for an extract, one
 * register row per student with the range — all in one transaction, once the PDF is whole.
 */
export async function logPaper(
  store: Store,
  printed: PrintedPaper,
  entry: { at: string; userId: number | null; source: 'app' | 'cli'; document: 'student_extract' | 'results_letter'; options: Record<string, unknown>; range: { from: string; to: string } | null; periodId: number | null; fileName?: string },
  audit?: (tx: Tx, record: PrintRecord, id: number) => Promise<void>,
): Promise<number> {
  const reserved = new ReservedPrint(store, {
    at: entry.at,
    userId: entry.userId,
    source: entry.source,
    document: entry.document,
    classId: printed.schoolClass.id,
    yearId: printed.schoolClass.year.id,
    periodId: entry.periodId,
    title: printed.title,
    options: entry.options,
    fileName: entry.fileName ?? printed.fileName,
  });
  try {
    return await reserved.complete({ sha256: printed.sha256, pages: printed.pages, sheets: printed.sheets, preliminary: false, historyAt: null }, async (tx, full, id) => {
      if (entry.range) await recordExtractStudents(tx, { logId: id, classId: printed.schoolClass.id, studentIds: printed.students.map((s) => s.id), ...entry.range, at: entry.at, userId: entry.userId });
      if (audit) await audit(tx, full, id);
      else await appendAudit(tx, store, { at: entry.at, userId: entry.userId, ...auditOfPrint(full, id) });
    });
  } catch (error) {
    await reserved.abandon();
    throw error;
  }
}
