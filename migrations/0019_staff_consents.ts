import { withId, type ZhurnalMigration } from './helpers';

export const staffConsents: ZhurnalMigration = {
  async up(db, engine) {
    // A staff member's consent to processing their personal data (D-45, 152-ФЗ), registered
    // and withdrawn by the administration; the row stays after a withdrawal, as the record.
    await withId(db.schema.createTable('staff_consent'), engine)
      .addColumn('user_id', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('given_on', 'text', (c) => c.notNull())
      .addColumn('withdrawn_on', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .execute();
    await db.schema.createIndex('staff_consent_user').on('staff_consent').column('user_id').execute();
  },
};
