import { withId, type ZhurnalMigration } from './helpers';

export const school: ZhurnalMigration = {
  async up(db, engine) {
    await withId(db.schema.createTable('academic_year'), engine)
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('starts_on', 'text', (c) => c.notNull())
      .addColumn('ends_on', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .execute();

    await withId(db.schema.createTable('study_period'), engine)
      .addColumn('year_id', 'integer', (c) => c.notNull().references('academic_year.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('number', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('starts_on', 'text', (c) => c.notNull())
      .addColumn('ends_on', 'text', (c) => c.notNull())
      .addColumn('grade_from', 'integer', (c) => c.notNull())
      .addColumn('grade_to', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('study_period_year').on('study_period').columns(['year_id', 'starts_on']).execute();

    await withId(db.schema.createTable('holiday'), engine)
      .addColumn('year_id', 'integer', (c) => c.notNull().references('academic_year.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('starts_on', 'text', (c) => c.notNull())
      .addColumn('ends_on', 'text', (c) => c.notNull())
      .execute();

    await withId(db.schema.createTable('subject'), engine)
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('short_name', 'text', (c) => c.notNull())
      .addColumn('grade_from', 'integer', (c) => c.notNull())
      .addColumn('grade_to', 'integer', (c) => c.notNull())
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('curriculum_hours')
      .addColumn('year_id', 'integer', (c) => c.notNull().references('academic_year.id'))
      .addColumn('subject_id', 'integer', (c) => c.notNull().references('subject.id'))
      .addColumn('grade', 'integer', (c) => c.notNull())
      .addColumn('hours_per_week', 'real', (c) => c.notNull())
      .addPrimaryKeyConstraint('curriculum_hours_pk', ['year_id', 'subject_id', 'grade'])
      .execute();

    await withId(db.schema.createTable('school_class'), engine)
      .addColumn('year_id', 'integer', (c) => c.notNull().references('academic_year.id'))
      .addColumn('grade', 'integer', (c) => c.notNull())
      .addColumn('letter', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('class_teacher_id', 'integer', (c) => c.references('app_user.id'))
      .addColumn('room', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('no_marks', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('school_class_year_name', ['year_id', 'name'])
      .execute();
    await db.schema.createIndex('school_class_teacher').on('school_class').column('class_teacher_id').execute();

    await withId(db.schema.createTable('student'), engine)
      .addColumn('surname', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('patronymic', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('birth_date', 'text')
      .addColumn('gender', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await withId(db.schema.createTable('enrollment'), engine)
      .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
      .addColumn('class_id', 'integer', (c) => c.notNull().references('school_class.id'))
      .addColumn('arrived_on', 'text', (c) => c.notNull())
      .addColumn('arrival_order', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('departed_on', 'text')
      .addColumn('departure_order', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.createIndex('enrollment_class').on('enrollment').columns(['class_id', 'student_id']).execute();
    await db.schema.createIndex('enrollment_student').on('enrollment').column('student_id').execute();

    await withId(db.schema.createTable('consent'), engine)
      .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
      .addColumn('given_by', 'text', (c) => c.notNull())
      .addColumn('giver_name', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('given_on', 'text', (c) => c.notNull())
      .addColumn('withdrawn_on', 'text')
      .execute();
    await db.schema.createIndex('consent_student').on('consent').column('student_id').execute();

    await withId(db.schema.createTable('subgroup'), engine)
      .addColumn('class_id', 'integer', (c) => c.notNull().references('school_class.id'))
      .addColumn('subject_id', 'integer', (c) => c.notNull().references('subject.id'))
      .addColumn('name', 'text', (c) => c.notNull())
      .execute();

    await withId(db.schema.createTable('subgroup_member'), engine)
      .addColumn('subgroup_id', 'integer', (c) => c.notNull().references('subgroup.id'))
      .addColumn('student_id', 'integer', (c) => c.notNull().references('student.id'))
      .addColumn('from_date', 'text', (c) => c.notNull())
      .addColumn('to_date', 'text')
      .execute();
    await db.schema.createIndex('subgroup_member_group').on('subgroup_member').columns(['subgroup_id', 'student_id']).execute();

    await withId(db.schema.createTable('teaching_load'), engine)
      .addColumn('year_id', 'integer', (c) => c.notNull().references('academic_year.id'))
      .addColumn('class_id', 'integer', (c) => c.notNull().references('school_class.id'))
      .addColumn('subject_id', 'integer', (c) => c.notNull().references('subject.id'))
      .addColumn('subgroup_id', 'integer', (c) => c.references('subgroup.id'))
      .addColumn('teacher_id', 'integer', (c) => c.notNull().references('app_user.id'))
      .addColumn('hours_per_week', 'real', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('teaching_load_class').on('teaching_load').columns(['class_id', 'subject_id']).execute();
    await db.schema.createIndex('teaching_load_teacher').on('teaching_load').columns(['teacher_id', 'year_id']).execute();

    await db.schema
      .createTable('bell')
      .addColumn('lesson_number', 'integer', (c) => c.primaryKey())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text', (c) => c.notNull())
      .execute();

    await withId(db.schema.createTable('timetable_entry'), engine)
      .addColumn('load_id', 'integer', (c) => c.notNull().references('teaching_load.id'))
      .addColumn('weekday', 'integer', (c) => c.notNull())
      .addColumn('lesson_number', 'integer', (c) => c.notNull())
      .addColumn('room', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_to', 'text')
      .execute();
    await db.schema.createIndex('timetable_entry_load').on('timetable_entry').column('load_id').execute();
    await db.schema.createIndex('timetable_entry_slot').on('timetable_entry').columns(['weekday', 'lesson_number']).execute();

    await withId(db.schema.createTable('work_type'), engine)
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('weight', 'real', (c) => c.notNull())
      .addColumn('mark_due_days', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  },
};
