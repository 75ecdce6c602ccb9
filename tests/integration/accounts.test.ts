import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, createSchoolAndSignIn, signIn, TestSession } from '../support/client';
import { engines, startTestCore, type TestCore } from '../support/engines';

describe.each(engines)('accounts and sign-in on %s', (engine) => {
  let t: TestCore;
  let admin: TestSession;
  beforeEach(async () => {
    t = await startTestCore(engine);
    admin = await createSchoolAndSignIn(t.core);
  });
  afterEach(async () => t.close());

  it('first run creates the school once; a second attempt is refused', async () => {
    const status = await new TestSession(t.core).ok('setup.status', {});
    // A real school lists no demo logins on its login screen.
    expect(status).toMatchObject({ initialized: true, timeZone: 'Asia/Tomsk', demo: null });
    const again = await new TestSession(t.core).fails('setup.createSchool', {
      schoolName: 'Другая школа', timeZone: 'Europe/Moscow', adminLogin: 'x2', adminFullName: 'Иванов И. И.', adminPassword: 'пароль-длинный',
    });
    expect(again.kind).toBe('conflict');
  });

  it('D-42: a wrong password is refused with a Russian message', async () => {
    const error = await new TestSession(t.core).fails('auth.login', { login: ADMIN.login, password: 'не тот пароль' });
    expect(error.kind).toBe('unauthenticated');
    expect(error.message).toBe('Неверный логин или пароль. Осталось попыток до блокировки: 4.');
  });

  it('a wrong password says nothing about whether the login exists: the same answers, attempt by attempt, then the same lock', async () => {
    await admin.ok('accounts.create', { login: 'ivanova', fullName: 'Иванова Мария Сергеевна', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    const blocked = await admin.ok('accounts.create', { login: 'retired', fullName: 'Уволенный Сотрудник', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    await admin.ok('accounts.block', { id: blocked.id, version: blocked.version, reason: 'Уволился' });
    const guest = new TestSession(t.core);
    const answers = async (login: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 6; i++) {
        const error = await guest.fails('auth.login', { login, password: 'угадываю-пароль' });
        seen.push(`${error.kind}: ${error.message}`);
      }
      return seen;
    };
    const real = await answers('ivanova');
    // An existing account, a login nobody has, and a deactivated account: word for word the same.
    expect(await answers('nobody')).toEqual(real);
    expect(await answers('retired')).toEqual(real);
    // 5 failures in a row (the school's default) lock for 15 minutes; the clock does not move here.
    const lockedUntil = new Date(t.clock.now().getTime() + 15 * 60_000);
    const until = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Asia/Tomsk', hour: '2-digit', minute: '2-digit' }).format(lockedUntil);
    const lock = `locked: Слишком много неудачных попыток входа. Учётная запись заблокирована до ${until}; администратор может снять блокировку раньше.`;
    expect(real).toEqual([4, 3, 2, 1].map((left) => `unauthenticated: Неверный логин или пароль. Осталось попыток до блокировки: ${left}.`).concat([lock, lock]));
    // Only the right password learns that an account is blocked.
    expect(await guest.fails('auth.login', { login: 'retired', password: 'Времен-123' })).toMatchObject({ kind: 'locked', message: lock.slice('locked: '.length) });
    t.clock.advanceMinutes(16);
    expect(await guest.fails('auth.login', { login: 'retired', password: 'Времен-123' })).toMatchObject({ kind: 'locked', message: 'Учётная запись заблокирована. Обратитесь к администратору журнала.' });
    expect((await guest.fails('auth.login', { login: 'nobody', password: 'угадываю-пароль' })).message).toBe('Неверный логин или пароль. Осталось попыток до блокировки: 4.');
  });

  it('repeated failures lock the account for a while; the administrator can unlock', async () => {
    const created = await admin.ok('accounts.create', { login: 'ivanova', fullName: 'Иванова Мария Сергеевна', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    const guest = new TestSession(t.core);
    for (let i = 0; i < 4; i++) expect((await guest.fails('auth.login', { login: 'ivanova', password: 'ошибка' })).kind).toBe('unauthenticated');
    const lockout = await guest.fails('auth.login', { login: 'ivanova', password: 'ошибка' });
    expect(lockout.kind).toBe('locked');
    expect(lockout.message).toMatch(/заблокирована до \d\d:\d\d/);
    // Even the right password is refused while locked.
    expect((await guest.fails('auth.login', { login: 'ivanova', password: 'Времен-123' })).kind).toBe('locked');
    t.clock.advanceMinutes(16);
    await signIn(t.core, 'ivanova', 'Времен-123');
    // Lock again, then the administrator lifts it at once.
    for (let i = 0; i < 5; i++) await guest.fails('auth.login', { login: 'ivanova', password: 'ошибка' });
    await admin.ok('accounts.unlock', { id: created.id });
    await signIn(t.core, 'ivanova', 'Времен-123');
  });

  it('a temporary password must be changed before anything else', async () => {
    await admin.ok('accounts.create', { login: 'petrov', fullName: 'Петров Иван Ильич', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    const teacher = await signIn(t.core, 'petrov', 'Времен-123');
    expect((await teacher.ok('auth.whoami', {})).mustChangePassword).toBe(true);
    expect((await teacher.fails('accounts.list', {})).message).toContain('смените временный пароль');
    const same = await teacher.fails('auth.changePassword', { currentPassword: 'Времен-123', newPassword: 'Времен-123' });
    expect(same.kind).toBe('validation');
    await teacher.ok('auth.changePassword', { currentPassword: 'Времен-123', newPassword: 'Свой-пароль-1' });
    expect((await teacher.ok('auth.whoami', {})).mustChangePassword).toBe(false);
    await signIn(t.core, 'petrov', 'Свой-пароль-1');
  });

  it('a teacher cannot reach administration', async () => {
    await admin.ok('accounts.create', { login: 'teacher1', fullName: 'Кузнецова Анна Викторовна', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    const teacher = await signIn(t.core, 'teacher1', 'Времен-123');
    await teacher.ok('auth.changePassword', { currentPassword: 'Времен-123', newPassword: 'Свой-пароль-1' });
    const error = await teacher.fails('accounts.create', { login: 'hacker', fullName: 'Х', roles: ['administrator'], temporaryPassword: 'Времен-123' });
    expect(error.kind).toBe('forbidden');
    expect((await teacher.fails('audit.list', {})).kind).toBe('forbidden');
  });

  it('D-43: a password-reset request is logged with its date and closed by the temporary password', async () => {
    const user = await admin.ok('accounts.create', { login: 'sidorova', fullName: 'Сидорова Елена Павловна', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    t.clock.set('2026-10-14T07:35:00.000Z');
    await new TestSession(t.core).ok('auth.requestPasswordReset', { login: 'sidorova', note: 'забыла пароль' });
    const open = await admin.ok('accounts.resetRequests', {});
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ login: 'sidorova', userName: 'Сидорова Елена Павловна', requestedAt: '2026-10-14T07:35:00.000Z', resolvedAt: null });
    t.clock.set('2026-10-14T07:50:00.000Z');
    const { resolvedRequests } = await admin.ok('accounts.issueTemporaryPassword', { id: user.id, temporaryPassword: 'Новый-врем-1' });
    expect(resolvedRequests).toBe(1);
    expect(await admin.ok('accounts.resetRequests', {})).toHaveLength(0);
    const all = await admin.ok('accounts.resetRequests', { includeResolved: true });
    expect(all[0]).toMatchObject({ resolvedAt: '2026-10-14T07:50:00.000Z', resolvedBy: ADMIN.fullName });
    const teacher = await signIn(t.core, 'sidorova', 'Новый-врем-1');
    expect((await teacher.ok('auth.whoami', {})).mustChangePassword).toBe(true);
  });

  it('D-44: a compromised account is blocked, its sessions end, and its changes since the report are listed', async () => {
    const secondAdmin = await admin.ok('accounts.create', { login: 'admin2', fullName: 'Орлов Павел Андреевич', roles: ['administrator'], temporaryPassword: 'Времен-123' });
    const other = await signIn(t.core, 'admin2', 'Времен-123');
    await other.ok('auth.changePassword', { currentPassword: 'Времен-123', newPassword: 'Свой-пароль-1' });
    await other.ok('accounts.create', { login: 'early', fullName: 'Ранний Сотрудник', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    t.clock.advanceMinutes(10);
    const reportedAt = t.clock.now().toISOString();
    t.clock.advanceMinutes(5);
    const late = await other.ok('accounts.create', { login: 'late', fullName: 'Поздний Сотрудник', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    await admin.ok('accounts.reportCompromised', { id: secondAdmin.id, reportedAt, reason: 'Пароль записан на стикере у всех на виду' });
    expect((await other.fails('accounts.list', {})).kind).toBe('unauthenticated');
    expect((await new TestSession(t.core).fails('auth.login', { login: 'admin2', password: 'Свой-пароль-1' })).kind).toBe('locked');
    const { changes, compromisedAt } = await admin.ok('accounts.changesSinceCompromise', { id: secondAdmin.id });
    expect(compromisedAt).toBe(reportedAt);
    expect(changes.map((c) => [c.action, c.entityId])).toEqual([['account.create', String(late.id)]]);
  });

  it('a session ends after the inactivity limit', async () => {
    await admin.ok('accounts.list', {});
    t.clock.advanceMinutes(31);
    const error = await admin.fails('accounts.list', {});
    expect(error).toMatchObject({ kind: 'unauthenticated', message: 'Сеанс завершён из-за бездействия. Войдите снова.' });
  });

  it('a concurrent edit of an account with a stale version gets conflict', async () => {
    const user = await admin.ok('accounts.create', { login: 'kozlov', fullName: 'Козлов Олег', roles: ['teacher'], temporaryPassword: 'Времен-123' });
    await admin.ok('accounts.update', { id: user.id, version: user.version, fullName: 'Козлов Олег Петрович', position: 'Учитель физики', roles: ['teacher'] });
    const stale = await admin.fails('accounts.update', { id: user.id, version: user.version, fullName: 'Козлов О.', position: '', roles: ['teacher', 'deputy'] });
    expect(stale.kind).toBe('conflict');
    const list = await admin.ok('accounts.list', {});
    expect(list.find((a) => a.id === user.id)).toMatchObject({ fullName: 'Козлов Олег Петрович', roles: ['teacher'] });
  });
});
