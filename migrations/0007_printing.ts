import { withId, type ZhurnalMigration } from './helpers';

export const printing: ZhurnalMigration = {
  async up(db, engine) {
    // Who printed what, when, and the PDF's SHA-256 (issue «Printing the journal», D-39): a
    // reprint can be compared with the sewn copy. Append-only, like the audit.
    await withId(db.schema.createTable('print_log'), engine)
      .addColumn('printed_at', 'text', (c) => c.notNull())
      .addColumn('user_id', 'integer', (c) => c.references('app_user.id')) // null: the CLI
      .addColumn('source', 'text', (c) => c.notNull()) // 'app' | 'cli' | 'backup'
      .addColumn('document', 'text', (c) => c.notNull()) // 'class_journal' | 'class_summary' | 'school_summary'
      .addColumn('class_id', 'integer', (c) => c.references('school_class.id'))
      .addColumn('year_id', 'integer', (c) => c.references('academic_year.id'))
      .addColumn('period_id', 'integer', (c) => c.references('study_period.id')) // null: the whole year
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull()) // JSON: duplex, binding margin, subjects
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('pages', 'integer', (c) => c.notNull())
      .addColumn('sheets', 'integer', (c) => c.notNull())
      .addColumn('file_name', 'text')
      .execute();
    await db.schema.createIndex('print_log_printed_at').on('print_log').column('printed_at').execute();
    await db.schema.createIndex('print_log_sha256').on('print_log').column('sha256').execute();
  },
};
