import { withId, type ZhurnalMigration } from './helpers';

// School setup, second step.
// - D-45: when a student leaves, the consents are destroyed and an act of destruction is
//   drawn up. The consent rows stay (marked destroyed, pointing at the act) so the act
//   remains attributable; the act keeps the student's name as text.
// - D-14: an enrollment that continues last year's into the next grade points at it, so the
//   movement report (D-13) does not count the whole school as arrived on 1 September.
export const schoolMore: ZhurnalMigration = {
  async up(db, engine) {
    await withId(db.schema.createTable('consent_destruction_act'), engine)
      .addColumn('number', 'integer', (c) => c.notNull().unique())
      .addColumn('drawn_up_on', 'text', (c) => c.notNull())
      .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
      .addColumn('student_name', 'text', (c) => c.notNull())
      .addColumn('class_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('departure_order', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('consents', 'text', (c) => c.notNull()) // JSON: the consents as they were
      .addColumn('drawn_up_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('drawn_up_by_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('consent_destruction_act_student').on('consent_destruction_act').column('student_id').execute();

    await db.schema.alterTable('consent').addColumn('destroyed_on', 'text').execute();
    await db.schema.alterTable('consent').addColumn('destruction_act_id', 'integer', (c) => c.references('consent_destruction_act.id')).execute();

    await db.schema.alterTable('enrollment').addColumn('continues_enrollment_id', 'integer', (c) => c.references('enrollment.id')).execute();
  },
};
