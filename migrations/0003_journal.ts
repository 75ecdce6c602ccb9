import { withId, type ZhurnalMigration } from './helpers';

export const journal: ZhurnalMigration = {
  async up(db, engine) {
    await withId(db.schema.createTable('lesson'), engine)
      .addColumn('load_id', 'integer', (c) => c.notNull().references('teaching_load.id'))
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('lesson_number', 'integer')
      .addColumn('topic', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('material', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('homework', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('homework_for', 'text')
      .addColumn('work_types', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('given_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('substitution', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('topic_entered_at', 'text')
      .addColumn('homework_entered_at', 'text')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('lesson_load_date').on('lesson').columns(['load_id', 'date']).execute();
    await db.schema.createIndex('lesson_date').on('lesson').column('date').execute();

    await withId(db.schema.createTable('mark'), engine)
      .addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id'))
      .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('work_type_id', 'integer', (c) => c.notNull().references('work_type.id'))
      .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('make_up', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('mark_lesson').on('mark').columns(['lesson_id', 'student_id']).execute();
    await db.schema.createIndex('mark_student').on('mark').column('student_id').execute();

    await db.schema
      .createTable('attendance')
      .addColumn('lesson_id', 'integer', (c) => c.notNull().references('lesson.id'))
      .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addPrimaryKeyConstraint('attendance_pk', ['lesson_id', 'student_id'])
      .execute();
    await db.schema.createIndex('attendance_student').on('attendance').column('student_id').execute();

    await withId(db.schema.createTable('final_mark'), engine)
      .addColumn('load_id', 'integer', (c) => c.notNull().references('teaching_load.id'))
      .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('period_id', 'integer', (c) => c.references('study_period.id'))
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('suggested', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('deferred', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await db.schema.createIndex('final_mark_load').on('final_mark').columns(['load_id', 'student_id']).execute();

    await withId(db.schema.createTable('period_lock'), engine)
      .addColumn('load_id', 'integer', (c) => c.notNull().references('teaching_load.id'))
      .addColumn('period_id', 'integer', (c) => c.notNull().references('study_period.id'))
      .addColumn('locked_at', 'text', (c) => c.notNull())
      .addColumn('locked_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('reopened_at', 'text')
      .addColumn('reopened_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('reopen_reason', 'text')
      .execute();
    await db.schema.createIndex('period_lock_load').on('period_lock').columns(['load_id', 'period_id']).execute();

    await withId(db.schema.createTable('change_request'), engine)
      .addColumn('load_id', 'integer', (c) => c.notNull().references('teaching_load.id'))
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('proposed', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('decided_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('decided_at', 'text')
      .addColumn('decision_note', 'text')
      .execute();
    await db.schema.createIndex('change_request_status').on('change_request').columns(['status', 'requested_at']).execute();
  },
};
