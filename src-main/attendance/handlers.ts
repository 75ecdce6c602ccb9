import { labelOptionsFor } from '../students/visibility';
import { forbidden, invalid, notFound } from '../core/errors';
import { defineHandlers } from '../core/handlers';
import { readsEverything, requireClassTeacher, requireOpenYear } from '../journal/access';
import { cellKey, lessonAndLoad, requireCellOpen, staleCell, writeAttendance } from '../journal/cells';
import { environmentOf, schoolClock } from '../journal/environment';
import { findAttendance, studentsOfLoad } from '../journal/repository';
import { saveOnce } from '../journal/save-once';
import { attendanceSpanHandlers } from './span';

// The class teacher's attendance (attendance.*, D-28): a class's day across every
// lesson, the reasons for absences, and the week and period views (span.ts). The teacher's
// own mark in a lesson's cell is journal.setAttendance (src-main/journal/attendance-cell.ts).

export function attendanceHandlers() {
  return defineHandlers({
    async 'attendance.classDay'(input, ctx) {
      const caller = ctx.requireCaller();
      const db = ctx.store.db;
      const schoolClass = await db.selectFrom('school_class').select(['id', 'name', 'class_teacher_id']).where('id', '=', input.classId).executeTakeFirst();
      if (!schoolClass) throw notFound('Класс не найден.');
      const isClassTeacher = schoolClass.class_teacher_id === caller.userId;
      if (!isClassTeacher && !readsEverything(caller)) throw forbidden(`Посещаемость ${schoolClass.name} за день видит классный руководитель и администрация.`);
      const [lessons, absences, students] = await Promise.all([
        db
          .selectFrom('lesson as l')
          .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
          .innerJoin('subject as s', 's.id', 'tl.subject_id')
          .innerJoin('app_user as u', 'u.id', 'l.given_by')
          .select(['l.id', 'l.load_id', 'l.lesson_number', 's.name as subject_name', 'u.full_name'])
          .where('tl.class_id', '=', schoolClass.id)
          .where('l.date', '=', input.date)
          .orderBy('l.lesson_number')
          .orderBy('l.id')
          .execute(),
        db
          .selectFrom('attendance as a')
          .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
          .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
          .select(['a.lesson_id', 'a.student_id', 'a.code', 'a.version'])
          .where('tl.class_id', '=', schoolClass.id)
          .where('l.date', '=', input.date)
          .execute(),
        labelOptionsFor(db, caller, schoolClass.id).then((labels) => studentsOfLoad(db, { class_id: schoolClass.id, subgroup_id: null }, input.date, input.date, labels)),
      ]);
      let unresolvedTotal = 0;
      return {
        classId: schoolClass.id,
        className: schoolClass.name,
        date: input.date,
        canResolve: isClassTeacher,
        lessons: lessons.map((l) => ({ lessonId: l.id, loadId: l.load_id, lessonNumber: l.lesson_number, subjectName: l.subject_name, teacherName: l.full_name })),
        students: students.map((s) => {
          const cells = absences.filter((a) => a.student_id === s.id).map((a) => ({ lessonId: a.lesson_id, code: a.code as 'ОТ', version: a.version }));
          const unresolved = cells.filter((c) => c.code === 'ОТ').length;
          unresolvedTotal += unresolved;
          return { studentId: s.id, fullName: s.fullName, cells, unresolved };
        }),
        unresolvedTotal,
      };
    },

    async 'attendance.resolve'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'attendance.resolve', input.idempotencyKey, async (tx) => {
        const { lesson, load } = await lessonAndLoad(tx, input.lessonId);
        requireOpenYear(load);
        requireClassTeacher(caller, load.class_teacher_id, load.class_name);
        const env = await environmentOf(ctx, tx);
        requireCellOpen(env, schoolClock(ctx.now(), env).today, lesson.date, false);
        const current = await findAttendance(tx, lesson.id, input.studentId);
        if (!current || current.code === 'ОП') throw invalid('Ученик не отмечен отсутствующим на этом уроке: причину указывать не для чего.');
        if (current.version !== input.version) {
          throw await staleCell(tx, env, ['attendance'], cellKey(lesson.id, input.studentId), { code: current.code, version: current.version }, `«${current.code}»`, { userId: current.updated_by, at: current.updated_at });
        }
        const result = await writeAttendance(tx, ctx, { lessonId: lesson.id, studentId: input.studentId }, current, input.code, 'attendance.resolve');
        return result!;
      });
    },

    async 'attendance.resolveDay'(input, ctx) {
      const caller = ctx.requireCaller();
      return saveOnce(ctx, 'attendance.resolveDay', input.idempotencyKey, async (tx) => {
        const schoolClass = await tx
          .selectFrom('school_class as c')
          .innerJoin('academic_year as y', 'y.id', 'c.year_id')
          .select(['c.id', 'c.name', 'c.class_teacher_id', 'y.closed_at as year_closed_at'])
          .where('c.id', '=', input.classId)
          .executeTakeFirst();
        if (!schoolClass) throw notFound('Класс не найден.');
        requireOpenYear(schoolClass);
        requireClassTeacher(caller, schoolClass.class_teacher_id, schoolClass.name);
        const env = await environmentOf(ctx, tx);
        requireCellOpen(env, schoolClock(ctx.now(), env).today, input.date, false);
        const open = await tx
          .selectFrom('attendance as a')
          .innerJoin('lesson as l', 'l.id', 'a.lesson_id')
          .innerJoin('teaching_load as tl', 'tl.id', 'l.load_id')
          .selectAll('a')
          .where('tl.class_id', '=', schoolClass.id)
          .where('l.date', '=', input.date)
          .where('a.student_id', '=', input.studentId)
          .where('a.code', '=', 'ОТ')
          .execute();
        for (const row of open) {
          await writeAttendance(tx, ctx, { lessonId: row.lesson_id, studentId: row.student_id }, row, input.code, 'attendance.resolve');
        }
        return { changed: open.length };
      });
    },

    ...attendanceSpanHandlers(),
  });
}
