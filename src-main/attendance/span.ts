import { labelOptionsFor } from '../students/visibility';
import { attendanceCodes, type AttendanceCode } from '../../src-shared/rules/attendance';
import { addDays, weekdayOf, russianDate } from '../../src-shared/rules/dates';
import { ruRange } from '../../src-shared/rules/periods';
import { forbidden, invalid, notFound } from '../core/errors';
import type { HandlerMap } from '../core/handlers';
import { readsEverything } from '../journal/access';
import { periodContaining, studentsOfLoad } from '../journal/repository';

// The class teacher's attendance beyond one day (D-28): the week around a date, day by day,
// and a study period's totals per student — what the paper journal's attendance pages add up.

export function attendanceSpanHandlers(): HandlerMap<'attendance.classSpan'> {
  return {
    async 'attendance.classSpan'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const schoolClass = await db.selectFrom('school_class').select(['id', 'name', 'grade', 'year_id', 'class_teacher_id']).where('id', '=', input.classId).executeTakeFirst();
      if (!schoolClass) throw notFound('Класс не найден.');
      if (schoolClass.class_teacher_id !== caller.userId && !readsEverything(caller)) {
        throw forbidden(`Посещаемость ${schoolClass.name} видит классный руководитель и администрация.`);
      }
      let from: string;
      let to: string;
      let title: string;
      if (input.span === 'week') {
        from = addDays(input.date, 1 - weekdayOf(input.date));
        to = addDays(from, 6);
        title = `Неделя ${ruRange(from, to)}`;
      } else {
        const period = await periodContaining(db, schoolClass.year_id, schoolClass.grade, input.date);
        if (!period) throw invalid(`${russianDate(input.date)} не входит ни в один учебный период ${schoolClass.name}.`);
        from = period.starts_on;
        to = period.ends_on;
        title = period.name;
      }
      const [lessonDays, marks, students] = await Promise.all([
        db
          .selectFrom('lesson as l')
          .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
          .select(['l.date'])
          .select((eb) => eb.fn.countAll<number>().as('lessons'))
          .where('tl.class_id', '=', schoolClass.id)
          .where('l.date', '>=', from)
          .where('l.date', '<=', to)
          .groupBy('l.date')
          .orderBy('l.date')
          .execute(),
        db
          .selectFrom('attendance as a')
          .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
          .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
          .select(['a.student_id', 'l.date', 'a.code'])
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('tl.class_id', '=', schoolClass.id)
          .where('l.date', '>=', from)
          .where('l.date', '<=', to)
          .groupBy(['a.student_id', 'l.date', 'a.code'])
          .orderBy('l.date')
          .execute(),
        labelOptionsFor(db, caller, schoolClass.id).then((labels) => studentsOfLoad(db, { class_id: schoolClass.id, subgroup_id: null }, from, to, labels)),
      ]);
      return {
        classId: schoolClass.id,
        className: schoolClass.name,
        title,
        from,
        to,
        days: lessonDays.map((day) => ({ date: day.date, lessons: Number(day.lessons) })),
        students: students.map((student) => {
          const cells = marks.filter((row) => row.student_id === student.id).map((row) => ({ date: row.date, code: row.code as AttendanceCode, count: Number(row.count) }));
          const totals = attendanceCodes
            .map((code) => ({ code, count: cells.filter((cell) => cell.code === code).reduce((sum, cell) => sum + cell.count, 0) }))
            .filter((total) => total.count > 0);
          return { studentId: student.id, fullName: student.fullName, cells, totals };
        }),
      };
    },
  };
}
