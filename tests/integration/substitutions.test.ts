import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// The substitution register (002 §7A.4, §7A.10; D-2, D-3, D-4): the deputy assigns, the
// substitute writes that lesson only, the kinds decide where the lesson lands, and the
// monthly sheet counts the hours.
//
// Wednesdays in the fixture: mathematics 5А 2nd (Иванова), Russian 5А 5th (Петрова). Added
// here: English 5А group 1 3rd (Сидоров), English 5А group 2 3rd (Иванова), mathematics 1А
// 2nd (Кузнецова); Thursdays: mathematics 5А 1st (Иванова).

describe.each(engines)('substitutions on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
    const entry = (load_id: number, weekday: number, lesson_number: number) =>
      t.core.store.db.insertInto('timetable_entry').values({ load_id, weekday, lesson_number, room: '21', valid_from: '2026-09-01', valid_to: null }).execute();
    await entry(s.loads.english5A1, 3, 3);
    await entry(s.loads.english5A2, 3, 3);
    await entry(s.loads.math1A, 3, 2);
    await entry(s.loads.math5A, 4, 1);
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 14:30')));

  const base = { reason: 'illness' as const, orderNumber: '№ 45-к' };

  it('lists an absent teacher’s lessons with free teachers first (same subject first); clashes and bad assignments are refused and named', async () => {
    const plan = await s.deputy.session.ok('substitutions.plan', { teacherId: s.math.id, from: '2026-10-14', to: '2026-10-15' });
    expect(plan.lessons.map((l) => [l.date, l.lessonNumber, l.className, l.subgroupName])).toEqual([
      ['2026-10-14', 2, '5А', null],
      ['2026-10-14', 3, '5А', '2 группа'],
      ['2026-10-15', 1, '5А', null],
    ]);
    // Wednesday 2nd: Кузнецова teaches 1А then (busy); Петрова and Сидоров are free.
    expect(plan.lessons[0]!.candidates.map((c) => [c.fullName, c.free])).toEqual([
      [s.russian.fullName, true],
      [s.english.fullName, true],
      [s.primary.fullName, false],
    ]);
    expect(plan.lessons[0]!.candidates[2]!.busyWith).toBe('ведёт урок «Математика», 1А');
    // Thursday 1st: everyone is free, the mathematics teacher of 1А comes first.
    expect(plan.lessons[2]!.candidates.map((c) => [c.fullName, c.sameSubject])).toEqual([
      [s.primary.fullName, true],
      [s.russian.fullName, false],
      [s.english.fullName, false],
    ]);
    // Петрова teaches her own subject in 5А: offered for «проведение своего предмета».
    expect(plan.lessons[2]!.candidates[1]).toMatchObject({ ownLoadId: s.loads.russian5A, ownSubjectName: 'Русский язык' });

    const auditBefore = await newestAuditId(t);
    const clash = await s.deputy.session.fails('substitutions.assign', { loadId: s.loads.english5A2, date: '2026-10-14', lessonNumber: 3, substituteId: s.english.id, kind: 'subject', ...base });
    expect(clash.kind).toBe('conflict');
    expect(clash.message).toBe('Сидоров Павел Андреевич в это время (14.10.2026, 3-й урок) ведёт урок «Иностранный язык (английский)», 5А (1 группа).');
    const self = await s.deputy.session.fails('substitutions.assign', { loadId: s.loads.math5A, date: '2026-10-15', lessonNumber: 1, substituteId: s.math.id, kind: 'subject', ...base });
    expect(self).toMatchObject({ kind: 'validation', message: 'Иванова Мария Сергеевна не может заменять сам(а) себя.' });
    const holiday = await s.deputy.session.fails('substitutions.assign', { loadId: s.loads.math5A, date: '2026-11-04', lessonNumber: 2, substituteId: s.russian.id, kind: 'subject', ...base });
    expect(holiday.kind).toBe('validation');
    expect(holiday.message).toContain('каникулы');
    const noLesson = await s.deputy.session.fails('substitutions.assign', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 4, substituteId: s.russian.id, kind: 'subject', ...base });
    expect(noLesson.kind).toBe('validation');
    expect((await s.deputy.session.fails('substitutions.assign', { loadId: s.loads.math5A, date: '2026-10-15', lessonNumber: 1, substituteId: s.primary.id, kind: 'ownSubject', ...base })).message).toContain('не ведёт свой предмет в 5А');
    // Teachers and the director do not keep the register.
    expect((await s.russian.session.fails('substitutions.assign', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2, substituteId: s.russian.id, kind: 'subject', ...base })).kind).toBe('forbidden');
    expect((await s.director.session.fails('substitutions.assign', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2, substituteId: s.russian.id, kind: 'subject', ...base })).kind).toBe('forbidden');
    expect(await newestAuditId(t)).toBe(auditBefore);
    expect(await s.deputy.session.ok('substitutions.list', { from: '2026-10-01', to: '2026-10-31' })).toEqual([]);
  });

  it('assignment → the substitute writes that lesson only; others and the absent teacher are refused; removal keeps the lesson and flags it', async () => {
    // Иванова is ill on Wednesday: Петрова takes mathematics (2nd), Сидоров merges the English groups (3rd).
    const math = await s.deputy.session.ok('substitutions.assign', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2, substituteId: s.russian.id, kind: 'subject', ...base });
    expect(math).toMatchObject({ absentTeacherName: s.math.fullName, substituteName: s.russian.fullName, kind: 'subject', lessonId: null, needsAttention: false });
    const merged = await s.deputy.session.ok('substitutions.assign', { loadId: s.loads.english5A2, date: '2026-10-14', lessonNumber: 3, substituteId: s.english.id, kind: 'merge', ...base });
    // Two substitutions for one slot; a substitute who is absent that day.
    const twice = await s.deputy.session.fails('substitutions.assign', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2, substituteId: s.english.id, kind: 'subject', ...base });
    expect(twice.kind).toBe('conflict');
    expect(twice.message).toContain(s.russian.fullName);
    const absentSubstitute = await s.deputy.session.fails('substitutions.assign', { loadId: s.loads.russian5A, date: '2026-10-14', lessonNumber: 5, substituteId: s.math.id, kind: 'subject', ...base });
    expect(absentSubstitute).toMatchObject({ kind: 'validation', message: 'Иванова Мария Сергеевна 14.10.2026 сам(а) отсутствует по журналу замен.' });

    // The substitute sees the lesson at home and on the page, and writes it.
    expect((await s.russian.session.ok('substitutions.mine', {})).map((m) => [m.date, m.lessonNumber, m.className, m.subjectName])).toEqual([['2026-10-14', 2, '5А', 'Математика']]);
    const before = await s.russian.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(before).toMatchObject({ canEdit: true, load: { access: 'substitute' }, substituteLessons: [{ date: '2026-10-14', lessonNumber: 2, lessonId: null }] });
    const lesson = await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей' });
    expect(lesson).toMatchObject({ substitution: true, givenBy: s.russian.id, givenByName: s.russian.fullName });
    await s.russian.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.belova, value: '5', workTypeId: s.workTypes.oral });
    await s.russian.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId: s.students.volkov, code: 'ОТ', version: 0 });
    // Only that lesson: not a second one, not another day, not moved elsewhere.
    expect((await s.russian.session.fails('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Ещё раз' })).kind).toBe('conflict');
    expect((await s.russian.session.fails('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-13', lessonNumber: 2, topic: 'Вчера' })).kind).toBe('forbidden');
    expect((await s.russian.session.fails('journal.saveLesson', { loadId: s.loads.math5A, lessonId: lesson.id, version: lesson.version, date: '2026-10-13', lessonNumber: 2, topic: 'Сложение дробей' })).kind).toBe('forbidden');
    // The absent teacher does not write the lesson given away; another teacher is refused.
    expect((await s.math.session.fails('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Моя тема' })).message).toContain('заменяющий учитель');
    expect((await s.primary.session.fails('journal.saveMark', { lessonId: lesson.id, studentId: s.students.egorova, value: '2', workTypeId: s.workTypes.oral })).kind).toBe('forbidden');
    // Merged groups: Сидоров writes group 2's lesson (the number comes from the assignment).
    const groupTwo = await s.english.session.ok('journal.saveLesson', { loadId: s.loads.english5A2, date: '2026-10-14', topic: 'Present Simple' });
    expect(groupTwo).toMatchObject({ lessonNumber: 3, substitution: true, givenByName: s.english.fullName });
    await s.english.session.ok('journal.saveMark', { lessonId: groupTwo.id, studentId: s.students.grigorieva, value: '4', workTypeId: s.workTypes.oral });
    // Group 2's page lists group 2 only.
    const groupPage = await s.english.session.ok('journal.page', { loadId: s.loads.english5A2 });
    expect(groupPage.students.map((st) => st.id)).not.toContain(s.students.alekseev);

    // The load's teacher sees the lesson, attributed.
    const mathPage = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(mathPage.lessons.find((l) => l.id === lesson.id)).toMatchObject({ givenByName: s.russian.fullName, substitution: true });

    // Removed after the lesson was written: the lesson stays, the register flags it.
    const auditBefore = await newestAuditId(t);
    await s.deputy.session.ok('substitutions.remove', { id: math.id, reason: 'Ошибка в приказе' });
    expect(await newestAuditId(t)).toBeGreaterThan(auditBefore);
    const listed = await s.deputy.session.ok('substitutions.list', { from: '2026-10-14', to: '2026-10-14' });
    expect(listed.find((r) => r.id === math.id)).toMatchObject({ needsAttention: true, lessonId: lesson.id, removedByName: s.deputy.fullName, removedReason: 'Ошибка в приказе' });
    expect(listed.find((r) => r.id === merged.id)).toMatchObject({ needsAttention: false, lessonId: groupTwo.id });
    expect((await s.math.session.ok('journal.page', { loadId: s.loads.math5A })).lessons.find((l) => l.id === lesson.id)).toMatchObject({ givenByName: s.russian.fullName });
    expect(await s.russian.session.ok('substitutions.mine', {})).toEqual([]);
    expect((await s.deputy.session.fails('substitutions.remove', { id: math.id, reason: 'Снова' })).kind).toBe('conflict');
  });

  it('kinds: «проведение своего предмета» lands on the substitute’s page; a cancelled lesson appears in neither', async () => {
    const own = await s.deputy.session.ok('substitutions.assign', { loadId: s.loads.math5A, date: '2026-10-15', lessonNumber: 1, substituteId: s.russian.id, kind: 'ownSubject', reason: 'courses', orderNumber: '№ 46-к' });
    expect(own).toMatchObject({ targetLoadId: s.loads.russian5A, targetSubjectName: 'Русский язык' });
    await s.travel(tomsk('2026-10-15 10:00'));
    // Not into the mathematics page …
    expect((await s.russian.session.fails('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-15', lessonNumber: 1, topic: 'Причастие' })).kind).toBe('forbidden');
    // … but her own Russian page, as her own lesson.
    const lesson = await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.russian5A, date: '2026-10-15', lessonNumber: 1, topic: 'Причастие' });
    expect(lesson.substitution).toBe(false);
    const [listed] = await s.deputy.session.ok('substitutions.list', { from: '2026-10-15', to: '2026-10-15' });
    expect(listed).toMatchObject({ id: own.id, lessonId: lesson.id });
    const mathPage = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(mathPage.lessons.some((l) => l.date === '2026-10-15')).toBe(false);

    // Cancelled: nobody substitutes, and the absent teacher does not write it either.
    const cancelled = await s.deputy.session.ok('substitutions.assign', { loadId: s.loads.russian5A, date: '2026-10-21', lessonNumber: 5, substituteId: null, kind: 'cancelled', reason: 'trip', orderNumber: '' });
    expect(cancelled).toMatchObject({ substituteId: null, substituteName: null, kind: 'cancelled' });
    await s.travel(tomsk('2026-10-21 15:00'));
    expect((await s.russian.session.fails('journal.saveLesson', { loadId: s.loads.russian5A, date: '2026-10-21', lessonNumber: 5, topic: 'x' })).message).toContain('отменён');
    expect((await s.english.session.fails('journal.saveLesson', { loadId: s.loads.russian5A, date: '2026-10-21', lessonNumber: 5, topic: 'x' })).kind).toBe('forbidden');
    const withSubstitute = await s.deputy.session.fails('substitutions.assign', { loadId: s.loads.russian5A, date: '2026-10-28', lessonNumber: 5, substituteId: s.english.id, kind: 'cancelled', reason: 'trip' });
    expect(withSubstitute.kind).toBe('validation');
  });

  it('a closed year: the register is read-only', async () => {
    await t.core.store.db.updateTable('academic_year').set({ closed_at: '2027-08-31T10:00:00.000Z' }).where('id', '=', s.yearId).execute();
    try {
      const before = await newestAuditId(t);
      const refused = await s.deputy.session.fails('substitutions.assign', { loadId: s.loads.math5A, date: '2026-10-28', lessonNumber: 2, substituteId: s.english.id, kind: 'subject', ...base });
      expect(refused.kind).toBe('locked');
      expect(await newestAuditId(t)).toBe(before);
    } finally {
      await t.core.store.db.updateTable('academic_year').set({ closed_at: null }).where('id', '=', s.yearId).execute();
    }
  });

  it('the monthly sheet counts a hand-built month: hours substituted by kind and hours missed; PDF and XLSX carry the same figures', async () => {
    const db = t.core.store.db;
    await db.deleteFrom('substitution').execute();
    const row = (date: string, lesson_number: number, load_id: number, absent: number, substitute: number | null, kind: string, removed = false) =>
      db
        .insertInto('substitution')
        .values({ year_id: s.yearId, date, lesson_number, load_id, absent_teacher_id: absent, substitute_id: substitute, kind, reason: 'illness', order_number: '', note: '', target_load_id: null, lesson_id: null, created_at: '2026-10-01T00:00:00.000Z', created_by: s.adminId, removed_at: removed ? '2026-10-02T00:00:00.000Z' : null, removed_by: removed ? s.adminId : null, removed_reason: removed ? 'ошибка' : null })
        .execute();
    // Иванова ill: Петрова 3 by subject and 1 with her own subject, Сидоров merges twice, one cancelled.
    await row('2026-10-05', 1, s.loads.math5A, s.math.id, s.russian.id, 'subject');
    await row('2026-10-05', 2, s.loads.math5A, s.math.id, s.russian.id, 'subject');
    await row('2026-10-06', 1, s.loads.math5A, s.math.id, s.russian.id, 'subject');
    await row('2026-10-06', 2, s.loads.math5A, s.math.id, s.russian.id, 'ownSubject');
    await row('2026-10-07', 3, s.loads.english5A2, s.math.id, s.english.id, 'merge');
    await row('2026-10-08', 3, s.loads.english5A2, s.math.id, s.english.id, 'merge');
    await row('2026-10-09', 1, s.loads.math5A, s.math.id, null, 'cancelled');
    // Петрова away: Кузнецова twice.
    await row('2026-10-20', 5, s.loads.russian5A, s.russian.id, s.primary.id, 'subject');
    await row('2026-10-21', 5, s.loads.russian5A, s.russian.id, s.primary.id, 'subject');
    // Not counted: removed, and another month.
    await row('2026-10-22', 5, s.loads.russian5A, s.russian.id, s.english.id, 'subject', true);
    await row('2026-11-11', 2, s.loads.math5A, s.math.id, s.russian.id, 'subject');

    const sheet = await s.deputy.session.ok('substitutions.sheet', { month: '2026-10' });
    expect(sheet.title).toBe('Табель учёта замещённых уроков за октябрь 2026 г.');
    expect(sheet.rows.map((r) => [r.teacherName, r.subject, r.ownSubject, r.merge, r.missed, r.cancelled])).toEqual([
      ['Иванова Мария Сергеевна', 0, 0, 0, 7, 1],
      ['Кузнецова Елена Ивановна', 2, 0, 0, 0, 0],
      ['Петрова Анна Викторовна', 3, 1, 0, 2, 0],
      ['Сидоров Павел Андреевич', 0, 0, 2, 0, 0],
    ]);
    expect((await s.deputy.session.ok('substitutions.sheet', { month: '2026-10', teacherId: s.russian.id })).rows).toHaveLength(1);
    expect((await s.russian.session.fails('substitutions.sheet', { month: '2026-10' })).kind).toBe('forbidden');

    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-sheet-'));
    try {
      const pdf = await s.deputy.session.ok('substitutions.sheetFile', { month: '2026-10', format: 'pdf' });
      expect(pdf.fileName).toBe('Табель замен 2026-10.pdf');
      const pdfFile = join(dir, 'sheet.pdf');
      writeFileSync(pdfFile, Buffer.from(pdf.base64, 'base64'));
      const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
      expect(text).toContain('Табель учёта замещённых уроков за октябрь 2026 г.');
      expect(text).toMatch(/Петрова Анна Викторовна\s+3\s+1\s+0\s+4\s+2\s+0/);
      expect(text).toMatch(/Иванова Мария Сергеевна\s+0\s+0\s+0\s+0\s+7\s+1/);
      expect(text).toContain('Заместитель директора по УВР');

      const xlsx = await s.deputy.session.ok('substitutions.sheetFile', { month: '2026-10', format: 'xlsx' });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(xlsx.base64, 'base64') as unknown as ArrayBuffer);
      const values: unknown[][] = [];
      workbook.worksheets[0]!.eachRow((r) => values.push((r.values as unknown[]).slice(1)));
      expect(values).toContainEqual(['Петрова Анна Викторовна', 3, 1, 0, 4, 2, 0]);
      expect(values).toContainEqual(['Сидоров Павел Андреевич', 0, 0, 2, 2, 0, 0]);
      expect(values.some((v) => String(v[0]).startsWith('Заместитель директора по УВР'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(engines)('lesson transfers on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
    // Thursdays: English group 1 at the 3rd lesson (Сидоров).
    await t.core.store.db.insertInto('timetable_entry').values({ load_id: s.loads.english5A1, weekday: 4, lesson_number: 3, room: '21', valid_from: '2026-09-01', valid_to: null }).execute();
  });
  afterAll(async () => t?.close());

  it('a lesson moved for one day shows on that day’s timetable and the teacher’s home, gone from its own slot; clashes are refused and named', async () => {
    await s.travel(tomsk('2026-10-14 07:00'));
    // Mathematics of Wednesday 21 October, 2nd lesson, moves to Thursday 22 October, 4th.
    const auditBefore = await newestAuditId(t);
    const teacherClash = await s.deputy.session.fails('transfers.add', { loadId: s.loads.english5A2, fromDate: '2026-10-21', fromLessonNumber: 3, toDate: '2026-10-21', toLessonNumber: 2, reason: 'Олимпиада' });
    expect(teacherClash.kind).toBe('validation'); // group 2 has no Wednesday lesson in this school
    const classClash = await s.deputy.session.fails('transfers.add', { loadId: s.loads.math5A, fromDate: '2026-10-21', fromLessonNumber: 2, toDate: '2026-10-22', toLessonNumber: 3, reason: 'Олимпиада' });
    expect(classClash).toMatchObject({ kind: 'conflict', message: 'У 5А в это время (22.10.2026, 3 урок) уже стоит урок «Иностранный язык (английский)» (Сидоров П. А.).' });
    const holiday = await s.deputy.session.fails('transfers.add', { loadId: s.loads.math5A, fromDate: '2026-10-21', fromLessonNumber: 2, toDate: '2026-10-28', toLessonNumber: 3, reason: 'Олимпиада' });
    expect(holiday.kind).toBe('validation');
    expect(holiday.message).toContain('каникулы');
    expect((await s.math.session.fails('transfers.add', { loadId: s.loads.math5A, fromDate: '2026-10-21', fromLessonNumber: 2, toDate: '2026-10-22', toLessonNumber: 4, reason: 'x' })).kind).toBe('forbidden');
    expect(await newestAuditId(t)).toBe(auditBefore);

    const moved = await s.deputy.session.ok('transfers.add', { loadId: s.loads.math5A, fromDate: '2026-10-21', fromLessonNumber: 2, toDate: '2026-10-22', toLessonNumber: 4, reason: 'Олимпиада', orderNumber: '№ 50' });
    expect(moved).toMatchObject({ className: '5А', subjectName: 'Математика', teacherName: s.math.fullName, room: '21' });

    const thursday = await s.deputy.session.ok('transfers.day', { date: '2026-10-22', classId: s.class5A });
    expect(thursday.lessons.map((l) => [l.lessonNumber, l.subjectName, l.transferredFrom])).toEqual([
      [3, 'Иностранный язык (английский)', null],
      [4, 'Математика', 'перенесён с 21.10.2026, 2 урок'],
    ]);
    const wednesday = await s.deputy.session.ok('transfers.day', { date: '2026-10-21', classId: s.class5A });
    expect(wednesday.lessons.map((l) => [l.lessonNumber, l.subjectName])).toEqual([[5, 'Русский язык']]);

    const homeThursday = await s.math.session.ok('timetable.today', { date: '2026-10-22' });
    expect(homeThursday.lessons.map((l) => [l.lessonNumber, l.subjectName, l.transferredFrom])).toEqual([[4, 'Математика', 'перенесён с 21.10.2026, 2 урок']]);
    expect((await s.math.session.ok('timetable.today', { date: '2026-10-21' })).lessons).toEqual([]);
    // The week after, the timetable is as before.
    expect((await s.math.session.ok('timetable.today', { date: '2026-10-28' })).holiday).toBeNull();
    expect((await s.math.session.ok('timetable.today', { date: '2026-11-11' })).lessons.map((l) => l.lessonNumber)).toEqual([2]);

    // The same lesson cannot be moved twice; removing the transfer restores the day.
    expect((await s.deputy.session.fails('transfers.add', { loadId: s.loads.math5A, fromDate: '2026-10-21', fromLessonNumber: 2, toDate: '2026-10-22', toLessonNumber: 5, reason: 'Олимпиада' })).kind).toBe('validation');
    await s.deputy.session.ok('transfers.remove', { id: moved.id });
    expect((await s.math.session.ok('timetable.today', { date: '2026-10-21' })).lessons.map((l) => l.lessonNumber)).toEqual([2]);
    expect(await s.deputy.session.ok('transfers.list', { from: '2026-10-01', to: '2026-10-31' })).toEqual([]);
  });
});

describe.each(engines)('the control-work schedule on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 14:30')));

  it('planning warns over the school’s limits (1 a day, 3 a week), never refuses; a correction keeps the first date and the reason', async () => {
    const plan = (loadId: number, date: string) => s.deputy.session.ok('controlWorks.plan', { loadId, date, title: 'Контрольная работа' });
    const math = await plan(s.loads.math5A, '2026-10-21');
    expect(math.warnings).toEqual([]);
    const russian = await plan(s.loads.russian5A, '2026-10-21');
    expect(russian.warnings).toEqual(['У 5А 21.10.2026 будет 2 контрольных работы («Математика» 21.10.2026, «Русский язык» 21.10.2026) — больше нормы школы (1 в день).']);
    expect((await plan(s.loads.english5A1, '2026-10-19')).warnings).toEqual([]);
    const fourth = await plan(s.loads.english5A2, '2026-10-20');
    expect(fourth.warnings).toHaveLength(1);
    expect(fourth.warnings[0]).toMatch(/^У 5А на неделе с 19\.10\.2026 будет 4 контрольных работы \(.*\) — больше нормы школы \(3 в неделю\)\.$/);

    const moved = await s.deputy.session.ok('controlWorks.move', { id: math.work.id, date: '2026-10-22', reason: 'Перенос урока из-за олимпиады' });
    expect(moved.work).toMatchObject({ date: '2026-10-22', plannedDate: '2026-10-21', correctionReason: 'Перенос урока из-за олимпиады' });
    expect(moved.warnings).toHaveLength(1); // still four that week
    expect((await s.deputy.session.fails('controlWorks.move', { id: math.work.id, date: '2026-10-22', reason: '' })).kind).toBe('validation');
    expect((await s.deputy.session.fails('controlWorks.plan', { loadId: s.loads.math5A, date: '2026-11-02', title: 'x' })).message).toContain('каникулы');
    expect((await s.math.session.fails('controlWorks.plan', { loadId: s.loads.math5A, date: '2026-10-23', title: 'x' })).kind).toBe('forbidden');
    // Teachers read the schedule.
    const listed = await s.math.session.ok('controlWorks.list', { from: '2026-10-19', to: '2026-10-25', classId: s.class5A });
    expect(listed.map((w) => [w.date, w.subjectName, w.subgroupName])).toEqual([
      ['2026-10-19', 'Иностранный язык (английский)', '1 группа'],
      ['2026-10-20', 'Иностранный язык (английский)', '2 группа'],
      ['2026-10-21', 'Русский язык', null],
      ['2026-10-22', 'Математика', null],
    ]);
  });

  it('a work without marks after its grade’s days is overdue for the deputy; marks or a longer setting clear it', async () => {
    // Grade 5: 3 days. 7 October → due 10 October, overdue by 4 on the 14th; 12 October → due the 15th.
    const early = await s.deputy.session.ok('controlWorks.plan', { loadId: s.loads.math5A, date: '2026-10-07', title: 'Контрольная работа № 1' });
    await s.deputy.session.ok('controlWorks.plan', { loadId: s.loads.russian5A, date: '2026-10-12', title: 'Диктант' });
    const overdue = await s.deputy.session.ok('controlWorks.overdue', {});
    expect(overdue.map((o) => [o.work.id, o.work.subjectName, o.work.teacherName, o.dueDate, o.daysOverdue])).toEqual([[early.work.id, 'Математика', s.math.fullName, '2026-10-10', 4]]);
    expect((await s.math.session.fails('controlWorks.overdue', {})).kind).toBe('forbidden');

    // A longer setting for grade 5 (10 days) clears it; back to 3, then a mark clears it.
    const settings = await s.deputy.session.ok('controlWorks.settings', {});
    expect(settings).toMatchObject({ perDay: 1, perWeek: 3 });
    expect(settings.dueDaysByGrade.slice(2, 13)).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4]);
    const longer = [...settings.dueDaysByGrade];
    longer[5] = 10;
    await s.deputy.session.ok('controlWorks.saveSettings', { ...settings, dueDaysByGrade: longer });
    expect(await s.deputy.session.ok('controlWorks.overdue', {})).toEqual([]);
    await s.deputy.session.ok('controlWorks.saveSettings', settings);
    const lesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-07', lessonNumber: 2, topic: 'Контрольная работа № 1' });
    await s.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.belova, value: '4', workTypeId: s.workTypes.test });
    expect(await s.deputy.session.ok('controlWorks.overdue', {})).toEqual([]);
  });
});
