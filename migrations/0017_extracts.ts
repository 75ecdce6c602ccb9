import { sql } from 'kysely';
import { withId, type ZhurnalMigration } from './helpers';

export const extracts: ZhurnalMigration = {
  async up(db, engine) {
    // Paper extracts for parents (D-9, D-31): one row per student per printed extract, with
    // its date range, so the class teacher can tick the returned strip (002 App.2 §15, §21).
    await withId(db.schema.createTable('extract_print'), engine)
      .addColumn('print_log_id', 'integer', (c) => c.notNull().references('print_log.id'))
      .addColumn('class_id', 'integer', (c) => c.notNull().references('school_class.id'))
      .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
      .addColumn('from_date', 'text', (c) => c.notNull())
      .addColumn('to_date', 'text', (c) => c.notNull())
      .addColumn('printed_at', 'text', (c) => c.notNull())
      .addColumn('printed_by', 'integer', (c) => c.references('app_user.id')) // null: the CLI
      // The returned strip: the day the parent signed it, and who ticked it when.
      .addColumn('acknowledged_on', 'text')
      .addColumn('acknowledged_at', 'text')
      .addColumn('acknowledged_by', 'integer', (c) => c.references('app_user.id'))
      .execute();
    await db.schema.createIndex('extract_print_class').on('extract_print').columns(['class_id', 'printed_at']).execute();
    await db.schema.createIndex('extract_print_student').on('extract_print').columns(['student_id']).execute();

    // The pedagogical council's decision on a student at the end of a year (D-14): promoted,
    // promoted on condition, kept down, graduated — with the council's protocol.
    await withId(db.schema.createTable('council_decision'), engine)
      .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
      .addColumn('year_id', 'integer', (c) => c.notNull().references('academic_year.id'))
      .addColumn('class_id', 'integer', (c) => c.notNull().references('school_class.id'))
      .addColumn('decision', 'text', (c) => c.notNull())
      .addColumn('protocol_date', 'text', (c) => c.notNull())
      .addColumn('protocol_number', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .execute();
    await sql`create unique index council_decision_student_year on council_decision (student_id, year_id)`.execute(db);
  },
};
