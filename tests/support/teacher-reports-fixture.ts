import type { Db } from '../../src-main/store/database';
import type { JournalSchool } from './journal-fixture';

// The journal behind the subject teacher's report, the school attendance summary and the
// class teacher's risk group (tests/integration/reports-teacher.test.ts counts every figure
// by hand; tests/e2e/reports-forms.spec.ts shows them on screen): lessons, a КТП, the
// schedule of control works, marks, absences and finals of 01.09–14.10.2026, written
// straight into the database of tests/support/journal-fixture.ts. Returns the id of
// mathematics.

export async function writeTeacherReportsJournal(db: Db, s: JournalSchool): Promise<number> {
  const at = '2026-10-01T00:00:00.000Z';
  const mathSubject = (await db.selectFrom('teaching_load').select('subject_id').where('id', '=', s.loads.math5A).executeTakeFirstOrThrow()).subject_id;

  // The curriculum: mathematics in grade 5 five hours a week (the load itself says 3);
  // English has no curriculum line, so its load's 3 hours count. Monday 05.10 is a holiday.
  await db.insertInto('curriculum_hours').values({ year_id: s.yearId, subject_id: mathSubject, grade: 5, hours_per_week: 5 }).execute();
  await db.insertInto('holiday').values({ year_id: s.yearId, name: 'День учителя', starts_on: '2026-10-05', ends_on: '2026-10-05' }).execute();

  // The КТП of mathematics 5А: 1 h on 02.09, the control work (1 h) on 09.09, 2 h in week 7
  // (from Monday 12.10), 1 h on 20.10.
  const plan = await db
    .insertInto('plan')
    .values({ load_id: s.loads.math5A, year_id: s.yearId, status: 'approved', hours_note: '', review_comment: '', submitted_at: null, submitted_by: null, decided_at: null, decided_by: null, created_at: at, created_by: s.math.id, updated_at: at, updated_by: s.math.id, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const planRow = (number: number, topic: string, hours: number, plannedDate: string | null, plannedWeek: number | null, controlWork = 0) =>
    db
      .insertInto('plan_row')
      .values({ plan_id: plan.id, number, section: '', topic, hours, planned_date: plannedDate, planned_week: plannedWeek, control_work: controlWork, work_type_id: null, homework: '' })
      .returning('id')
      .executeTakeFirstOrThrow();
  await planRow(1, 'Натуральные числа', 1, '2026-09-02', null);
  const controlRow = await planRow(2, 'Контрольная работа № 1', 1, '2026-09-09', null, 1);
  await planRow(3, 'Уравнения', 2, null, 7);
  await planRow(4, 'Проценты', 1, '2026-10-20', null);

  const lessons: Record<string, number> = {};
  const lesson = async (name: string, loadId: number, teacherId: number, date: string, planRowId: number | null = null) => {
    const row = await db
      .insertInto('lesson')
      .values({ load_id: loadId, date, lesson_number: 2, topic: name, material: '', homework: 'стр. 5', homework_for: null, work_types: '[]', comment: '', given_by: teacherId, substitution: 0, created_at: at, created_by: teacherId, topic_entered_at: at, homework_entered_at: at, topic_late: 0, homework_late: 0, version: 1, plan_row_id: planRowId })
      .returning('id')
      .executeTakeFirstOrThrow();
    lessons[name] = row.id;
  };
  // Mathematics 5А (Иванова): six lessons by 14.10; L2 takes the КТП's control work.
  await lesson('L1', s.loads.math5A, s.math.id, '2026-09-02');
  await lesson('L2', s.loads.math5A, s.math.id, '2026-09-09', controlRow.id);
  await lesson('L3', s.loads.math5A, s.math.id, '2026-09-16');
  await lesson('L4', s.loads.math5A, s.math.id, '2026-10-07');
  await lesson('L5', s.loads.math5A, s.math.id, '2026-10-12');
  await lesson('L6', s.loads.math5A, s.math.id, '2026-10-14');
  await lesson('G1', s.loads.english5A2, s.math.id, '2026-09-03'); // English group 2 (Иванова)
  await lesson('E1', s.loads.english5A1, s.english.id, '2026-09-03'); // English group 1 (Сидоров)
  await lesson('R1', s.loads.russian5A, s.russian.id, '2026-09-02');
  await lesson('P1', s.loads.math1A, s.primary.id, '2026-09-02');

  // The schedule of control works: 09.09 again (the same work), 07.10 (L4), 16.09 removed.
  const work = (date: string, removed: string | null = null) =>
    db.insertInto('control_work').values({ year_id: s.yearId, load_id: s.loads.math5A, date, title: 'Контрольная работа', planned_date: date, correction_reason: null, created_at: at, created_by: s.deputy.id, removed_at: removed }).execute();
  await work('2026-09-09');
  await work('2026-10-07');
  await work('2026-09-16', at);

  const st = s.students;
  const mark = (lessonName: string, studentId: number, value: string, workType: number) =>
    db
      .insertInto('mark')
      .values({ lesson_id: lessons[lessonName]!, student_id: studentId, value, work_type_id: workType, comment: '', make_up: 0, created_at: at, created_by: s.math.id, updated_at: at, updated_by: s.math.id, version: 1, late: 0 })
      .execute();
  const { oral, test } = s.workTypes; // weights 1 and 2
  await mark('L1', st.alekseev, '5', oral);
  await mark('L1', st.belova, '3', oral);
  await mark('L1', st.davydov, '4', oral);
  await mark('L2', st.davydov, '5', test);
  await mark('L2', st.grigorieva, 'н/а', oral);
  await mark('L4', st.egorova, '5', test);
  await mark('L4', st.alekseev, '3', test);
  await mark('L4', st.belova, '2', test);
  await mark('G1', st.egorova, '4', oral);
  await mark('R1', st.alekseev, '5', oral);

  const absent = (lessonName: string, studentId: number, code: string) =>
    db.insertInto('attendance').values({ lesson_id: lessons[lessonName]!, student_id: studentId, code, updated_at: at, updated_by: s.math.id, version: 1 }).execute();
  await absent('L2', st.volkov, 'ОТ');
  await absent('L2', st.belova, 'Б');
  await absent('L4', st.volkov, 'НП');
  await absent('L4', st.egorova, 'ОП'); // late, not missed
  await absent('L5', st.volkov, 'Б');
  await absent('R1', st.grigorieva, 'УП');
  await absent('E1', st.volkov, 'Б');
  await absent('P1', s.students1A[0]!, 'Б');
  await absent('P1', s.students1A[1]!, 'ОП');

  const final = (loadId: number, studentId: number, kind: 'period' | 'year', value: string, deferred = 0) =>
    db
      .insertInto('final_mark')
      .values({ load_id: loadId, student_id: studentId, kind, period_id: kind === 'period' ? s.periods.q1 : null, value, suggested: '', deferred, updated_at: '2026-10-14T05:00:00.000Z', updated_by: s.math.id, version: 1 })
      .execute();
  for (const [studentId, value] of [
    [st.alekseev, '5'],
    [st.belova, '4'],
    [st.volkov, '2'],
    [st.grigorieva, 'н/а'],
    [st.egorova, '5'],
    [st.davydov, '4'], // left on 05.10: not on the list at the period's end
  ] as const)
    await final(s.loads.math5A, studentId, 'period', value);
  await final(s.loads.english5A2, st.grigorieva, 'period', '', 1); // deferred: not counted
  await final(s.loads.english5A2, st.egorova, 'period', '4');
  await final(s.loads.math5A, st.alekseev, 'year', '5');
  await final(s.loads.math5A, st.belova, 'year', '3');
  await final(s.loads.math5A, st.davydov, 'year', '4'); // left: not counted
  return mathSubject;
}
