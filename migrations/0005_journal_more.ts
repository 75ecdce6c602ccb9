import { sql } from 'kysely';
import type { ZhurnalMigration } from './helpers';

// The class journal, second step: lateness measured at entry (D-18), retried saves applied
// once (idempotency keys), one final per student × kind × period.
export const journalMore: ZhurnalMigration = {
  async up(db) {
    await db.schema.alterTable('lesson').addColumn('topic_late', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('lesson').addColumn('homework_late', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('mark').addColumn('late', 'integer', (c) => c.notNull().defaultTo(0)).execute();

    await db.schema
      .createTable('journal_idempotency')
      .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('journal_idempotency_pk', ['user_id', 'key'])
      .execute();
    await db.schema.createIndex('journal_idempotency_created').on('journal_idempotency').column('created_at').execute();

    // Two first saves of the same final at once must not make two rows (NULL period: 0).
    await sql`create unique index final_mark_cell on final_mark (load_id, student_id, kind, coalesce(period_id, 0))`.execute(db);
    await db.schema.createIndex('change_request_requester').on('change_request').columns(['requested_by', 'requested_at']).execute();
    await db.schema.createIndex('lesson_given_by').on('lesson').columns(['given_by', 'date']).execute();
  },
};
