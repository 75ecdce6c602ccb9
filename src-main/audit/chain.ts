import { createHash } from 'node:crypto';

import { CompiledQuery } from 'kysely';
import { sql, type Db, type Engine, type Tx } from '../store/database';

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

/** What a record says (its place in a chain aside). */
interface AuditContent {
  at: string;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
}

interface ChainedFields extends AuditContent {
  id: number;
  chain: number;
  prev_id: number;
  prev_hash: string;
  hash_scheme: number;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** What a record says, as JSON in a fixed field order: the hash must not depend on how an engine returns a row. */
function contentOf(record: AuditContent): string {
  return JSON.stringify([record.at, record.user_id, record.action, record.entity, record.entity_id, record.before_json, record.after_json, record.reason]);
}

/**
 * The record's hash. Scheme 2 (since migration 0009): the content's digest, chained with the
 * record's place — its id, chain, predecessor and the predecessor's hash. PostgreSQL computes
 * that last step itself (APPEND_ON_POSTGRES) from the digest this process sends. Scheme 1
 * (records written before): the whole record as one JSON array.
 */
export function hashRecord(record: ChainedFields): string {
  if (record.hash_scheme === 2) return chainedHash(record.id, record.chain, record.prev_id, record.prev_hash, sha256(contentOf(record)));
  if (record.hash_scheme === 1) {
    return sha256(JSON.stringify([record.id, record.at, record.user_id, record.action, record.entity, record.entity_id, record.before_json, record.after_json, record.reason, record.prev_hash]));
  }
  return `неизвестная схема ${record.hash_scheme}`; // matches no stored hash: verify reports the record
}

function chainedHash(id: number, chain: number, prevId: number, prevHash: string, contentDigest: string): string {
  return sha256(`${id}:${chain}:${prevId}:${prevHash}:${contentDigest}`);
}

const toJson = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/**
 * The audit is several hash chains (migration 0008), each with its own head row. On
 * PostgreSQL a write picks one at random and locks only that head, so forty PCs saving at
 * once rarely wait for each other; SQLite has one writer at a time and uses chain 1.
 */
export const AUDIT_CHAINS = 16;
// A transaction keeps the chain it first drew: it then locks one head however many records
// it appends (a pasted column), so two transactions never wait on each other's heads in a circle.
const chainOfTransaction = new WeakMap<Tx, number>();
function chainFor(tx: Tx, engine: Engine): number {
  if (engine !== 'postgres') return 1;
  let chain = chainOfTransaction.get(tx);
  if (chain === undefined) chainOfTransaction.set(tx, (chain = 1 + Math.floor(Math.random() * AUDIT_CHAINS)));
  return chain;
}

/**
 * The whole append on PostgreSQL, in one statement (on the LAN every round trip wakes two
 * processes): lock the chain's head, draw the id from the sequence under that lock (so ids
 * increase along every chain), insert the record with its scheme-2 hash, move the head.
 * The same formula as chainedHash: `id:chain:prev_id:prev_hash:content digest`.
 */
const APPEND_ON_POSTGRES = `with head as (
  select last_id, last_hash, nextval('audit_log_id_seq') as id from audit_head where id = $1::integer for update
), added as (
  insert into audit_log (id, chain, prev_id, prev_hash, at, user_id, action, entity, entity_id, before_json, after_json, reason, hash_scheme, hash)
  select head.id, $1::integer, head.last_id, head.last_hash, $2::text, $3::integer, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, 2,
    encode(sha256(convert_to(head.id::text || ':' || $1::integer::text || ':' || head.last_id::text || ':' || head.last_hash || ':' || $10::text, 'UTF8')), 'hex')
  from head
  returning id, hash
)
update audit_head set last_id = added.id, last_hash = added.hash from added where audit_head.id = $1::integer
returning added.id`;

/**
 * Appends one record to a chain inside the caller's transaction, so the record and the
 * change it describes commit together or not at all. On PostgreSQL the chain's head row is
 * locked FOR UPDATE: concurrent writers of that chain take their turn, so it never forks.
 */
export async function appendAudit(tx: Tx, engine: Engine, entry: AuditEntry): Promise<number> {
  const chain = chainFor(tx, engine);
  const content: AuditContent = {
    at: entry.at,
    user_id: entry.userId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before_json: toJson(entry.before),
    after_json: toJson(entry.after),
    reason: entry.reason ?? null,
  };
  if (engine === 'postgres') {
    const digest = sha256(contentOf(content));
    const values = [chain, content.at, content.user_id, content.action, content.entity, content.entity_id, content.before_json, content.after_json, content.reason, digest];
    const { rows } = await tx.executeQuery<{ id: number | string }>(CompiledQuery.raw(APPEND_ON_POSTGRES, values));
    if (!rows[0]) throw new Error(`Нет заголовка цепочки журнала изменений № ${chain}`);
    return Number(rows[0].id);
  }
  const { rows } = await sql<{ last_id: number; last_hash: string; next_id: number }>`select last_id, last_hash, (select coalesce(max(id), 0) + 1 from audit_log) as next_id from audit_head where id = ${chain}`.execute(tx);
  const head = rows[0];
  if (!head) throw new Error(`Нет заголовка цепочки журнала изменений № ${chain}`);
  const record: ChainedFields = { ...content, id: Number(head.next_id), chain, prev_id: head.last_id, prev_hash: head.last_hash, hash_scheme: 2 };
  const hash = hashRecord(record);
  await tx.insertInto('audit_log').values({ ...record, hash }).execute();
  await tx.updateTable('audit_head').set({ last_id: record.id, last_hash: hash }).where('id', '=', chain).execute();
  return record.id;
}

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  /** The first record (by position) at which the chain breaks, with the reason in Russian. */
  firstBroken?: { id: number; reason: string };
}

const BATCH = 5000;

/**
 * Walks every chain: a removed, inserted or altered record breaks it. The heads are read
 * first and records written after that are left for the next check, so saves going on
 * meanwhile are not mistaken for damage.
 */
export async function verifyChain(db: Db): Promise<ChainVerdict> {
  const heads = new Map((await db.selectFrom('audit_head').select(['id', 'last_id', 'last_hash']).execute()).map((h) => [h.id, h]));
  const newest = Math.max(0, ...[...heads.values()].map((h) => h.last_id));
  const reached = new Map<number, { id: number; hash: string }>();
  let checked = 0;
  const broken = (id: number, reason: string): ChainVerdict => ({ ok: false, checked, firstBroken: { id, reason } });
  for (let after = 0; ; ) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', after).where('id', '<=', newest).orderBy('id').limit(BATCH).execute();
    for (const row of rows) {
      after = row.id;
      const head = heads.get(row.chain);
      if (!head) return broken(row.id, `запись № ${row.id} относится к цепочке № ${row.chain}, которой нет: заголовок цепочки удалён`);
      if (row.id > head.last_id) continue; // written after the heads were read
      const last = reached.get(row.chain) ?? { id: 0, hash: GENESIS_HASH };
      if (row.prev_id !== last.id || row.prev_hash !== last.hash) {
        if (row.prev_id > last.id) return broken(row.prev_id, `запись № ${row.prev_id} отсутствует (удалена)`);
        return broken(row.id, `запись № ${row.id} не ссылается на предыдущую`);
      }
      if (hashRecord(row) !== row.hash) return broken(row.id, `запись № ${row.id} изменена после создания`);
      reached.set(row.chain, { id: row.id, hash: row.hash });
      checked += 1;
    }
    if (rows.length < BATCH) break;
  }
  for (const head of heads.values()) {
    const last = reached.get(head.id) ?? { id: 0, hash: GENESIS_HASH };
    if (last.id !== head.last_id || last.hash !== head.last_hash) {
      return broken(head.last_id, `запись № ${head.last_id} отсутствует (удалена)`);
    }
  }
  return { ok: true, checked };
}
