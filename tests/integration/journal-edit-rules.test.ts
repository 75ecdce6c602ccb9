import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// Edit rules in the core (D-23, D-25, D-26, D-44).

describe.each(engines)('journal edit rules on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 14:30')));

  it('D-25: a mark older than the edit window is locked; request → approve applies it and audits the reason', async () => {
    await s.travel(tomsk('2026-09-21 10:00'));
    const lesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-09-21', topic: 'Натуральные числа' });
    const mark = await s.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.belova, value: '3', workTypeId: s.workTypes.oral });
    await s.travel(tomsk('2026-10-05 10:00')); // 14 days later: still editable
    const edited = await s.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.belova, markId: mark.id, version: mark.version, value: '4', workTypeId: s.workTypes.oral });
    await s.travel(tomsk('2026-10-06 10:00')); // 15 days: locked
    const lockedError = await s.math.session.fails('journal.saveMark', { lessonId: lesson.id, studentId: s.students.belova, markId: mark.id, version: edited.version, value: '5', workTypeId: s.workTypes.oral });
    expect(lockedError.kind).toBe('locked');
    expect(lockedError.message).toContain('старше 14 дней');
    expect(lockedError.details).toMatchObject({ reason: 'editWindow', requestable: true });
    expect((await s.math.session.fails('journal.setAttendance', { lessonId: lesson.id, studentId: s.students.volkov, code: 'ОТ', version: 0 })).kind).toBe('locked');
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.lessons.find((l) => l.id === lesson.id)).toMatchObject({ pastEditWindow: true, editable: false });

    const { id } = await s.math.session.ok('changes.request', {
      target: { kind: 'mark', lessonId: lesson.id, studentId: s.students.belova, markId: mark.id, version: edited.version, value: '5', workTypeId: s.workTypes.oral },
      reason: 'Ответ пересдан, отметка внесена с ошибкой',
    });
    // The deputy may approve, not write directly.
    expect((await s.deputy.session.fails('journal.saveMark', { lessonId: lesson.id, studentId: s.students.belova, value: '5', workTypeId: s.workTypes.oral })).kind).toBe('forbidden');
    const pending = await s.deputy.session.ok('changes.list', {});
    expect(pending.find((r) => r.id === id)).toMatchObject({ studentName: 'Белова Дарья', current: '4', proposed: '5', requestedBy: s.math.fullName, lessonDate: '2026-09-21' });
    expect((await s.math.session.fails('changes.approve', { id })).kind).toBe('forbidden');
    await s.deputy.session.ok('changes.approve', { id, note: 'Согласовано' });
    const after = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(after.marks.find((m) => m.id === mark.id)?.value).toBe('5');

    const history = await s.math.session.ok('journal.cellHistory', { lessonId: lesson.id, studentId: s.students.belova });
    expect(history.map((h) => [h.action, h.userName, (h.before as { value?: string } | null)?.value ?? null, (h.after as { value?: string }).value, h.reason])).toEqual([
      ['mark.update', s.deputy.fullName, '4', '5', 'Ответ пересдан, отметка внесена с ошибкой'],
      ['mark.update', s.math.fullName, '3', '4', null],
      ['mark.create', s.math.fullName, null, '3', null],
    ]);
    expect((await s.deputy.session.fails('changes.approve', { id })).kind).toBe('conflict');
  });

  it('D-25: a rejected request changes nothing; a cell still in the window needs no request', async () => {
    const lesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-09-22', topic: 'Округление' });
    const open = await s.math.session.fails('changes.request', {
      target: { kind: 'mark', lessonId: (await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-13', topic: 'x' })).id, studentId: s.students.egorova, value: '5', workTypeId: s.workTypes.oral },
      reason: 'Забыла поставить',
    });
    expect(open.kind).toBe('validation');
    const { id } = await s.math.session.ok('changes.request', {
      target: { kind: 'attendance', lessonId: lesson.id, studentId: s.students.egorova, code: 'ОТ' },
      reason: 'Не отметила отсутствие',
    });
    const rejectedWithout = await s.admin.fails('changes.reject', { id, note: '' });
    expect(rejectedWithout.kind).toBe('validation');
    await s.admin.ok('changes.reject', { id, note: 'Ученица была на уроке по записи в журнале дежурного' });
    const mine = await s.math.session.ok('changes.list', { status: 'all' });
    expect(mine.find((r) => r.id === id)).toMatchObject({ status: 'rejected', decidedBy: 'Смирнова Ольга Петровна' });
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.attendance.some((a) => a.lessonId === lesson.id)).toBe(false);
    // Other teachers do not see this teacher's requests.
    expect((await s.english.session.ok('changes.list', { status: 'all' })).length).toBe(0);
  });

  it('D-23, D-25: setting every final of the period locks it for the teacher; the administrator reopens with a reason', async () => {
    const lesson = await s.english.session.ok('journal.saveLesson', { loadId: s.loads.english5A1, date: '2026-10-13', topic: 'My family' });
    await s.english.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.alekseev, value: '5', workTypeId: s.workTypes.oral });
    await s.english.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.alekseev, value: '4', workTypeId: s.workTypes.test });
    const base = { loadId: s.loads.english5A1, kind: 'period' as const, periodId: s.periods.q1 };
    const first = await s.english.session.ok('journal.setFinal', { ...base, studentId: s.students.alekseev, value: '4', version: 0 });
    // (5·1 + 4·2)/3 = 4.33 → suggested 4, shown beside the teacher's decision.
    expect(first).toMatchObject({ value: '4', suggested: '4', periodLocked: false });
    // A sick student's final is deferred (002 §5.5).
    await s.english.session.ok('journal.setFinal', { ...base, studentId: s.students.volkov, deferred: true, version: 0 });
    const last = await s.english.session.ok('journal.setFinal', { ...base, studentId: s.students.belova, value: 'н/а', version: 0 });
    expect(last.periodLocked).toBe(true);

    const page = await s.english.session.ok('journal.page', { loadId: s.loads.english5A1, periodId: s.periods.q1 });
    expect(page).toMatchObject({ periodLocked: true, periodLock: { lockedByName: s.english.fullName } });
    expect(page.lessons.every((l) => !l.editable)).toBe(true);
    expect(page.finals.map((f) => [f.studentId, f.value, f.deferred]).sort()).toEqual(
      [
        [s.students.alekseev, '4', false],
        [s.students.volkov, '', true],
        [s.students.belova, 'н/а', false],
      ].sort(),
    );
    const refused = await s.english.session.fails('journal.saveMark', { lessonId: lesson.id, studentId: s.students.belova, value: '5', workTypeId: s.workTypes.oral });
    expect(refused).toMatchObject({ kind: 'locked', details: { reason: 'periodLocked' } });
    const finalRefused = await s.english.session.fails('journal.setFinal', { ...base, studentId: s.students.alekseev, value: '5', version: first.version });
    expect(finalRefused.kind).toBe('locked');
    // The deferred final may still be set after the period closed.
    const deferred = page.finals.find((f) => f.studentId === s.students.volkov)!;
    await s.english.session.ok('journal.setFinal', { ...base, studentId: s.students.volkov, value: '5', version: deferred.version });

    expect((await s.deputy.session.fails('journal.reopenPeriod', { loadId: s.loads.english5A1, periodId: s.periods.q1, reason: 'Исправление' })).kind).toBe('forbidden');
    await s.admin.ok('journal.reopenPeriod', { loadId: s.loads.english5A1, periodId: s.periods.q1, reason: 'Ошибка в итоговой отметке Алексеева' });
    const fixed = await s.english.session.ok('journal.setFinal', { ...base, studentId: s.students.alekseev, value: '5', version: first.version });
    // Every final is set again → the period closes again.
    expect(fixed.periodLocked).toBe(true);
    const history = await s.english.session.ok('journal.cellHistory', { studentId: s.students.alekseev, loadId: s.loads.english5A1, kind: 'period', periodId: s.periods.q1 });
    expect(history.map((h) => (h.after as { value: string }).value)).toEqual(['5', '4']);
    const audit = await s.admin.ok('audit.list', { entity: 'period_lock' });
    expect(audit.find((a) => a.action === 'period.reopen')?.reason).toBe('Ошибка в итоговой отметке Алексеева');
  });

  it('a teacher may close a period explicitly; the year final is suggested from the period finals', async () => {
    await s.math.session.ok('journal.lockPeriod', { loadId: s.loads.english5A2, periodId: s.periods.q2 });
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.english5A2, periodId: s.periods.q2 });
    expect(page.periodLocked).toBe(true);
    expect((await s.english.session.fails('journal.lockPeriod', { loadId: s.loads.english5A2, periodId: s.periods.q1 })).kind).toBe('forbidden');
    await s.math.session.ok('journal.setFinal', { loadId: s.loads.english5A2, kind: 'period', periodId: s.periods.q1, studentId: s.students.egorova, value: '5', version: 0 });
    const year = await s.math.session.ok('journal.setFinal', { loadId: s.loads.english5A2, kind: 'year', studentId: s.students.egorova, value: '5', version: 0 });
    expect(year).toMatchObject({ kind: 'year', periodId: null, suggested: '5' });
  });

  it('D-44: the administrator reverts every journal change of a compromised account since the report, in one step', async () => {
    await s.travel(tomsk('2026-10-14 09:00'));
    const lesson = await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.russian5A, date: '2026-10-14', topic: 'Суффиксы' });
    const honest = await s.russian.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.alekseev, value: '4', workTypeId: s.workTypes.oral });
    await s.travel(tomsk('2026-10-14 11:00'));
    // Someone else uses the teacher's password.
    const forged = await s.russian.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.alekseev, markId: honest.id, version: honest.version, value: '2', workTypeId: s.workTypes.oral });
    const added = await s.russian.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: s.students.belova, value: '2', workTypeId: s.workTypes.test });
    await s.russian.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId: s.students.volkov, code: 'ОТ', version: 0 });
    const forgedLesson = await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.russian5A, date: '2026-10-13', topic: 'Поддельный урок' });
    await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.russian5A, lessonId: lesson.id, version: lesson.version, date: '2026-10-14', topic: 'Испорченная тема' });
    expect(forged.value).toBe('2');

    await s.travel(tomsk('2026-10-14 12:00'));
    await s.admin.ok('accounts.reportCompromised', { id: s.russian.id, reportedAt: tomsk('2026-10-14 10:30'), reason: 'Пароль учителя увидели ученики' });
    const result = await s.admin.ok('journal.revertCompromised', { userId: s.russian.id, reason: 'Служебная записка № 12' });
    expect(result).toEqual({ reverted: 5, skipped: [] });

    const page = await s.deputy.session.ok('journal.page', { loadId: s.loads.russian5A });
    expect(page.marks.filter((m) => m.lessonId === lesson.id).map((m) => [m.studentId, m.value])).toEqual([[s.students.alekseev, '4']]);
    expect(page.attendance.filter((a) => a.lessonId === lesson.id)).toEqual([]);
    expect(page.lessons.find((l) => l.id === lesson.id)?.topic).toBe('Суффиксы');
    expect(page.lessons.some((l) => l.id === forgedLesson.id)).toBe(false);
    // Each undo is in the history with the reason; the second run finds nothing more.
    const history = await s.deputy.session.ok('journal.cellHistory', { lessonId: lesson.id, studentId: s.students.alekseev });
    expect(history[0]).toMatchObject({ action: 'mark.update', userName: 'Смирнова Ольга Петровна' });
    expect(history[0]!.reason).toContain('Служебная записка № 12');
    expect(added.id).toBeGreaterThan(0);
    expect(await s.admin.ok('journal.revertCompromised', { userId: s.russian.id, reason: 'Повторно' })).toEqual({ reverted: 0, skipped: [] });
    expect((await s.admin.ok('audit.verify', {})).ok).toBe(true);
  });
});
