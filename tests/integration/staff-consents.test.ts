import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// D-45 extended to staff: the administration registers a staff member's consent to processing
// their personal data and records its withdrawal; the staff list shows who has none in force.
// The journal fixture's staff: the administrator, four teachers, the deputy, the director and
// the medical worker (8 active accounts). The test clock stands on Wednesday 14.10.2026.

describe.each(engines)('staff consents on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  beforeAll(async () => {
    t = await startTestCore(engine);
    s = await buildJournalSchool(t);
  });
  afterAll(async () => t?.close());
  beforeEach(() => s.travel(tomsk('2026-10-14 14:30')));

  const auditOf = (id: number) =>
    t.core.store.db.selectFrom('audit_log').select(['action', 'entity', 'entity_id', 'user_id', 'before_json', 'after_json']).where('id', '=', id).executeTakeFirstOrThrow();
  const missingNames = async () =>
    (await s.admin.ok('staff.list', {}))
      .filter((p) => p.consentMissing)
      .map((p) => p.login)
      .sort();

  it('the administrator registers and withdraws a consent; the staff list shows who has none; each step audited', async () => {
    const everyone = ['admin', 'director', 'ivanova', 'kuznetsova', 'medic', 'orlova', 'petrova', 'sidorov'];
    expect(await missingNames()).toEqual(everyone);

    const added = await s.admin.ok('staff.consents.add', { userId: s.math.id, givenOn: '2026-09-01' });
    expect(added).toMatchObject({ userId: s.math.id, givenOn: '2026-09-01', withdrawnOn: null, createdByName: 'Смирнова Ольга Петровна' });
    const addAudit = await auditOf(await newestAuditId(t));
    expect(addAudit).toMatchObject({ action: 'staff.consent.add', entity: 'app_user', entity_id: String(s.math.id), user_id: s.adminId });
    expect(JSON.parse(addAudit.after_json!)).toEqual({ givenOn: '2026-09-01' });
    expect(await missingNames()).toEqual(everyone.filter((l) => l !== 'ivanova'));

    // A second consent while one is in force, a date not yet come, a withdrawal before the consent: refused, nothing written.
    const auditBefore = await newestAuditId(t);
    expect(await s.admin.fails('staff.consents.add', { userId: s.math.id, givenOn: '2026-10-01' })).toMatchObject({ kind: 'conflict', message: 'У сотрудника уже есть согласие от 01.09.2026: сначала отметьте его отзыв.' });
    expect(await s.admin.fails('staff.consents.add', { userId: s.russian.id, givenOn: '2026-10-15' })).toMatchObject({ kind: 'validation', message: 'Дата согласия 15.10.2026 ещё не наступила.' });
    expect(await s.admin.fails('staff.consents.withdraw', { id: added.id, withdrawnOn: '2026-08-31' })).toMatchObject({ kind: 'validation', message: 'Дата отзыва 31.08.2026 раньше даты согласия 01.09.2026.' });
    expect(await newestAuditId(t)).toBe(auditBefore);
    expect(await s.admin.ok('staff.consents', { userId: s.russian.id })).toEqual([]);

    // Withdrawn on 10.10: from that day the teacher has no consent in force again.
    const withdrawn = await s.admin.ok('staff.consents.withdraw', { id: added.id, withdrawnOn: '2026-10-10' });
    expect(withdrawn).toMatchObject({ id: added.id, givenOn: '2026-09-01', withdrawnOn: '2026-10-10' });
    const withdrawAudit = await auditOf(await newestAuditId(t));
    expect(withdrawAudit).toMatchObject({ action: 'staff.consent.withdraw', entity: 'app_user', entity_id: String(s.math.id) });
    expect(JSON.parse(withdrawAudit.after_json!)).toEqual({ givenOn: '2026-09-01', withdrawnOn: '2026-10-10' });
    expect(await missingNames()).toEqual(everyone);
    expect((await s.admin.fails('staff.consents.withdraw', { id: added.id, withdrawnOn: '2026-10-12' })).message).toBe('Согласие уже отозвано 10.10.2026.');

    // A new consent after the withdrawal; the history keeps both, newest first.
    await s.admin.ok('staff.consents.add', { userId: s.math.id, givenOn: '2026-10-12' });
    expect((await s.admin.ok('staff.consents', { userId: s.math.id })).map((c) => [c.givenOn, c.withdrawnOn])).toEqual([
      ['2026-10-12', null],
      ['2026-09-01', '2026-10-10'],
    ]);
    expect(await missingNames()).toEqual(everyone.filter((l) => l !== 'ivanova'));
  });

  it('a teacher (or the deputy) can neither register nor withdraw a consent, nor read whose is missing: refused, nothing changed or audited', async () => {
    const before = await s.admin.ok('staff.consents', { userId: s.russian.id });
    const mine = await s.admin.ok('staff.consents', { userId: s.math.id });
    const auditBefore = await newestAuditId(t);

    expect((await s.russian.session.fails('staff.consents.add', { userId: s.russian.id, givenOn: '2026-09-01' })).kind).toBe('forbidden');
    expect((await s.russian.session.fails('staff.consents.withdraw', { id: mine[0]!.id, withdrawnOn: '2026-10-13' })).kind).toBe('forbidden');
    expect((await s.russian.session.fails('staff.consents', { userId: s.math.id })).kind).toBe('forbidden');
    expect((await s.deputy.session.fails('staff.consents.add', { userId: s.russian.id, givenOn: '2026-09-01' })).kind).toBe('forbidden');

    expect(await s.admin.ok('staff.consents', { userId: s.russian.id })).toEqual(before);
    expect(await s.admin.ok('staff.consents', { userId: s.math.id })).toEqual(mine);
    expect(await newestAuditId(t)).toBe(auditBefore);
    // The staff list itself stays readable to a teacher, without anyone's consent.
    const seenByTeacher = await s.russian.session.ok('staff.list', {});
    expect(seenByTeacher.length).toBe(8);
    expect(seenByTeacher.every((p) => p.consentMissing === null)).toBe(true);
  });
});
