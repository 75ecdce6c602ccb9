import { withId, type ZhurnalMigration } from './helpers';

export const plans: ZhurnalMigration = {
  async up(db, engine) {
    // The calendar-thematic plan (КТП, D-15): one per teaching load (class × subject ×
    // subgroup, and a load belongs to one year). It stays with the load when the teacher changes.
    await withId(db.schema.createTable('plan'), engine)
      .addColumn('load_id', 'integer', (c) => c.notNull().unique().references('teaching_load.id'))
      .addColumn('year_id', 'integer', (c) => c.notNull().references('academic_year.id'))
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft')) // 'draft' | 'review' | 'approved'
      .addColumn('hours_note', 'text', (c) => c.notNull().defaultTo('')) // why the hours differ from the curriculum
      .addColumn('review_comment', 'text', (c) => c.notNull().defaultTo('')) // the deputy's comment on return / approval
      .addColumn('submitted_at', 'text')
      .addColumn('submitted_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('decided_at', 'text')
      .addColumn('decided_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('plan_year').on('plan').column('year_id').execute();

    // The plan's numbered lessons. A row with N hours is covered by N lessons.
    await withId(db.schema.createTable('plan_row'), engine)
      .addColumn('plan_id', 'integer', (c) => c.notNull().references('plan.id'))
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('section', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('hours', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('planned_date', 'text')
      .addColumn('planned_week', 'integer')
      .addColumn('control_work', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('work_type_id', 'integer', (c) => c.references('work_type.id'))
      .addColumn('homework', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.createIndex('plan_row_plan').on('plan_row').columns(['plan_id', 'number']).execute();

    // A change to an approved plan is a correction with a reason (D-15: after the first
    // half-year, by 20 December); the audit log holds the details, this the register.
    await withId(db.schema.createTable('plan_correction'), engine)
      .addColumn('plan_id', 'integer', (c) => c.notNull().references('plan.id'))
      .addColumn('corrected_at', 'text', (c) => c.notNull())
      .addColumn('corrected_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.createIndex('plan_correction_plan').on('plan_correction').columns(['plan_id', 'corrected_at']).execute();

    // The plan row a journal lesson took its topic from (null: typed by hand). No foreign key:
    // a deleted lesson simply frees its row, and a row in use is never deleted (plans domain).
    await db.schema.alterTable('lesson').addColumn('plan_row_id', 'integer').execute();
    await db.schema.createIndex('lesson_plan_row').on('lesson').column('plan_row_id').execute();
  },
};
