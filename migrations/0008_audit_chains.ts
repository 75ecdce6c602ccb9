import { sql } from 'kysely';
import type { ZhurnalMigration } from './helpers';

/** How many audit chains the school has: see src-main/audit/chain.ts. Never lowered. */
const CHAINS = 16;
const GENESIS_HASH = '0'.repeat(64);

export const auditChains: ZhurnalMigration = {
  async up(db, engine) {
    // One chain made every write in the school wait for the one before it to commit: on the
    // LAN, forty PCs queued behind a single locked row. The audit becomes several chains,
    // each with its own head; a record names its chain and the record before it in it.
    // The existing records are chain 1, gapless, so each one's predecessor is id − 1.
    await db.schema.alterTable('audit_log').addColumn('chain', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    await db.schema.alterTable('audit_log').addColumn('prev_id', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await sql`update audit_log set prev_id = id - 1`.execute(db);
    for (let chain = 2; chain <= CHAINS; chain++) {
      await sql`insert into audit_head (id, last_id, last_hash) values (${chain}, 0, ${GENESIS_HASH})`.execute(db);
    }
    if (engine === 'postgres') {
      // Records of different chains are written at once, so ids come from a sequence
      // (SQLite has one writer at a time and takes the next free id).
      await sql`create sequence audit_log_id_seq owned by audit_log.id`.execute(db);
      await sql`select setval('audit_log_id_seq', coalesce((select max(id) from audit_log), 0) + 1, false)`.execute(db);
      await sql`alter table audit_log alter column id set default nextval('audit_log_id_seq')`.execute(db);
    }
  },
};
