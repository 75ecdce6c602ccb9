import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type TestSession } from '../support/client';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, PASSWORD, tomsk, type JournalSchool } from '../support/journal-fixture';

// Late changes past the 14-day edit window (D-25): a lesson's date cannot be used to slip
// past the window, and nobody decides on their own change request.

const journalEntities = new Set(['lesson', 'mark', 'attendance']);

describe.each(engines)('late changes on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
  });
  afterAll(async () => t?.close());

  /** Journal records (lessons, marks, attendance) written at or after `since`. */
  async function journalAuditSince(since: string) {
    return (await s.admin.ok('audit.list', { since, limit: 1000 })).filter((r) => journalEntities.has(r.entity));
  }

  it('a lesson of 10.11 moved to today, its mark changed and moved back: every step refused, nothing changed or audited', async () => {
    await s.travel(tomsk('2026-11-10 10:00'));
    const old = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-11-10', topic: 'Десятичные дроби' });
    const mark = await s.math.session.ok('journal.saveMark', { lessonId: old.id, studentId: s.students.belova, value: '2', workTypeId: s.workTypes.oral });
    await s.math.session.ok('journal.setAttendance', { lessonId: old.id, studentId: s.students.volkov, code: 'ОТ', version: 0 });
    await s.travel(tomsk('2026-12-03 09:00'));
    const fresh = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-12-03', topic: 'Проценты' });
    const freshMark = await s.math.session.ok('journal.saveMark', { lessonId: fresh.id, studentId: s.students.egorova, value: '5', workTypeId: s.workTypes.oral });

    const since = tomsk('2026-12-03 10:00');
    await s.travel(since);
    // 1. The lesson of 10.11 (23 days ago) is moved to today.
    const moved = await s.math.session.fails('journal.saveLesson', { loadId: s.loads.math5A, lessonId: old.id, version: old.version, date: '2026-12-03', topic: 'Десятичные дроби' });
    expect(moved).toMatchObject({ kind: 'locked', details: { reason: 'editWindow', requestable: true } });
    expect(moved.message).toBe('Перенести урок с 10.11 на 03.12 можно только через запрос заместителю директора или администратору: дата 10.11 старше 14 дней.');
    // 2. Its mark and attendance stay locked: measured against the date in the database.
    const markChange = await s.math.session.fails('journal.saveMark', { lessonId: old.id, studentId: s.students.belova, markId: mark.id, version: mark.version, value: '5', workTypeId: s.workTypes.oral });
    expect(markChange).toMatchObject({ kind: 'locked', details: { reason: 'editWindow' } });
    expect((await s.math.session.fails('journal.deleteMark', { markId: mark.id, version: mark.version })).kind).toBe('locked');
    expect((await s.math.session.fails('journal.setAttendance', { lessonId: old.id, studentId: s.students.volkov, code: null, version: 1 })).kind).toBe('locked');
    // 3. The other way round: today's lesson moved into the past beyond the window.
    const back = await s.math.session.fails('journal.saveLesson', { loadId: s.loads.math5A, lessonId: fresh.id, version: fresh.version, date: '2026-11-10', topic: 'Проценты' });
    expect(back).toMatchObject({ kind: 'locked', details: { reason: 'editWindow', requestable: true } });
    expect(back.message).toContain('дата 10.11 старше 14 дней');

    const page = await s.deputy.session.ok('journal.page', { loadId: s.loads.math5A, periodId: s.periods.q2 });
    expect(page.lessons.filter((l) => l.id === old.id || l.id === fresh.id).map((l) => [l.id, l.date, l.version]).sort()).toEqual(
      [
        [old.id, '2026-11-10', 1],
        [fresh.id, '2026-12-03', 1],
      ].sort(),
    );
    expect(page.marks.filter((m) => m.id === mark.id || m.id === freshMark.id).map((m) => [m.id, m.value, m.version]).sort()).toEqual(
      [
        [mark.id, '2', 1],
        [freshMark.id, '5', 1],
      ].sort(),
    );
    expect(page.attendance.filter((a) => a.lessonId === old.id).map((a) => [a.studentId, a.code])).toEqual([[s.students.volkov, 'ОТ']]);
    expect(await journalAuditSince(since)).toEqual([]);
    expect((await s.admin.ok('changes.list', { status: 'all' })).length).toBe(0);
  });

  it('a lesson is moved within the window directly; across it only through an approved request, audited with the reason', async () => {
    await s.travel(tomsk('2026-12-03 11:00'));
    const today = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-12-03', topic: 'Проценты от числа' });
    const movedInWindow = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, lessonId: today.id, version: today.version, date: '2026-11-19', topic: 'Проценты от числа' });
    expect(movedInWindow).toMatchObject({ date: '2026-11-19', version: 2 });
    // A request is for late changes only.
    const needless = await s.math.session.fails('changes.request', { target: { kind: 'lessonDate', lessonId: today.id, version: 2, date: '2026-11-20' }, reason: 'Не та дата' });
    expect(needless.kind).toBe('validation');

    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A, periodId: s.periods.q2 });
    const old = page.lessons.find((l) => l.date === '2026-11-10')!;
    // Another teacher cannot ask to move this teacher's lesson; a date ahead of today is no date for a lesson.
    expect((await s.english.session.fails('changes.request', { target: { kind: 'lessonDate', lessonId: old.id, version: old.version, date: '2026-11-12' }, reason: 'Перенос' })).kind).toBe('forbidden');
    expect((await s.math.session.fails('changes.request', { target: { kind: 'lessonDate', lessonId: old.id, version: old.version, date: '2026-12-04' }, reason: 'Перенос' })).kind).toBe('validation');

    const { id } = await s.math.session.ok('changes.request', { target: { kind: 'lessonDate', lessonId: old.id, version: old.version, date: '2026-11-12' }, reason: 'Урок был перенесён приказом директора' });
    const listed = (await s.deputy.session.ok('changes.list', {})).find((r) => r.id === id);
    expect(listed).toMatchObject({ studentName: '', lessonDate: '2026-11-10', current: '2026-11-10', proposed: '2026-11-12', requestedBy: s.math.fullName, status: 'pending' });
    await s.deputy.session.ok('changes.approve', { id, note: 'Согласовано' });

    const after = await s.math.session.ok('journal.page', { loadId: s.loads.math5A, periodId: s.periods.q2 });
    expect(after.lessons.find((l) => l.id === old.id)).toMatchObject({ date: '2026-11-12', topic: 'Десятичные дроби', version: old.version + 1 });
    // The marks and attendance travel with the lesson.
    expect(after.marks.filter((m) => m.lessonId === old.id).map((m) => m.value)).toEqual(['2']);
    const moves = (await s.admin.ok('audit.list', { entity: 'lesson', entityId: String(old.id) })).filter((r) => r.action === 'lesson.update');
    expect(moves.map((r) => [r.userName, (r.before as { date: string }).date, (r.after as { date: string }).date, r.reason])).toEqual([[s.deputy.fullName, '2026-11-10', '2026-11-12', 'Урок был перенесён приказом директора']]);
    // Approved once: a second decision is a conflict.
    expect((await s.deputy.session.fails('changes.approve', { id })).kind).toBe('conflict');
  });

  it('a teacher who is also a deputy neither approves nor rejects their own request; another deputy decides', async () => {
    await s.travel(tomsk('2026-12-03 12:00'));
    const account = await s.admin.ok('accounts.create', { login: 'lebedeva', fullName: 'Лебедева Светлана Игоревна', roles: ['teacher', 'deputy'], temporaryPassword: 'Временный-1' });
    await (await signIn(t.core, 'lebedeva', 'Временный-1')).ok('auth.changePassword', { currentPassword: 'Временный-1', newPassword: PASSWORD });
    // She teaches English to the second group of 5А.
    await t.core.store.db.updateTable('teaching_load').set({ teacher_id: account.id }).where('id', '=', s.loads.english5A2).execute();

    await s.travel(tomsk('2026-11-11 10:00'));
    const then: TestSession = await signIn(t.core, 'lebedeva', PASSWORD);
    const lesson = await then.ok('journal.saveLesson', { loadId: s.loads.english5A2, date: '2026-11-11', topic: 'Past Simple' });
    const mark = await then.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.egorova, value: '3', workTypeId: s.workTypes.oral });
    await s.travel(tomsk('2026-12-03 12:00'));
    const again = await signIn(t.core, 'lebedeva', PASSWORD);
    const { id } = await again.ok('changes.request', {
      target: { kind: 'mark', lessonId: lesson.id, studentId: s.students.egorova, markId: mark.id, version: mark.version, value: '4', workTypeId: s.workTypes.oral },
      reason: 'Ошибка при вводе',
    });
    const before = (await s.admin.ok('audit.list', { entity: 'change_request', entityId: String(id) })).length;

    const approved = await again.fails('changes.approve', { id, note: '' });
    const rejected = await again.fails('changes.reject', { id, note: 'Передумала' });
    expect([approved.kind, rejected.kind]).toEqual(['forbidden', 'forbidden']);
    expect(rejected.message).toBe('Свой запрос рассматривает другой сотрудник администрации: ни одобрить, ни отклонить его нельзя.');
    expect((await s.admin.ok('changes.list', { status: 'all' })).find((r) => r.id === id)).toMatchObject({ status: 'pending', decidedBy: null });
    expect((await s.admin.ok('audit.list', { entity: 'change_request', entityId: String(id) })).length).toBe(before);

    await s.deputy.session.ok('changes.reject', { id, note: 'Отметка подтверждена работой ученицы' });
    expect((await again.ok('changes.list', { status: 'all' })).find((r) => r.id === id)).toMatchObject({ status: 'rejected', decidedBy: s.deputy.fullName });
    const page = await again.ok('journal.page', { loadId: s.loads.english5A2, periodId: s.periods.q2 });
    expect(page.marks.find((m) => m.id === mark.id)?.value).toBe('3');
  });
});
