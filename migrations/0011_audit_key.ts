import type { ZhurnalMigration } from './helpers';

export const auditKey: ZhurnalMigration = {
  async up(db) {
    // Hash scheme 3 keys the audit chain with the school's audit key (src-main/audit/key.ts).
    // The key stays on the PCs; the database keeps only its id: in the school row, and in
    // each keyed record, so a record keyed with another key is told apart.
    await db.schema.alterTable('school').addColumn('audit_key_id', 'text').execute();
    await db.schema.alterTable('audit_log').addColumn('key_id', 'text').execute();
  },
};
