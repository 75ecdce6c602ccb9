import { withId, type ZhurnalMigration } from './helpers';

export const parents: ZhurnalMigration = {
  async up(db, engine) {
    // Parents and legal representatives of a student (000 §4.6.2–4.6.4), with the consent
    // to processing their own personal data (D-45) and who receives the paper extracts.
    await withId(db.schema.createTable('student_parent'), engine)
      .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
      .addColumn('full_name', 'text', (c) => c.notNull())
      .addColumn('relation', 'text', (c) => c.notNull())
      .addColumn('phone', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('receives_paper', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('consent_given_on', 'text')
      .addColumn('consent_withdrawn_on', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('student_parent_student').on('student_parent').column('student_id').execute();
  },
};
