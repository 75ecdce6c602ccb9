import type { Generated, Kysely } from 'kysely';
import { appendAudit } from '../audit/chain';
import type { Db, Store, Tx } from '../store/database';

/** Migration 0007. */
export interface PrintLogTable {
  id: Generated<number>;
  printed_at: string;
  user_id: number | null;
  source: string;
  document: string;
  class_id: number | null;
  year_id: number | null;
  period_id: number | null;
  title: string;
  options: string;
  sha256: string;
  pages: number;
  sheets: number;
  file_name: string | null;
}

export interface PrintingTables {
  print_log: PrintLogTable;
}

export const printingDb = (db: Db) => db as unknown as Kysely<PrintingTables>;

export type PrintedKind = 'class_journal' | 'class_summary' | 'school_summary';

export interface PrintRecord {
  at: string;
  userId: number | null;
  source: 'app' | 'cli' | 'backup';
  document: PrintedKind;
  classId: number | null;
  yearId: number | null;
  periodId: number | null;
  title: string;
  options: Record<string, unknown>;
  sha256: string;
  pages: number;
  sheets: number;
  fileName: string | null;
}

/** The print-log row of one print, inside the caller's transaction. */
export async function insertPrintLog(tx: Tx, record: PrintRecord): Promise<number> {
  const inserted = await printingDb(tx)
    .insertInto('print_log')
    .values({
      printed_at: record.at,
      user_id: record.userId,
      source: record.source,
      document: record.document,
      class_id: record.classId,
      year_id: record.yearId,
      period_id: record.periodId,
      title: record.title,
      options: JSON.stringify(record.options),
      sha256: record.sha256,
      pages: record.pages,
      sheets: record.sheets,
      file_name: record.fileName,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** What the audit record of a print says. */
export function auditOfPrint(record: PrintRecord, logId: number) {
  return {
    action: `print.${record.document}`,
    entity: 'print_log',
    entityId: logId,
    after: { title: record.title, sha256: record.sha256, pages: record.pages, sheets: record.sheets, source: record.source, options: record.options },
  };
}

/**
 * One print outside a session (the CLI, a whole-school run): the print-log row and the
 * audit record in one transaction (ARCHITECTURE.md principle 5).
 */
export async function recordPrint(store: Store, record: PrintRecord): Promise<number> {
  return store.db.transaction().execute(async (tx) => {
    const id = await insertPrintLog(tx, record);
    await appendAudit(tx, store, { at: record.at, userId: record.userId, ...auditOfPrint(record, id) });
    return id;
  });
}

export interface PrintLogEntry {
  id: number;
  at: string;
  userId: number | null;
  userName: string | null;
  source: string;
  document: string;
  classId: number | null;
  title: string;
  options: Record<string, unknown>;
  sha256: string;
  pages: number;
  sheets: number;
  fileName: string | null;
}

export async function listPrints(db: Db, filter: { userId?: number; sha256?: string; limit: number }): Promise<PrintLogEntry[]> {
  let query = printingDb(db)
    .selectFrom('print_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
  if (filter.sha256 !== undefined) query = query.where('sha256', '=', filter.sha256);
  const rows = await query.execute();
  const userIds = [...new Set(rows.map((r) => r.user_id).filter((id): id is number => id !== null))];
  const names = new Map(
    userIds.length === 0 ? [] : (await db.selectFrom('app_user').select(['id', 'full_name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.full_name]),
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.printed_at,
    userId: r.user_id,
    userName: r.user_id === null ? null : (names.get(r.user_id) ?? null),
    source: r.source,
    document: r.document,
    classId: r.class_id,
    title: r.title,
    options: JSON.parse(r.options) as Record<string, unknown>,
    sha256: r.sha256,
    pages: r.pages,
    sheets: r.sheets,
    fileName: r.file_name,
  }));
}
