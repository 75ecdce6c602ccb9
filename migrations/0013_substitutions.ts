import { sql } from 'kysely';
import { withId, type ZhurnalMigration } from './helpers';

export const substitutions: ZhurnalMigration = {
  async up(db, engine) {
    // The substitution register (002 §7A.4, D-2, D-3): one row per lesson slot of an absent
    // teacher. A removed row stays (removed_at) — the payroll sheet and the audit need it.
    await withId(db.schema.createTable('substitution'), engine)
      .addColumn('year_id', 'integer', (c) => c.notNull().references('academic_year.id'))
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('lesson_number', 'integer', (c) => c.notNull())
      .addColumn('load_id', 'integer', (c) => c.notNull().references('teaching_load.id')) // the absent teacher's lesson
      .addColumn('absent_teacher_id', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('substitute_id', 'integer', (c) => c.references('app_user.id')) // null: the lesson is cancelled
      .addColumn('kind', 'text', (c) => c.notNull()) // 'subject' | 'ownSubject' | 'merge' | 'cancelled'
      .addColumn('reason', 'text', (c) => c.notNull()) // 'illness' | 'courses' | 'trip' | 'other'
      .addColumn('order_number', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('target_load_id', 'integer', (c) => c.references('teaching_load.id')) // ownSubject: the substitute's page
      .addColumn('lesson_id', 'integer') // the lesson written under it (kept when the lesson is deleted: no FK)
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('removed_at', 'text')
      .addColumn('removed_by', 'integer', (c) => c.references('app_user.id'))
      .addColumn('removed_reason', 'text')
      .execute();
    // One live substitution per lesson slot: two PCs assigning at once cannot both win.
    await sql`create unique index substitution_live_slot on substitution (load_id, date, lesson_number) where removed_at is null`.execute(db);
    await db.schema.createIndex('substitution_date').on('substitution').columns(['date', 'lesson_number']).execute();
    await db.schema.createIndex('substitution_substitute').on('substitution').columns(['substitute_id', 'date']).execute();

    // A lesson moved to another date or slot for one day (перенос); the weekly timetable stays.
    await withId(db.schema.createTable('lesson_transfer'), engine)
      .addColumn('year_id', 'integer', (c) => c.notNull().references('academic_year.id'))
      .addColumn('load_id', 'integer', (c) => c.notNull().references('teaching_load.id'))
      .addColumn('from_date', 'text', (c) => c.notNull())
      .addColumn('from_lesson_number', 'integer', (c) => c.notNull())
      .addColumn('to_date', 'text', (c) => c.notNull())
      .addColumn('to_lesson_number', 'integer', (c) => c.notNull())
      .addColumn('room', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('order_number', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('removed_at', 'text')
      .addColumn('removed_by', 'integer', (c) => c.references('app_user.id'))
      .execute();
    await sql`create unique index lesson_transfer_live_from on lesson_transfer (load_id, from_date, from_lesson_number) where removed_at is null`.execute(db);
    await db.schema.createIndex('lesson_transfer_to').on('lesson_transfer').columns(['to_date', 'to_lesson_number']).execute();

    // The control-work schedule (002 §7A.5, §2.11): planned per class and subject (a load) by
    // 5 September, corrected later with a reason (the earlier date is kept).
    await withId(db.schema.createTable('control_work'), engine)
      .addColumn('year_id', 'integer', (c) => c.notNull().references('academic_year.id'))
      .addColumn('load_id', 'integer', (c) => c.notNull().references('teaching_load.id'))
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('planned_date', 'text', (c) => c.notNull()) // the first planned date
      .addColumn('correction_reason', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('removed_at', 'text')
      .execute();
    await db.schema.createIndex('control_work_date').on('control_work').columns(['date']).execute();
  },
};
