import { headsFingerprint, readHeadsAt } from '../audit/anchors';
import { appendAudit } from '../audit/chain';
import type { Db, Store, Tx } from '../store/database';

export type PrintedKind = 'class_journal' | 'class_summary' | 'school_summary' | 'student_extract' | 'results_letter';

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
export async function insertPrintLog(tx: Db, record: PrintRecord): Promise<number> {
  const inserted = await tx
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
 * audit record in one transaction (docs/architecture.md principle 5).
 */
export async function recordPrint(store: Store, record: PrintRecord): Promise<number> {
  return store.db.transaction().execute(async (tx) => {
    const id = await insertPrintLog(tx, record);
    await appendAudit(tx, store, { at: record.at, userId: record.userId, ...auditOfPrint(record, id) });
    return id;
  });
}

/**
 * A print whose certification names its print-log number: the row is made before the
 * certification page is drawn (its number printed there) and completed with the file's
 * SHA-256 and counts, together with the audit record, once the file is whole. A print that
 * fails on the way leaves no row behind.
 */
export class ReservedPrint {
  private id: number | null = null;
  private completed = false;

  constructor(
    private readonly store: Store,
    private readonly record: Omit<PrintRecord, 'sha256' | 'pages' | 'sheets'>,
  ) {}

  /** For the printer: reserves the row (once) and returns its number. */
  readonly number = async (): Promise<number> => {
    if (this.id === null) {
      this.id = await insertPrintLog(this.store.db, { ...this.record, sha256: '', pages: 0, sheets: 0 });
    }
    return this.id;
  };

  /** Completes the row and writes the audit record, in one transaction; returns the row's number. */
  async complete(
    result: Pick<PrintRecord, 'sha256' | 'pages' | 'sheets'> & Partial<Pick<PrintRecord, 'title' | 'fileName'>> & { preliminary: boolean; historyAt: string | null },
    audit?: (tx: Tx, record: PrintRecord, id: number) => Promise<void>,
  ): Promise<number> {
    // Whether the copy is preliminary is known only once it is drawn; the log keeps it, so a
    // period counts as printed for the archive only by a final copy.
    // The moment of the history's fingerprint on the certification page is kept too, so the
    // print log can recompute it for comparison with the paper.
    const { preliminary, historyAt, ...counts } = result;
    const full: PrintRecord = { ...this.record, ...counts, options: { ...this.record.options, preliminary, ...(historyAt === null ? {} : { historyAt }) } };
    const id = await this.number();
    await this.store.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('print_log')
        .set({ sha256: full.sha256, pages: full.pages, sheets: full.sheets, title: full.title, file_name: full.fileName, options: JSON.stringify(full.options) })
        .where('id', '=', id)
        .execute();
      if (audit) await audit(tx, full, id);
      else await appendAudit(tx, this.store.engine, { at: full.at, userId: full.userId, ...auditOfPrint(full, id) });
    });
    this.completed = true;
    return id;
  }

  /** The print failed: its reserved row goes (a completed one stays, as its audit record does). */
  async abandon(): Promise<void> {
    if (this.id === null || this.completed) return;
    await this.store.db.deleteFrom('print_log').where('id', '=', this.id).execute();
    this.id = null;
  }
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
  /** The history's fingerprint at the moment printed on the certification, recomputed now. */
  historyNow: string | null;
}

export async function listPrints(db: Db, filter: { userId?: number; sha256?: string; limit: number }): Promise<PrintLogEntry[]> {
  let query = db
    .selectFrom('print_log')
    .selectAll()
    // A reserved row (a print under way) has no SHA-256 yet.
    .where('sha256', '!=', '')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
  if (filter.sha256 !== undefined) query = query.where('sha256', '=', filter.sha256);
  const rows = await query.execute();
  const userIds = [...new Set(rows.map((r) => r.user_id).filter((id): id is number => id !== null))];
  const names = new Map(
    userIds.length === 0 ? [] : (await db.selectFrom('app_user').select(['id', 'full_name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.full_name]),
  );
  const recomputed = new Map<string, string>();
  for (const r of rows) {
    const at = (JSON.parse(r.options) as { historyAt?: unknown }).historyAt;
    if (typeof at === 'string' && !recomputed.has(at)) recomputed.set(at, headsFingerprint(await readHeadsAt(db, at)));
  }
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
    historyNow: recomputed.get((JSON.parse(r.options) as { historyAt?: string }).historyAt ?? '') ?? null,
  }));
}
