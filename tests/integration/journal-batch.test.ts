import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CellEdit, RefusedCell } from '../../src-shared/contract/journal';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// A pasted block saved all-or-nothing (journal.saveCells), and the
// administrator's review and revert of a compromised account's changes (D-44).

const key = () => randomUUID();

describe.each(engines)('journal batch save and compromised review on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 14:30')));

  const onList = () => [s.students.alekseev, s.students.belova, s.students.volkov, s.students.grigorieva, s.students.egorova];
  const lesson = async (date: string, topic: string) => (await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date, topic })).id;

  it('a pasted block of 30 cells is saved in one go, each cell audited on its own; the same batch sent again is applied once', async () => {
    const lessons: number[] = [];
    for (const date of ['2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09', '2026-10-12', '2026-10-14']) lessons.push(await lesson(date, `Дроби ${date}`));
    const values = ['5', '4', '3', '5', '4'];
    const cells: CellEdit[] = lessons.flatMap((lessonId, col) =>
      onList().map((studentId, row): CellEdit =>
        col === 2 && row === 2
          ? { kind: 'attendance', lessonId, studentId, code: 'ОТ', version: 0, idempotencyKey: key() }
          : { kind: 'mark', lessonId, studentId, value: values[(row + col) % values.length]!, workTypeId: s.workTypes.oral, idempotencyKey: key() },
      ),
    );
    expect(cells).toHaveLength(30);

    const saved = await s.math.session.ok('journal.saveCells', { cells });
    expect(saved.results).toHaveLength(30);
    expect(saved.results.filter((r) => r.kind === 'mark')).toHaveLength(29);
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    const pasted = page.marks.filter((m) => lessons.includes(m.lessonId));
    expect(pasted).toHaveLength(29);
    expect(pasted.find((m) => m.lessonId === lessons[0] && m.studentId === s.students.belova)?.value).toBe('4');
    expect(page.attendance.filter((a) => lessons.includes(a.lessonId)).map((a) => [a.lessonId, a.studentId, a.code])).toEqual([[lessons[2], s.students.volkov, 'ОТ']]);
    for (const cell of cells as Extract<CellEdit, { lessonId: number }>[]) {
      const history = await s.math.session.ok('journal.cellHistory', { lessonId: cell.lessonId, studentId: cell.studentId });
      expect(history.map((h) => [h.action, h.userName])).toEqual([[cell.kind === 'mark' ? 'mark.create' : 'attendance.set', s.math.fullName]]);
    }

    // The reply was lost; the client sends the same batch with the same keys: nothing doubles.
    const again = await s.math.session.ok('journal.saveCells', { cells });
    expect(again.results).toEqual(saved.results);
    const after = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(after.marks.filter((m) => lessons.includes(m.lessonId))).toHaveLength(29);
    const first = cells[0] as Extract<CellEdit, { kind: 'mark' }>;
    expect(await s.math.session.ok('journal.cellHistory', { lessonId: first.lessonId, studentId: first.studentId })).toHaveLength(1);
    // One cell of it sent again alone, as a single save with its key, is not applied again either.
    const single = await s.math.session.ok('journal.saveMark', { lessonId: first.lessonId, studentId: first.studentId, value: first.value, workTypeId: s.workTypes.oral, idempotencyKey: first.idempotencyKey });
    expect(single).toEqual(saved.results[0]!.kind === 'mark' ? saved.results[0]!.mark : null);
    expect(await s.math.session.ok('journal.cellHistory', { lessonId: first.lessonId, studentId: first.studentId })).toHaveLength(1);
    expect((await s.admin.ok('audit.verify', {})).ok).toBe(true);
  });

  it('one stale cell: nothing of the batch is written; the answer names every refused cell and why', async () => {
    const today = await lesson('2026-10-13', 'Сравнение дробей');
    const old = await lesson('2026-09-20', 'Натуральные числа'); // past the 14-day window (D-25)
    const seen = await s.math.session.ok('journal.saveMark', { lessonId: today, studentId: s.students.belova, value: '3', workTypeId: s.workTypes.oral });
    // Meanwhile the mark was corrected from another PC: the paste is based on the old version.
    await s.math.session.ok('journal.saveMark', { lessonId: today, studentId: s.students.belova, markId: seen.id, version: seen.version, value: '4', workTypeId: s.workTypes.oral });
    const before = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    const auditBefore = (await s.admin.ok('audit.list', { userId: s.math.id, limit: 1000 })).length;

    const fresh: CellEdit[] = [s.students.alekseev, s.students.volkov, s.students.grigorieva, s.students.egorova].map((studentId) => ({
      kind: 'mark',
      lessonId: today,
      studentId,
      value: '5',
      workTypeId: s.workTypes.test,
      idempotencyKey: key(),
    }));
    const cells: CellEdit[] = [
      ...fresh,
      { kind: 'mark', lessonId: old, studentId: s.students.egorova, value: '5', workTypeId: s.workTypes.oral, idempotencyKey: key() },
      { kind: 'mark', lessonId: today, studentId: s.students.belova, value: '7', workTypeId: s.workTypes.oral, idempotencyKey: key() },
      { kind: 'mark', lessonId: today, studentId: s.students.belova, markId: seen.id, version: seen.version, value: '5', workTypeId: s.workTypes.oral, idempotencyKey: key() },
    ];
    const refusedAnswer = await s.math.session.fails('journal.saveCells', { cells });
    expect(refusedAnswer.kind).toBe('conflict');
    expect(refusedAnswer.message).toContain('Вставка не сохранена: ни одна из 7 ячеек не записана');
    expect(refusedAnswer.message).toContain('Егорова Полина, 20.09 — Урок 20.09 старше 14 дней');
    expect(refusedAnswer.message).toContain(`Белова Дарья, 13.10 — Эту запись уже изменил(а) ${s.math.fullName}`);
    const refused = (refusedAnswer.details as { refused: RefusedCell[] }).refused;
    expect(refused.map((r) => [r.index, r.place, r.kind])).toEqual([
      [4, 'Егорова Полина, 20.09', 'locked'],
      [5, 'Белова Дарья, 13.10', 'validation'],
      [6, 'Белова Дарья, 13.10', 'conflict'],
    ]);
    expect(refused[2]!.details).toMatchObject({ current: { value: '4' }, changedBy: { name: s.math.fullName } });

    // Nothing was written, nothing audited, the chain intact.
    const after = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(after.marks).toEqual(before.marks);
    expect((await s.admin.ok('audit.list', { userId: s.math.id, limit: 1000 })).length).toBe(auditBefore);
    expect((await s.admin.ok('audit.verify', {})).ok).toBe(true);

    // The refused batch used none of its keys: the good cells sent again with them are saved.
    const retried = await s.math.session.ok('journal.saveCells', { cells: fresh });
    expect(retried.results).toHaveLength(4);
    const saved = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(saved.marks.filter((m) => m.lessonId === today).map((m) => [m.studentId, m.value]).sort()).toEqual(
      [
        [s.students.alekseev, '5'],
        [s.students.belova, '4'],
        [s.students.volkov, '5'],
        [s.students.grigorieva, '5'],
        [s.students.egorova, '5'],
      ].sort(),
    );
  });

  it('an outage\'s backlog of new marks sent at once: a cell outside the teacher\'s pages, off the list, past the window or typed too long ago refuses the whole batch, nothing written or audited; the rest then lands once, each with its entry time', async () => {
    const today = await lesson('2026-10-14', 'Умножение дробей');
    const yesterday = await lesson('2026-10-13', 'Деление дробей');
    const old = await lesson('2026-09-21', 'Округление'); // 23 days before today: past the 14-day window (D-25)
    const russianLesson = (await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.russian5A, date: '2026-10-14', topic: 'Причастие' })).id;
    const englishLesson = (await s.math.session.ok('journal.saveLesson', { loadId: s.loads.english5A2, date: '2026-10-14', topic: 'Present Simple' })).id;
    const typedAt = tomsk('2026-10-14 12:30'); // two hours before it reaches the server
    const mark = (lessonId: number, studentId: number, value: string, enteredAt = typedAt): CellEdit => ({ kind: 'mark', lessonId, studentId, value, workTypeId: s.workTypes.oral, idempotencyKey: key(), enteredAt });
    const good: CellEdit[] = [
      ...onList().map((studentId, i) => mark(today, studentId, ['5', '4', '3', '5', '4'][i]!)),
      ...onList().map((studentId) => mark(yesterday, studentId, '4')),
      mark(englishLesson, s.students.grigorieva, '5'),
      mark(englishLesson, s.students.egorova, '3'),
    ];
    const pageBefore = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    const auditBefore = (await s.admin.ok('audit.list', { userId: s.math.id, limit: 1000 })).length;
    const attack: CellEdit[] = [
      ...good.slice(0, 4),
      mark(russianLesson, s.students.belova, '2'), // another teacher's page
      ...good.slice(4, 8),
      mark(yesterday, s.students.davydov, '5'), // left the class on 05.10
      mark(englishLesson, s.students.alekseev, '5'), // in the other English group
      mark(old, s.students.volkov, '5'), // past the edit window
      mark(today, s.students.egorova, '5', tomsk('2026-10-10 12:00')), // typed more than 72 hours ago
      ...good.slice(8),
    ];
    const refusedAnswer = await s.math.session.fails('journal.saveCells', { cells: attack });
    expect(refusedAnswer.message).toContain(`Вставка не сохранена: ни одна из ${attack.length} ячеек не записана`);
    const refused = (refusedAnswer.details as { refused: RefusedCell[] }).refused;
    expect(refused.map((r) => [r.index, r.place, r.kind])).toEqual([
      [4, 'Белова Дарья, 14.10', 'forbidden'],
      [9, 'Давыдов Максим, 13.10', 'validation'],
      [10, 'Алексеев Артём, 14.10', 'validation'],
      [11, 'Волков Никита, 21.09', 'locked'],
      [12, 'Егорова Полина, 14.10', 'validation'],
    ]);
    expect(refused[0]!.message).toContain('Изменять записи этого урока может только учитель «Русский язык»');
    expect(refused[1]!.message).toBe('Этого ученика нет в списке класса (группы) на дату урока.');
    expect(refused[2]!.message).toBe('Этого ученика нет в списке класса (группы) на дату урока.');
    expect(refused[4]!.message).toContain('больше 72 часов назад');
    // Nothing of it was written or audited, on any page; the history intact.
    expect((await s.math.session.ok('journal.page', { loadId: s.loads.math5A })).marks).toEqual(pageBefore.marks);
    expect((await s.math.session.ok('journal.page', { loadId: s.loads.english5A2 })).marks).toEqual([]);
    expect((await s.russian.session.ok('journal.page', { loadId: s.loads.russian5A })).marks).toEqual([]);
    expect((await s.admin.ok('audit.list', { userId: s.math.id, limit: 1000 })).length).toBe(auditBefore);
    expect((await s.admin.ok('audit.verify', {})).ok).toBe(true);

    // The twelve good marks, sent again with their keys: each saved once, at the time it was typed.
    const saved = await s.math.session.ok('journal.saveCells', { cells: good });
    expect(saved.results.map((r) => (r.kind === 'mark' ? [r.mark.lessonId, r.mark.studentId, r.mark.value] : null))).toEqual(
      good.map((c) => (c.kind === 'mark' ? [c.lessonId, c.studentId, c.value] : null)),
    );
    const page = await s.math.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.marks.filter((m) => m.lessonId === today).map((m) => [m.studentId, m.value])).toEqual(onList().map((id, i) => [id, ['5', '4', '3', '5', '4'][i]]));
    expect(page.marks.filter((m) => m.lessonId === yesterday)).toHaveLength(5);
    expect((await s.math.session.ok('journal.page', { loadId: s.loads.english5A2 })).marks.map((m) => [m.studentId, m.value])).toEqual([
      [s.students.grigorieva, '5'],
      [s.students.egorova, '3'],
    ]);
    const history = await s.math.session.ok('journal.cellHistory', { lessonId: today, studentId: s.students.volkov });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: 'mark.create', userName: s.math.fullName, after: { value: '3', enteredAt: typedAt } });
    expect(history[0]!.reason).toBe('Введено 14.10 в 12:30, без связи с сервером; получено 14.10 в 14:30');
    expect((await s.admin.ok('audit.list', { userId: s.math.id, limit: 1000 })).length).toBe(auditBefore + 12);
    expect((await s.math.session.ok('journal.saveCells', { cells: good })).results).toEqual(saved.results);
    expect((await s.admin.ok('audit.list', { userId: s.math.id, limit: 1000 })).length).toBe(auditBefore + 12);
    expect((await s.admin.ok('audit.verify', {})).ok).toBe(true);
  });

  it('grades 0–1 refuse a pasted mark (D-19); a batch of another teacher\'s cells is refused; more than 200 cells are refused', async () => {
    const firstGrade = await s.primary.session.ok('journal.saveLesson', { loadId: s.loads.math1A, date: '2026-10-14', topic: 'Счёт до десяти' });
    const noMarks = await s.primary.session.fails('journal.saveCells', {
      cells: [
        { kind: 'attendance', lessonId: firstGrade.id, studentId: s.students1A[0]!, code: 'ОТ', version: 0, idempotencyKey: key() },
        { kind: 'mark', lessonId: firstGrade.id, studentId: s.students1A[1]!, value: '5', workTypeId: s.workTypes.oral, idempotencyKey: key() },
      ],
    });
    expect(noMarks.kind).toBe('validation');
    expect(noMarks.message).toContain('Вставка не сохранена: ни одна из 2 ячеек не записана');
    expect(noMarks.message).toContain('безотметочное обучение');
    expect((await s.primary.session.ok('journal.page', { loadId: s.loads.math1A })).attendance).toEqual([]);

    const foreign = await s.english.session.fails('journal.saveCells', {
      cells: [{ kind: 'mark', lessonId: firstGrade.id, studentId: s.students1A[1]!, value: '5', workTypeId: s.workTypes.oral, idempotencyKey: key() }],
    });
    expect(foreign.kind).toBe('forbidden');

    const tooMany = await s.math.session.fails('journal.saveCells', {
      cells: Array.from({ length: 201 }, () => ({ kind: 'mark', lessonId: firstGrade.id, studentId: s.students1A[1]!, value: '5', workTypeId: s.workTypes.oral, idempotencyKey: key() })),
    });
    expect(tooMany).toMatchObject({ kind: 'validation', message: expect.stringContaining('не больше 200 ячеек') });
  });

  it('D-44: the administrator sees each change of a compromised account with where and what, reverts them, and the list says what was undone and what was left', async () => {
    await s.travel(tomsk('2026-10-15 09:00'));
    const lessonId = (await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-15', topic: 'Деление дробей' })).id;
    const honest = await s.math.session.ok('journal.saveMark', { lessonId, studentId: s.students.egorova, value: '4', workTypeId: s.workTypes.oral });
    await s.travel(tomsk('2026-10-15 11:00'));
    // Someone else signed in with the teacher's password.
    await s.math.session.ok('journal.saveMark', { lessonId, studentId: s.students.egorova, markId: honest.id, version: honest.version, value: '2', workTypeId: s.workTypes.oral });
    await s.math.session.ok('journal.setAttendance', { lessonId, studentId: s.students.volkov, code: 'ОТ', version: 0 });
    await s.math.session.ok('journal.saveCells', { cells: [{ kind: 'mark', lessonId, studentId: s.students.alekseev, value: '2', workTypeId: s.workTypes.test, idempotencyKey: key() }] });
    // The class teacher, in good faith, gives the absence a reason before the report.
    await s.travel(tomsk('2026-10-15 11:30'));
    const absence = (await s.russian.session.ok('journal.page', { loadId: s.loads.math5A })).attendance.find((a) => a.lessonId === lessonId)!;
    await s.russian.session.ok('attendance.resolve', { lessonId, studentId: s.students.volkov, code: 'Б', version: absence.version });

    await s.travel(tomsk('2026-10-15 12:00'));
    await s.admin.ok('accounts.reportCompromised', { id: s.math.id, reportedAt: tomsk('2026-10-15 10:30'), reason: 'Пароль учителя видели ученики' });
    const review = await s.admin.ok('journal.compromisedChanges', { userId: s.math.id });
    expect(review.compromisedAt).toBe(tomsk('2026-10-15 10:30'));
    expect(review.reverts).toEqual([]);
    expect(review.changes.map((c) => [c.title, c.place, c.before, c.after, c.outcome])).toEqual([
      ['Поставлена отметка', '5А · Математика · 15.10.2026 · Алексеев Артём', null, '2', 'pending'],
      ['Посещаемость', '5А · Математика · 15.10.2026 · Волков Никита', null, 'ОТ', 'pending'],
      ['Исправлена отметка', '5А · Математика · 15.10.2026 · Егорова Полина', '4', '2', 'pending'],
    ]);
    // Teachers and the deputy do not see the review.
    expect((await s.deputy.session.fails('journal.compromisedChanges', { userId: s.math.id })).kind).toBe('forbidden');

    const result = await s.admin.ok('journal.revertCompromised', { userId: s.math.id, reason: 'Служебная записка № 7' });
    const attendanceChange = review.changes[1]!;
    expect(result).toEqual({ reverted: 2, skipped: [{ auditId: attendanceChange.auditId, entity: 'attendance', entityId: `${lessonId}:${s.students.volkov}`, why: expect.stringContaining('изменил другой пользователь') }] });

    const afterRevert = await s.admin.ok('journal.compromisedChanges', { userId: s.math.id });
    expect(afterRevert.changes.map((c) => [c.title, c.outcome, c.why])).toEqual([
      ['Поставлена отметка', 'reverted', null],
      ['Посещаемость', 'skipped', 'после этого запись изменил другой пользователь — оставлена как есть'],
      ['Исправлена отметка', 'reverted', null],
    ]);
    expect(afterRevert.reverts).toMatchObject([{ byName: 'Смирнова Ольга Петровна', reason: 'Служебная записка № 7', reverted: 2, skipped: 1 }]);
    const page = await s.deputy.session.ok('journal.page', { loadId: s.loads.math5A });
    expect(page.marks.filter((m) => m.lessonId === lessonId).map((m) => [m.studentId, m.value])).toEqual([[s.students.egorova, '4']]);
    expect(page.attendance.filter((a) => a.lessonId === lessonId).map((a) => a.code)).toEqual(['Б']);
    expect((await s.admin.ok('audit.verify', {})).ok).toBe(true);
  });
});
