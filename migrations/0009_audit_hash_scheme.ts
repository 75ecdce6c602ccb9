import type { ZhurnalMigration } from './helpers';

export const auditHashScheme: ZhurnalMigration = {
  async up(db) {
    // Scheme 2 hashes a record's content first and chains that digest, so PostgreSQL can
    // finish the hash inside the one statement that appends the record (src-main/audit/chain.ts).
    // Every record written before keeps scheme 1 and is verified as before.
    await db.schema.alterTable('audit_log').addColumn('hash_scheme', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  },
};
