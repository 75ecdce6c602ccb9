import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';
import { auditActionTitles, describeAuditChange } from '../../src-renderer/lib/audit-labels';

// «Журнал изменений» says where a journal change was (class · subject · lesson date ·
// student) and finds the changes of one class or one subject. 5А, 14.10.2026.

describe.each(engines)('the audit list by class and subject, with places, on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
    await s.travel(tomsk('2026-10-14 14:30'));
    const math = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', lessonNumber: 1, topic: 'Дроби' });
    await s.math.session.ok('journal.saveMark', { lessonId: math.id, studentId: s.students.belova, value: '5', workTypeId: s.workTypes.oral });
    const russian = await s.russian.session.ok('journal.saveLesson', { loadId: s.loads.russian5A, date: '2026-10-13', lessonNumber: 2, topic: 'Диктант' });
    await s.russian.session.ok('journal.saveMark', { lessonId: russian.id, studentId: s.students.volkov, value: '3', workTypeId: s.workTypes.written });
    const counting = await s.primary.session.ok('journal.saveLesson', { loadId: s.loads.math1A, date: '2026-10-14', lessonNumber: 1, topic: 'Счёт до 10' });
    await s.primary.session.ok('journal.setAttendance', { lessonId: counting.id, studentId: s.students1A[0]!, code: 'ОТ', version: 0 });
    // The administrator edits a default work type and two of the school's settings.
    const oral = (await s.admin.ok('settings.workTypes.list', {})).find((type) => type.id === s.workTypes.oral)!;
    await s.admin.ok('settings.workTypes.update', { ...oral, markDueDays: 2, weight: 1.5 });
    await s.admin.ok('settings.update', { editWindowDays: 10, markScale: 'ten', finalRoundingThreshold: 0.6 });
  });
  afterAll(async () => t?.close());

  it('a mark names its class, subject, lesson date and student', async () => {
    const marks = await s.deputy.session.ok('audit.list', { entity: 'mark' });
    expect(marks.map((record) => record.place).sort()).toEqual(['5А · Математика · 14.10.2026 · Белова Дарья', '5А · Русский язык · 13.10.2026 · Волков Никита']);
  });

  it('one class, or one subject, keeps only its journal changes', async () => {
    const of5A = await s.deputy.session.ok('audit.list', { classId: s.class5A });
    expect(of5A.map((record) => record.place).sort()).toEqual([
      '5А · Математика · 14.10.2026 · Белова Дарья',
      '5А · Математика · урок 14.10.2026',
      '5А · Русский язык · 13.10.2026 · Волков Никита',
      '5А · Русский язык · урок 13.10.2026',
    ]);
    const subjects = await s.admin.ok('school.subjects.list', {});
    const mathematics = subjects.find((subject) => subject.name === 'Математика')!;
    const lessons = await s.deputy.session.ok('audit.list', { subjectId: mathematics.id, entity: 'lesson' });
    expect(lessons.map((record) => record.place).sort()).toEqual(['1А · Математика · урок 14.10.2026', '5А · Математика · урок 14.10.2026']);
  });

  it('every entry reads in words: no raw field names, codes or «key: value» pairs', async () => {
    const records = await s.deputy.session.ok('audit.list', {});
    const kinds = new Set(records.map((record) => record.action));
    // The school's creation, accounts, sign-ins, the journal and the settings are all there.
    for (const action of ['school.create', 'workTypes.seed', 'account.create', 'auth.login', 'lesson.create', 'mark.create', 'attendance.set', 'workType.update', 'settings.update']) {
      expect(kinds, action).toContain(action);
    }
    const raw: string[] = [];
    for (const record of records) {
      if (!(record.action in auditActionTitles)) raw.push(`no title for ${record.action}`);
      for (const change of describeAuditChange(record.before, record.after)) {
        const text = [change.field, change.before ?? '', change.after ?? ''].join(' | ');
        // camelCase or snake_case keys, a «word: value» pair inside a value, ISO instants, JSON.
        if (/[a-z][A-Z]|[a-z]_[a-z]|\b[a-z]+: |\d{4}-\d{2}-\d{2}|[{}"]/.test(text)) raw.push(`${record.action}: ${text}`);
        if (/^[a-z]/.test(change.field)) raw.push(`${record.action}: field ${change.field}`);
      }
    }
    expect(raw).toEqual([]);
  });
});
