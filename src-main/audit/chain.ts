import { createHash } from 'node:crypto';

import type { Db, Engine, Tx } from '../store/database';

export interface AuditEntry {
  at: string;
  userId: number | null;
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export const GENESIS_HASH = '0'.repeat(64);

interface ChainedFields {
  id: number;
  at: string;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  prev_hash: string;
}

export function hashRecord(record: ChainedFields): string {
  // A fixed field order: the hash must not depend on how an engine returns a row.
  const canonical = JSON.stringify([
    record.id,
    record.at,
    record.user_id,
    record.action,
    record.entity,
    record.entity_id,
    record.before_json,
    record.after_json,
    record.reason,
    record.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

const toJson = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * Appends one record to the chain inside the caller's transaction, so the record and the
 * change it describes commit together or not at all. On PostgreSQL the head row is locked
 * FOR UPDATE: concurrent writers take their turn and the chain never forks.
 */
export async function appendAudit(tx: Tx, engine: Engine, entry: AuditEntry): Promise<number> {
  const headQuery = tx.selectFrom('audit_head').select(['last_id', 'last_hash']).where('id', '=', 1);
  const head = await (engine === 'postgres' ? headQuery.forUpdate() : headQuery).executeTakeFirstOrThrow();
  const record: ChainedFields = {
    id: head.last_id + 1,
    at: entry.at,
    user_id: entry.userId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before_json: toJson(entry.before),
    after_json: toJson(entry.after),
    reason: entry.reason ?? null,
    prev_hash: head.last_hash,
  };
  const hash = hashRecord(record);
  await tx.insertInto('audit_log').values({ ...record, hash }).execute();
  await tx.updateTable('audit_head').set({ last_id: record.id, last_hash: hash }).where('id', '=', 1).execute();
  return record.id;
}

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  /** The first record (by position) at which the chain breaks, with the reason in Russian. */
  firstBroken?: { id: number; reason: string };
}

const BATCH = 5000;

/** Walks the whole chain: a removed, inserted or altered record breaks it. */
export async function verifyChain(db: Db): Promise<ChainVerdict> {
  let expectedId = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>=', expectedId)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    for (const row of rows) {
      const broken = (reason: string): ChainVerdict => ({ ok: false, checked: expectedId - 1, firstBroken: { id: expectedId, reason } });
      if (row.id !== expectedId) return broken(`запись № ${expectedId} отсутствует (удалена)`);
      if (row.prev_hash !== prevHash) return broken(`запись № ${row.id} не ссылается на предыдущую`);
      if (hashRecord(row) !== row.hash) return broken(`запись № ${row.id} изменена после создания`);
      prevHash = row.hash;
      expectedId += 1;
    }
    if (rows.length < BATCH) break;
  }
  const head = await db.selectFrom('audit_head').select(['last_id', 'last_hash']).where('id', '=', 1).executeTakeFirst();
  const checked = expectedId - 1;
  if (!head || head.last_id !== checked || head.last_hash !== prevHash) {
    return { ok: false, checked, firstBroken: { id: checked + 1, reason: `после записи № ${checked} записи удалены из конца журнала` } };
  }
  return { ok: true, checked };
}

