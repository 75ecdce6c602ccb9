import { createHash, createHmac } from 'node:crypto';

import { CompiledQuery } from 'kysely';
import { sql, type Db, type Engine, type Store, type Tx } from '../store/database';
import type { AuditRow } from '../store/schema';
import { auditKeyOf, resolveAuditKey, type AuditKey } from './key';

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
  key_id?: string | null;
}

/** Scheme 3 (migration 0011): the scheme-2 message, keyed with the school's audit key (HMAC-SHA-256). */
export const KEYED_SCHEME = 3;
/** What hashRecord returns for a keyed record whose key this PC does not hold. */
export const UNKNOWN_KEY = 'неизвестный ключ';

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
export function hashRecord(record: ChainedFields, key?: AuditKey | null): string {
  if (record.hash_scheme === KEYED_SCHEME) {
    if (!key || record.key_id !== key.id) return UNKNOWN_KEY;
    return createHmac('sha256', key.secret).update(placeAndContent(record.id, record.chain, record.prev_id, record.prev_hash, sha256(contentOf(record)))).digest('hex');
  }
  if (record.hash_scheme === 2) return chainedHash(record.id, record.chain, record.prev_id, record.prev_hash, sha256(contentOf(record)));
  if (record.hash_scheme === 1) {
    return sha256(JSON.stringify([record.id, record.at, record.user_id, record.action, record.entity, record.entity_id, record.before_json, record.after_json, record.reason, record.prev_hash]));
  }
  return `неизвестная схема ${record.hash_scheme}`; // matches no stored hash: verify reports the record
}

function placeAndContent(id: number, chain: number, prevId: number, prevHash: string, contentDigest: string): string {
  return `${id}:${chain}:${prevId}:${prevHash}:${contentDigest}`;
}

function chainedHash(id: number, chain: number, prevId: number, prevHash: string, contentDigest: string): string {
  return sha256(placeAndContent(id, chain, prevId, prevHash, contentDigest));
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
 * The same append, keyed (scheme 3). HMAC-SHA-256 written out with the SHA-256 PostgreSQL
 * has built in — sha256((K ⊕ opad) ‖ sha256((K ⊕ ipad) ‖ message)) — so it needs neither
 * pgcrypto nor a round trip to read the head first. The padded key blocks travel as
 * parameters of the statement and are never stored in the database.
 */
const APPEND_KEYED_ON_POSTGRES = `with head as (
  select last_id, last_hash, nextval('audit_log_id_seq') as id from audit_head where id = $1::integer for update
), added as (
  insert into audit_log (id, chain, prev_id, prev_hash, at, user_id, action, entity, entity_id, before_json, after_json, reason, hash_scheme, key_id, hash)
  select head.id, $1::integer, head.last_id, head.last_hash, $2::text, $3::integer, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, ${KEYED_SCHEME}, $13::text,
    encode(sha256($12::bytea || sha256($11::bytea || convert_to(head.id::text || ':' || $1::integer::text || ':' || head.last_id::text || ':' || head.last_hash || ':' || $10::text, 'UTF8'))), 'hex')
  from head
  returning id, hash
)
update audit_head set last_id = added.id, last_hash = added.hash from added where audit_head.id = $1::integer
returning added.id`;

function contentOfEntry(entry: AuditEntry): AuditContent {
  return {
    at: entry.at,
    user_id: entry.userId,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before_json: toJson(entry.before),
    after_json: toJson(entry.after),
    reason: entry.reason ?? null,
  };
}

/** Rows of one multi-row insert: well inside either engine's limit on a statement's parameters. */
const ROWS_PER_INSERT = 500;

/**
 * Appends several records, in order, to the transaction's chain: the same records, links and
 * hashes as that many appendAudit calls, in a few statements instead of one per record (a
 * backlog of edits sent at once). The chain's head is locked first (PostgreSQL: FOR UPDATE),
 * the ids drawn under that lock so they increase along the chain, each record's hash
 * computed here as verifyChain checks it (scheme 2, or 3 keyed), then the records inserted
 * and the head moved.
 */
export async function appendAuditMany(tx: Tx, store: Store, entries: readonly AuditEntry[]): Promise<number[]> {
  if (entries.length === 0) return [];
  await resolveAuditKey(store, tx);
  const key = auditKeyOf(store);
  const chain = chainFor(tx, store.engine);
  let ids: number[];
  let head: { last_id: number; last_hash: string } | undefined;
  if (store.engine === 'postgres') {
    head = (await sql<{ last_id: number; last_hash: string }>`select last_id, last_hash from audit_head where id = ${chain} for update`.execute(tx)).rows[0];
    if (!head) throw new Error(`Нет заголовка цепочки журнала изменений № ${chain}`);
    const drawn = await sql<{ id: number | string }>`select nextval('audit_log_id_seq') as id from generate_series(1, ${entries.length}::integer)`.execute(tx);
    ids = drawn.rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  } else {
    const { rows } = await sql<{ last_id: number; last_hash: string; next_id: number }>`select last_id, last_hash, (select coalesce(max(id), 0) + 1 from audit_log) as next_id from audit_head where id = ${chain}`.execute(tx);
    head = rows[0];
    if (!head) throw new Error(`Нет заголовка цепочки журнала изменений № ${chain}`);
    const first = Number(rows[0]!.next_id);
    ids = entries.map((_, index) => first + index);
  }
  let prev = { id: Number(head.last_id), hash: head.last_hash };
  const records = entries.map((entry, index) => {
    const record: ChainedFields = { ...contentOfEntry(entry), id: ids[index]!, chain, prev_id: prev.id, prev_hash: prev.hash, hash_scheme: key ? KEYED_SCHEME : 2, key_id: key?.id ?? null };
    const hash = hashRecord(record, key);
    prev = { id: record.id, hash };
    return { ...record, hash };
  });
  for (let start = 0; start < records.length; start += ROWS_PER_INSERT) {
    await tx.insertInto('audit_log').values(records.slice(start, start + ROWS_PER_INSERT)).execute();
  }
  await tx.updateTable('audit_head').set({ last_id: prev.id, last_hash: prev.hash }).where('id', '=', chain).execute();
  return ids;
}

/**
 * Appends one record to a chain inside the caller's transaction, so the record and the
 * change it describes commit together or not at all. On PostgreSQL the chain's head row is
 * locked FOR UPDATE: concurrent writers of that chain take their turn, so it never forks.
 */
export async function appendAudit(tx: Tx, storeOrEngine: Store | Engine, entry: AuditEntry): Promise<number> {
  // Given only the engine (older callers), the record is written unkeyed: audit verify names it.
  const engine = typeof storeOrEngine === 'string' ? storeOrEngine : storeOrEngine.engine;
  if (typeof storeOrEngine !== 'string') await resolveAuditKey(storeOrEngine, tx);
  const key = typeof storeOrEngine === 'string' ? null : auditKeyOf(storeOrEngine);
  const chain = chainFor(tx, engine);
  const content = contentOfEntry(entry);
  if (engine === 'postgres') {
    const digest = sha256(contentOf(content));
    const values: unknown[] = [chain, content.at, content.user_id, content.action, content.entity, content.entity_id, content.before_json, content.after_json, content.reason, digest];
    if (key) values.push(key.innerPad, key.outerPad, key.id);
    const { rows } = await tx.executeQuery<{ id: number | string }>(CompiledQuery.raw(key ? APPEND_KEYED_ON_POSTGRES : APPEND_ON_POSTGRES, values));
    if (!rows[0]) throw new Error(`Нет заголовка цепочки журнала изменений № ${chain}`);
    return Number(rows[0].id);
  }
  const { rows } = await sql<{ last_id: number; last_hash: string; next_id: number }>`select last_id, last_hash, (select coalesce(max(id), 0) + 1 from audit_log) as next_id from audit_head where id = ${chain}`.execute(tx);
  const head = rows[0];
  if (!head) throw new Error(`Нет заголовка цепочки журнала изменений № ${chain}`);
  const record: ChainedFields = { ...content, id: Number(head.next_id), chain, prev_id: head.last_id, prev_hash: head.last_hash, hash_scheme: key ? KEYED_SCHEME : 2, key_id: key?.id ?? null };
  const hash = hashRecord(record, key);
  await tx.insertInto('audit_log').values({ ...record, hash }).execute();
  await tx.updateTable('audit_head').set({ last_id: record.id, last_hash: hash }).where('id', '=', chain).execute();
  return record.id;
}

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  /** The first record (by position) at which the chain breaks, with the reason in Russian. */
  firstBroken?: { id: number; reason: string };
  /** Keyed records whose key this PC does not hold: linked, but their keying not checked. */
  notKeyChecked: number;
  /** Each chain's head as verified: what the anchors are compared with. */
  heads: Map<number, { id: number; hash: string }>;
}

const BATCH = 5000;

/**
 * Walks every chain: a removed, inserted or altered record breaks it. The heads are read
 * first and records written after that are left for the next check, so saves going on
 * meanwhile are not mistaken for damage. With the school's audit key, keyed records are
 * checked against it; a record keyed with another key, or an unkeyed one after the chain
 * became keyed, is what someone without the key would write: reported.
 */
export async function verifyChain(db: Db, key: AuditKey | null = null): Promise<ChainVerdict> {
  const heads = new Map((await db.selectFrom('audit_head').select(['id', 'last_id', 'last_hash']).execute()).map((h) => [h.id, h]));
  const newest = Math.max(0, ...[...heads.values()].map((h) => h.last_id));
  const reached = new Map<number, { id: number; hash: string }>();
  // Records are walked in id order: once any record is keyed, the school has its key, and an
  // unkeyed record after it — in whichever chain — was written without the key.
  let keyedSince: number | null = null;
  let checked = 0;
  let notKeyChecked = 0;
  const broken = (id: number, reason: string): ChainVerdict => ({ ok: false, checked, firstBroken: { id, reason }, notKeyChecked, heads: reached });
  /** One record after `last` in its chain: the reason it is not a whole link, or null. */
  const judge = (row: AuditRow, last: { id: number; hash: string }): { id: number; reason: string } | null => {
    if (row.prev_id !== last.id || row.prev_hash !== last.hash) {
      if (row.prev_id > last.id) return { id: row.prev_id, reason: `запись № ${row.prev_id} отсутствует (удалена)` };
      return { id: row.id, reason: `запись № ${row.id} не ссылается на предыдущую` };
    }
    if (row.hash_scheme === KEYED_SCHEME) {
      keyedSince ??= row.id;
      if (!key) notKeyChecked += 1;
      else if (row.key_id !== key.id) return { id: row.id, reason: `запись № ${row.id} подписана не ключом журнала изменений этой школы (подделана или вписана в обход программы)` };
      else if (hashRecord(row, key) !== row.hash) return { id: row.id, reason: `запись № ${row.id} изменена после создания` };
    } else {
      if (keyedSince !== null && row.id > keyedSince) return { id: row.id, reason: `запись № ${row.id} добавлена без ключа журнала изменений школы (на компьютере, где ключа нет, или в обход программы)` };
      if (hashRecord(row) !== row.hash) return { id: row.id, reason: `запись № ${row.id} изменена после создания` };
    }
    return null;
  };
  /** Records past their chain's head when the heads were read: new since, or slipped in beside the chain. */
  const beyondHeads: AuditRow[] = [];
  for (let after = 0; ; ) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', after).where('id', '<=', newest).orderBy('id').limit(BATCH).execute();
    for (const row of rows) {
      after = row.id;
      const head = heads.get(row.chain);
      if (!head) return broken(row.id, `запись № ${row.id} относится к цепочке № ${row.chain}, которой нет: заголовок цепочки удалён`);
      if (row.id > head.last_id) {
        beyondHeads.push(row);
        continue;
      }
      const failure = judge(row, reached.get(row.chain) ?? { id: 0, hash: GENESIS_HASH });
      if (failure) return broken(failure.id, failure.reason);
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
  // A record committed after the heads were read has moved its head by now; one that no
  // head covers, or that does not link, was slipped in beside the chain (by hand).
  beyondHeads.push(...(await db.selectFrom('audit_log').selectAll().where('id', '>', newest).orderBy('id').execute()));
  const headsNow = new Map((await db.selectFrom('audit_head').select(['id', 'last_id']).execute()).map((h) => [h.id, h.last_id]));
  const later = new Map(reached);
  for (const row of beyondHeads) {
    if (row.id > (headsNow.get(row.chain) ?? 0)) return broken(row.id, `запись № ${row.id} не входит ни в одну цепочку (вписана в обход программы)`);
    const failure = judge(row, later.get(row.chain) ?? { id: 0, hash: GENESIS_HASH });
    if (failure) return broken(failure.id, failure.reason);
    later.set(row.chain, { id: row.id, hash: row.hash });
  }
  return { ok: true, checked, notKeyChecked, heads: reached };
}
