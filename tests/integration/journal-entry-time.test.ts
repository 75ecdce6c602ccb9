import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src-main/audit/chain';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// D-41 with D-25: an edit typed while the server was unreachable arrives later with the
// moment it was typed (`enteredAt`); the edit window is measured at that moment, within
// bounds — not ahead of the server's clock (2 minutes of skew tolerated), not older than
// 72 hours — and both moments are kept in the audit record.

describe.each(engines)('entry time of a delayed edit on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  let lessonId: number;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
    await s.travel(tomsk('2026-11-19 10:00'));
    lessonId = (await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-11-19', topic: 'Проценты' })).id;
  });
  afterAll(async () => t?.close());

  const marksOf = async (studentId: number) => {
    const page = await s.deputy.session.ok('journal.page', { loadId: s.loads.math5A, periodId: s.periods.q2 });
    return page.marks.filter((m) => m.lessonId === lessonId && m.studentId === studentId).map((m) => m.value);
  };

  it('a mark typed on 03.12 at 16:00 (the last day of the window) and received on 04.12 is accepted; the audit keeps both times', async () => {
    await s.travel(tomsk('2026-12-04 08:30'));
    // Sent now without an entry time, the lesson of 19.11 is 15 days old: closed.
    const now = await s.math.session.fails('journal.saveMark', { lessonId, studentId: s.students.belova, value: '4', workTypeId: s.workTypes.oral });
    expect(now.kind).toBe('locked');

    const saved = await s.math.session.ok('journal.saveMark', { lessonId, studentId: s.students.belova, value: '4', workTypeId: s.workTypes.oral, idempotencyKey: 'offline-mark-0001', enteredAt: tomsk('2026-12-03 16:00') });
    expect(saved.value).toBe('4');
    // Sent again (the reply was lost): applied once.
    await s.math.session.ok('journal.saveMark', { lessonId, studentId: s.students.belova, value: '4', workTypeId: s.workTypes.oral, idempotencyKey: 'offline-mark-0001', enteredAt: tomsk('2026-12-03 16:00') });
    expect(await marksOf(s.students.belova)).toEqual(['4']);

    const [record] = await s.admin.ok('audit.list', { entity: 'mark', since: tomsk('2026-12-04 08:00'), limit: 10 });
    expect(record).toMatchObject({
      at: tomsk('2026-12-04 08:30'),
      action: 'mark.create',
      after: { value: '4', enteredAt: tomsk('2026-12-03 16:00'), createdAt: tomsk('2026-12-03 16:00') },
      reason: 'Введено 03.12 в 16:00, без связи с сервером; получено 04.12 в 08:30',
    });
  });

  it('absences and a pasted block carry their entry times the same way', async () => {
    await s.travel(tomsk('2026-12-04 08:40'));
    const absence = await s.math.session.ok('journal.setAttendance', { lessonId, studentId: s.students.volkov, code: 'ОТ', version: 0, enteredAt: tomsk('2026-12-03 15:00') });
    expect(absence.code).toBe('ОТ');
    const batch = await s.math.session.ok('journal.saveCells', {
      cells: [
        { kind: 'mark', lessonId, studentId: s.students.egorova, value: '5', workTypeId: s.workTypes.oral, idempotencyKey: 'offline-cell-0001', enteredAt: tomsk('2026-12-03 15:10') },
        { kind: 'attendance', lessonId, studentId: s.students.alekseev, code: 'ОП', version: 0, idempotencyKey: 'offline-cell-0002', enteredAt: tomsk('2026-12-03 15:11') },
      ],
    });
    expect(batch.results.map((r) => r.kind)).toEqual(['mark', 'attendance']);
    expect(await marksOf(s.students.egorova)).toEqual(['5']);
  });

  it('an entry time ahead of the server, or more than 72 hours old, is refused in Russian and nothing changes', async () => {
    await s.travel(tomsk('2026-12-04 09:00'));
    const before = await newestAuditId(t);
    const ahead = await s.math.session.fails('journal.saveMark', { lessonId, studentId: s.students.grigorieva, value: '5', workTypeId: s.workTypes.oral, enteredAt: tomsk('2026-12-04 09:10') });
    expect(ahead.kind).toBe('validation');
    expect(ahead.message).toBe('Время ввода изменения (04.12 в 09:10) позже, чем сейчас на сервере (04.12 в 09:00): проверьте часы на этом компьютере. Изменение не сохранено.');

    const stale = await s.math.session.fails('journal.saveMark', { lessonId, studentId: s.students.grigorieva, value: '5', workTypeId: s.workTypes.oral, enteredAt: tomsk('2026-12-01 08:59') });
    expect(stale.kind).toBe('validation');
    expect(stale.message).toBe('Изменение введено 01.12 в 08:59 — больше 72 часов назад, отправить его уже нельзя. Введите его заново.');

    // Inside a batch the cell is refused and the whole block is not written.
    const batch = await s.math.session.fails('journal.saveCells', {
      cells: [
        { kind: 'mark', lessonId, studentId: s.students.grigorieva, value: '3', workTypeId: s.workTypes.oral, idempotencyKey: 'offline-cell-0003', enteredAt: tomsk('2026-12-03 16:30') },
        { kind: 'mark', lessonId, studentId: s.students.grigorieva, value: '2', workTypeId: s.workTypes.oral, idempotencyKey: 'offline-cell-0004', enteredAt: tomsk('2026-12-04 12:00') },
      ],
    });
    expect(batch.kind).toBe('validation');
    expect(batch.message).toContain('Время ввода изменения (04.12 в 12:00) позже, чем сейчас на сервере');

    expect(await marksOf(s.students.grigorieva)).toEqual([]);
    expect(await newestAuditId(t)).toBe(before);
  });

  it('the entry time does not reopen an old lesson: 72 hours back is still past the window of a lesson of 10.11', async () => {
    await s.travel(tomsk('2026-11-10 10:00'));
    const old = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-11-10', topic: 'Дроби' });
    await s.travel(tomsk('2026-12-04 09:30'));
    await s.math.session.ok('journal.page', { loadId: s.loads.math5A, periodId: s.periods.q2 }); // signs in again after the jump
    const before = await newestAuditId(t);
    const refused = await s.math.session.fails('journal.saveMark', { lessonId: old.id, studentId: s.students.belova, value: '5', workTypeId: s.workTypes.oral, enteredAt: tomsk('2026-12-01 10:00') });
    expect(refused).toMatchObject({ kind: 'locked', details: { reason: 'editWindow' } });
    expect(await newestAuditId(t)).toBe(before);
    expect((await verifyChain(t.core.store.db)).ok).toBe(true);
  });
});
