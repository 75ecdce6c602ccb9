import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchoolAndSignIn, signIn, TestSession } from '../support/client';
import { engines, startTestCore, type TestCore } from '../support/engines';

// Blocking is its own act with a reason (not a checkbox among the account's data), and the
// first change of a temporary password does not ask for the password just typed at sign-in.

describe.each(engines)('blocking accounts and the first password change on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  beforeEach(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
  });
  afterEach(async () => t.close());

  const auditOf = async (action: string) =>
    t.core.store.db.selectFrom('audit_log').select(['entity_id', 'reason']).where('action', '=', action).orderBy('id').execute();

  it('an account blocked with a reason stops at once, shows the reason, and is unblocked with a reason', async () => {
    const created = await admin.ok('accounts.create', { login: 'orlova', fullName: 'Орлова Нина Петровна', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    const teacher = await signIn(t.core, 'orlova', 'Времен-123');
    await teacher.ok('auth.changePassword', { newPassword: 'Свой-пароль-1' });
    const working = await signIn(t.core, 'orlova', 'Свой-пароль-1');
    const current = (await admin.ok('accounts.list', {})).find((account) => account.id === created.id)!;

    const blocked = await admin.ok('accounts.block', { id: created.id, version: current.version, reason: 'Уволилась 01.12' });
    expect(blocked).toMatchObject({ active: false, blockedReason: 'Уволилась 01.12' });
    expect((await working.fails('auth.whoami', {})).kind).toBe('unauthenticated');
    expect((await new TestSession(t.core).fails('auth.login', { login: 'orlova', password: 'Свой-пароль-1' })).message).toBe('Учётная запись заблокирована. Обратитесь к администратору журнала.');
    expect(await auditOf('account.block')).toEqual([{ entity_id: String(created.id), reason: 'Уволилась 01.12' }]);

    const unblocked = await admin.ok('accounts.unblock', { id: created.id, version: blocked.version, reason: 'Вернулась на работу' });
    expect(unblocked).toMatchObject({ active: true, blockedReason: null });
    await signIn(t.core, 'orlova', 'Свой-пароль-1');
    expect(await auditOf('account.unblock')).toEqual([{ entity_id: String(created.id), reason: 'Вернулась на работу' }]);
  });

  it('blocking without a reason, on top of another administrator\'s change, or of oneself is refused and changes nothing', async () => {
    const created = await admin.ok('accounts.create', { login: 'orlova', fullName: 'Орлова Нина Петровна', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    const noReason = await admin.fails('accounts.block', { id: created.id, version: created.version, reason: '  ' });
    expect(noReason).toMatchObject({ kind: 'validation' });
    expect(JSON.stringify(noReason)).toContain('Укажите причину блокировки');
    const stale = await admin.fails('accounts.block', { id: created.id, version: created.version - 1, reason: 'Уволилась' });
    expect(stale.kind).toBe('conflict');
    const me = (await admin.ok('accounts.list', {})).find((account) => account.roles.includes('administrator'))!;
    expect((await admin.fails('accounts.block', { id: me.id, version: me.version, reason: 'Проверка' })).kind).toBe('conflict');
    const list = await admin.ok('accounts.list', {});
    expect(list.every((account) => account.active)).toBe(true);
    expect(await auditOf('account.block')).toEqual([]);
  });

  it('a teacher cannot block anybody', async () => {
    const created = await admin.ok('accounts.create', { login: 'orlova', fullName: 'Орлова Нина Петровна', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    const teacher = await signIn(t.core, 'orlova', 'Времен-123');
    await teacher.ok('auth.changePassword', { newPassword: 'Свой-пароль-1' });
    const me = (await admin.ok('accounts.list', {})).find((account) => account.roles.includes('administrator'))!;
    expect((await teacher.fails('accounts.block', { id: me.id, version: me.version, reason: 'Шутка' })).kind).toBe('forbidden');
    expect((await admin.ok('accounts.list', {})).find((account) => account.id === me.id)!.active).toBe(true);
    expect(created.active).toBe(true);
    expect(await auditOf('account.block')).toEqual([]);
  });

  it('only a session opened with the temporary password may change it without typing it again', async () => {
    await admin.ok('accounts.create', { login: 'petrov', fullName: 'Петров Иван Ильич', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    const teacher = await signIn(t.core, 'petrov', 'Времен-123');
    // The new password must differ from the temporary one even when that is not typed again.
    expect((await teacher.fails('auth.changePassword', { newPassword: 'Времен-123' })).message).toBe('Новый пароль должен отличаться от прежнего.');
    await teacher.ok('auth.changePassword', { newPassword: 'Свой-пароль-1' });
    expect((await teacher.ok('auth.whoami', {})).mustChangePassword).toBe(false);
    // Afterwards (no longer temporary) the current password is asked for again.
    const again = await teacher.fails('auth.changePassword', { newPassword: 'Другой-пароль-2' });
    expect(again).toMatchObject({ kind: 'validation', message: 'Введите текущий пароль.' });
    const later = await signIn(t.core, 'petrov', 'Свой-пароль-1');
    expect((await later.fails('auth.changePassword', { newPassword: 'Другой-пароль-2' })).kind).toBe('validation');
    await signIn(t.core, 'petrov', 'Свой-пароль-1');
  });
});
