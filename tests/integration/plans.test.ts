import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nextPlanRow } from '../../src-main/plans/next-row';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// The calendar-thematic plan (КТП, D-15): per teaching load, the journal takes its topics
// from it, and the deputy sees planned against given (D-32).

describe.each(engines)('КТП on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 14:30')));

  it('the next topic is the first plan row not yet covered by lessons; a deleted lesson frees its row', async () => {
    const db = t.core.store.db;
    const at = '2026-08-30T00:00:00.000Z';
    const plan = await db
      .insertInto('plan')
      .values({ load_id: s.loads.russian5A, year_id: s.yearId, status: 'approved', hours_note: '', review_comment: '', submitted_at: null, submitted_by: null, decided_at: null, decided_by: null, created_at: at, created_by: s.russian.id, updated_at: at, updated_by: s.russian.id, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = (number: number, topic: string, hours: number, homework: string) =>
      db.insertInto('plan_row').values({ plan_id: plan.id, number, section: 'Язык и речь', topic, hours, planned_date: null, planned_week: null, control_work: 0, work_type_id: null, homework }).returning('id').executeTakeFirstOrThrow();
    const first = await row(1, 'Язык и человек', 1, '§ 1, упр. 3');
    const second = await row(2, 'Общение устное и письменное', 2, '§ 2');
    await row(3, 'Стили речи', 1, '§ 3');

    expect(await nextPlanRow(db, s.loads.russian5A)).toMatchObject({ id: first.id, number: 1, topic: 'Язык и человек', homework: '§ 1, упр. 3', hours: 1 });
    expect(await nextPlanRow(db, s.loads.math5A)).toBeNull(); // no plan

    const give = async (date: string, planRowId: number) => {
      const lesson = await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.russian5A, date, topic: 'Тема' });
      await db.updateTable('lesson').set({ plan_row_id: planRowId }).where('id', '=', lesson.id).execute();
      return lesson;
    };
    await give('2026-09-02', first.id);
    expect((await nextPlanRow(db, s.loads.russian5A))?.number).toBe(2);
    // Row 2 has two hours: one lesson does not cover it.
    const secondLesson = await give('2026-09-09', second.id);
    expect((await nextPlanRow(db, s.loads.russian5A))?.number).toBe(2);
    await give('2026-09-16', second.id);
    expect((await nextPlanRow(db, s.loads.russian5A))?.number).toBe(3);

    await s.russian.session.ok('journal.deleteLesson', { lessonId: secondLesson.id, version: secondLesson.version, idempotencyKey: crypto.randomUUID() });
    expect((await nextPlanRow(db, s.loads.russian5A))?.number).toBe(2);
  });
});
