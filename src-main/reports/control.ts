import { sql } from 'kysely';
import type { LessonIssue, ReportFilter } from '../../src-shared/contract/reports';
import type { Db } from '../store/database';
import { loadContextQuery } from '../load/repository';
import type { RowScope } from './scope';

// «Контроль ведения журнала» (D-32, D-18): per load (teacher × class × subject, a subgroup
// apart) over a date range, every figure counted by the database. Lateness is the one the
// journal stored when the entry was made (topic_late, homework_late, mark.late).

/** Marks that say nothing about what the student knows: not counted in «накопляемость». */
const NOT_A_MARK = ['н/а', 'осв', 'безотм'];

export interface ControlLine {
  loadId: number;
  teacherId: number;
  teacherName: string;
  classId: number;
  className: string;
  grade: number;
  noMarks: boolean;
  subjectId: number;
  subjectName: string;
  subgroupName: string | null;
  lessons: number;
  noTopic: number;
  noHomework: number;
  topicLate: number;
  homeworkLate: number;
  marksLate: number;
  studentsNoMarks: number;
  studentsOneMark: number;
  unresolvedAbsences: number;
}

export interface ControlQuery {
  yearId: number;
  from: string;
  to: string;
  filter: Pick<ReportFilter, 'classId' | 'subjectId' | 'teacherId' | 'loadId'>;
  scope: RowScope;
}

export async function controlLines(db: Db, q: ControlQuery): Promise<ControlLine[]> {
  const { from, to } = q;
  // Every count below is over the lessons of the range, per load. Marks and absences are
  // reached from those lessons: a CROSS JOIN keeps SQLite from scanning every mark of every
  // year when the database has no statistics (PostgreSQL plans it as an inner join).
  const lessonsInRange = () =>
    db
      .selectFrom('lesson as l')
      .where('l.load_id', 'in', db.selectFrom('teaching_load').select('id').where('year_id', '=', q.yearId))
      .where('l.date', '>=', from)
      .where('l.date', '<=', to);
  const lessons = lessonsInRange()
    .select([
      'l.load_id',
      (eb) => eb.fn.countAll<number>().as('lessons'),
      sql<number>`sum(case when trim(l.topic) = '' then 1 else 0 end)`.as('no_topic'),
      sql<number>`sum(case when trim(l.homework) = '' then 1 else 0 end)`.as('no_homework'),
      sql<number>`sum(l.topic_late)`.as('topic_late'),
      sql<number>`sum(l.homework_late)`.as('homework_late'),
    ])
    .groupBy('l.load_id');
  const lateMarks = lessonsInRange()
    .crossJoin('mark as m')
    .whereRef('m.lesson_id', '=', 'l.id')
    .where('m.late', '=', 1)
    .select(['l.load_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('l.load_id');
  const absences = lessonsInRange()
    .crossJoin('attendance as a')
    .whereRef('a.lesson_id', '=', 'l.id')
    .where('a.code', '=', 'ОТ')
    .select(['l.load_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('l.load_id');
  // Students on a load's list at some day of the range (a subgroup's members only), with
  // how many marks each got in the range.
  const markCounts = lessonsInRange()
    .crossJoin('mark as m')
    .whereRef('m.lesson_id', '=', 'l.id')
    .where('m.value', 'not in', NOT_A_MARK)
    .select(['l.load_id', 'm.student_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['l.load_id', 'm.student_id']);
  const accumulation = db
    .selectFrom('teaching_load as tl')
    .innerJoin('enrollment as e', 'e.class_id', 'tl.class_id')
    .leftJoin(markCounts.as('mc'), (join) => join.onRef('mc.load_id', '=', 'tl.id').onRef('mc.student_id', '=', 'e.student_id'))
    .select([
      'tl.id as load_id',
      sql<number>`sum(case when ${sql.ref('mc.n')} is null then 1 else 0 end)`.as('zero'),
      sql<number>`sum(case when ${sql.ref('mc.n')} = 1 then 1 else 0 end)`.as('one'),
    ])
    .where('tl.year_id', '=', q.yearId)
    .where('e.arrived_on', '<=', to)
    .where((eb) => eb.or([eb('e.departed_on', 'is', null), eb('e.departed_on', '>=', from)]))
    .where((eb) =>
      eb.or([
        eb('tl.subgroup_id', 'is', null),
        eb.exists(
          eb
            .selectFrom('subgroup_member as sm')
            .select('sm.id')
            .whereRef('sm.subgroup_id', '=', 'tl.subgroup_id')
            .whereRef('sm.student_id', '=', 'e.student_id')
            .where('sm.from_date', '<=', to)
            .where((inner) => inner.or([inner('sm.to_date', 'is', null), inner('sm.to_date', '>=', from)])),
        ),
      ]),
    )
    .groupBy('tl.id');

  let query = loadContextQuery(db)
    .leftJoin(lessons.as('ls'), 'ls.load_id', 'tl.id')
    .leftJoin(lateMarks.as('lm'), 'lm.load_id', 'tl.id')
    .leftJoin(absences.as('ab'), 'ab.load_id', 'tl.id')
    .leftJoin(accumulation.as('acc'), 'acc.load_id', 'tl.id')
    .select([
      'ls.lessons',
      'ls.no_topic',
      'ls.no_homework',
      'ls.topic_late',
      'ls.homework_late',
      'lm.n as marks_late',
      'ab.n as absences',
      'acc.zero',
      'acc.one',
    ])
    .where('tl.year_id', '=', q.yearId)
    .orderBy('u.full_name')
    .orderBy('c.grade')
    .orderBy('c.name')
    .orderBy('s.sort_order')
    .orderBy('sg.name');
  if (q.filter.classId !== undefined) query = query.where('tl.class_id', '=', q.filter.classId);
  if (q.filter.subjectId !== undefined) query = query.where('tl.subject_id', '=', q.filter.subjectId);
  if (q.filter.teacherId !== undefined) query = query.where('tl.teacher_id', '=', q.filter.teacherId);
  if (q.filter.loadId !== undefined) query = query.where('tl.id', '=', q.filter.loadId);
  if (!q.scope.all) {
    const me = q.scope.userId;
    query = query.where((eb) => eb.or([eb('tl.teacher_id', '=', me), eb('c.class_teacher_id', '=', me)]));
  }
  const rows = await query.execute();
  return rows.map((r) => {
    const noMarks = Number(r.no_marks) === 1;
    return {
      loadId: r.id,
      teacherId: r.teacher_id,
      teacherName: r.teacher_name,
      classId: r.class_id,
      className: r.class_name,
      grade: r.grade,
      noMarks,
      subjectId: r.subject_id,
      subjectName: r.subject_name,
      subgroupName: r.subgroup_name,
      lessons: Number(r.lessons ?? 0),
      noTopic: Number(r.no_topic ?? 0),
      noHomework: Number(r.no_homework ?? 0),
      topicLate: Number(r.topic_late ?? 0),
      homeworkLate: Number(r.homework_late ?? 0),
      marksLate: Number(r.marks_late ?? 0),
      // D-19: grades 0–1 get no marks; their «накопляемость» is not counted.
      studentsNoMarks: noMarks ? 0 : Number(r.zero ?? 0),
      studentsOneMark: noMarks ? 0 : Number(r.one ?? 0),
      unresolvedAbsences: Number(r.absences ?? 0),
    };
  });
}

export interface ControlLesson {
  lessonId: number;
  loadId: number;
  date: string;
  lessonNumber: number | null;
  teacherName: string;
  className: string;
  subjectName: string;
  subgroupName: string | null;
  topic: string;
  homework: string;
  topicLate: boolean;
  homeworkLate: boolean;
}

/** The lessons behind a figure of the control report, oldest first. */
export async function controlLessons(db: Db, q: ControlQuery & { issue: LessonIssue }): Promise<ControlLesson[]> {
  let query = loadContextQuery(db)
    .innerJoin('lesson as l', 'l.load_id', 'tl.id')
    .select(['l.id as lesson_id', 'l.date', 'l.lesson_number', 'l.topic', 'l.homework', 'l.topic_late', 'l.homework_late'])
    .where('tl.year_id', '=', q.yearId)
    .where('l.date', '>=', q.from)
    .where('l.date', '<=', q.to)
    .orderBy('l.date')
    .orderBy('l.lesson_number')
    .orderBy('c.name')
    .orderBy('l.id');
  if (q.issue === 'noTopic') query = query.where(sql<boolean>`trim(l.topic) = ''`);
  if (q.issue === 'noHomework') query = query.where(sql<boolean>`trim(l.homework) = ''`);
  if (q.issue === 'late') query = query.where((eb) => eb.or([eb('l.topic_late', '=', 1), eb('l.homework_late', '=', 1)]));
  if (q.filter.classId !== undefined) query = query.where('tl.class_id', '=', q.filter.classId);
  if (q.filter.subjectId !== undefined) query = query.where('tl.subject_id', '=', q.filter.subjectId);
  if (q.filter.teacherId !== undefined) query = query.where('tl.teacher_id', '=', q.filter.teacherId);
  if (q.filter.loadId !== undefined) query = query.where('tl.id', '=', q.filter.loadId);
  if (!q.scope.all) {
    const me = q.scope.userId;
    query = query.where((eb) => eb.or([eb('tl.teacher_id', '=', me), eb('c.class_teacher_id', '=', me)]));
  }
  const rows = await query.limit(5000).execute();
  return rows.map((r) => ({
    lessonId: r.lesson_id,
    loadId: r.id,
    date: r.date,
    lessonNumber: r.lesson_number,
    teacherName: r.teacher_name,
    className: r.class_name,
    subjectName: r.subject_name,
    subgroupName: r.subgroup_name,
    topic: r.topic,
    homework: r.homework,
    topicLate: Number(r.topic_late) === 1,
    homeworkLate: Number(r.homework_late) === 1,
  }));
}
