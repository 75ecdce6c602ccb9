import { ADMIN, expect, screenshot, signIn, test } from './support/fixtures';
import { AccountsPage, AppShell, ChangePasswordPage, FirstRunPage, LoginPage, PasswordRequestsPage } from './support/pages';

// The foundation in a browser, over the bridge, against the real core.

const TEACHER = { login: 'kuznetsova', fullName: 'Кузнецова Анна Викторовна', password: 'Временный-1', own: 'Свой-пароль-1' };

test('first run creates the school and its administrator and lands in the app', async ({ page, zhurnal }, testInfo) => {
  await zhurnal.open(page);
  const firstRun = new FirstRunPage(page);
  await firstRun.expectShown();
  await firstRun.createSchool({
    name: 'МБОУ «Средняя общеобразовательная школа № 12»',
    timeZoneLabel: 'МСК+4 — Томск',
    adminFullName: 'Смирнова Ольга Петровна',
    adminLogin: 'Smirnova',
    password: 'Надёжный-пароль-1',
  });
  const shell = new AppShell(page);
  await shell.expectSignedIn('Смирнова Ольга Петровна', 'МБОУ «Средняя общеобразовательная школа № 12»');
  await expect(shell.header).toContainText('Администратор ЭЖ');
  await expect(shell.menu.getByRole('link', { name: 'Учётные записи' })).toBeVisible();
  await screenshot(page, testInfo, 'first-run-done');

  // The school and the login (made lower-case) really are in the core.
  const status = await zhurnal.core.call({ method: 'setup.status', input: {} });
  expect(status).toMatchObject({ ok: true, value: { initialized: true, timeZone: 'Asia/Tomsk' } });
  await shell.signOut();
  await new LoginPage(page).signIn('smirnova', 'Надёжный-пароль-1');
  await shell.expectSignedIn('Смирнова Ольга Петровна');
});

test('first run: mismatched passwords and a bad login are shown beside their fields', async ({ page, zhurnal }, testInfo) => {
  await zhurnal.open(page);
  await new FirstRunPage(page).createSchool({
    name: 'Школа № 3',
    timeZoneLabel: 'МСК — Москва, Санкт-Петербург',
    adminFullName: 'Иванов Иван Иванович',
    adminLogin: 'иванов',
    password: 'Надёжный-пароль-1',
    passwordAgain: 'Другой-пароль-1',
  });
  // Both mistakes are named beside their fields before anything is sent, and the button says which.
  const form = page.getByRole('form', { name: 'Новая школа' });
  await expect(form).toContainText('Пароли не совпадают');
  await expect(form).toContainText('В логине допустимы латинские буквы, цифры, точка, дефис и подчёркивание');
  await expect(form.getByLabel('Логин')).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('Исправьте: Логин, Пароль ещё раз.');
  // Fixed as typed: the message goes away with the mistake.
  await form.getByLabel('Пароль ещё раз').fill('Надёжный-пароль-1');
  await expect(form).not.toContainText('Пароли не совпадают');
  await form.getByLabel('Название школы').fill('');
  await expect(form).toContainText('Укажите название школы');
  await form.getByLabel('Пароль ещё раз').press('Enter');
  await expect(form).toContainText('Исправьте: Название школы, Логин.');
  await expect(page.getByRole('heading', { name: 'Новая школа' })).toBeVisible();
  await screenshot(page, testInfo, 'first-run-validation');
});

test('first run: the demo school opens and one of its sample logins signs in', async ({ page, zhurnal }, testInfo) => {
  // The generator writes a whole school year: a long job, not a click.
  test.setTimeout(240_000);
  await zhurnal.open(page);
  await new FirstRunPage(page).openDemo();
  const outcome = page.getByText(/Демонстрационная школа пока недоступна|Демонстрационная школа готова/).first();
  await expect(outcome).toBeVisible({ timeout: 200_000 });
  await screenshot(page, testInfo, 'demo-choice');
  if ((await outcome.textContent())?.includes('недоступна')) return; // the generator is not wired in this build

  const password = (await page.locator('.secret').first().textContent())!.trim();
  const firstLogin = (await page.getByRole('cell').first().textContent())!.trim();
  await page.getByRole('button', { name: 'Перейти ко входу' }).click();
  // The login screen keeps the demo logins at hand; an empty login is flagged like an empty password.
  const login = new LoginPage(page);
  const demoLogins = page.getByRole('region', { name: 'Логины демо-школы' });
  await expect(demoLogins).toContainText(firstLogin);
  await login.form.getByRole('button', { name: 'Войти' }).click();
  await expect(login.form).toContainText('Введите логин');
  await expect(login.form).toContainText('Введите пароль');
  await screenshot(page, testInfo, 'demo-login-empty');
  // The app started again (a reload is a new start of the renderer): the list is still there.
  await page.reload();
  await expect(demoLogins).toContainText(firstLogin);
  await demoLogins.getByRole('button', { name: firstLogin }).click();
  await expect(login.form.getByLabel('Логин')).toHaveValue(firstLogin);
  // The password is next: the cursor is already there, and no «Введите логин» is left.
  await expect(login.form.getByLabel('Пароль')).toBeFocused();
  await expect(login.form).not.toContainText('Введите логин');
  await login.signIn(firstLogin, password);
  await expect(page.getByRole('heading', { name: /Главная|Смена временного пароля/ })).toBeVisible();
});

test('D-42: the administrator signs in; a wrong password is refused with the core\'s message', async ({ page, zhurnal }, testInfo) => {
  await zhurnal.createSchool();
  await zhurnal.open(page);
  const login = new LoginPage(page);
  await login.expectShown();
  await login.signIn(ADMIN.login, 'не тот пароль');
  await login.expectRefusal('Неверный логин или пароль. Осталось попыток до блокировки: 4.');
  await screenshot(page, testInfo, 'wrong-password');
  await login.signIn(ADMIN.login, ADMIN.password);
  await new AppShell(page).expectSignedIn(ADMIN.fullName);
});

test('repeated failures lock the account with a clear message', async ({ page, zhurnal }, testInfo) => {
  await zhurnal.createSchool();
  await zhurnal.open(page);
  const login = new LoginPage(page);
  for (let left = 4; left >= 1; left--) {
    await login.signIn(ADMIN.login, 'ошибка');
    await login.expectRefusal(`Осталось попыток до блокировки: ${left}.`);
  }
  await login.signIn(ADMIN.login, 'ошибка');
  await login.expectRefusal(/Слишком много неудачных попыток входа\. Учётная запись заблокирована до \d\d:\d\d/);
  // Even the right password waits for the lock to pass.
  await login.signIn(ADMIN.login, ADMIN.password);
  await login.expectRefusal('заблокирована до');
  await screenshot(page, testInfo, 'lockout');
});

test('the administrator creates a teacher; the teacher must change the temporary password at first login', async ({ page, zhurnal }, testInfo) => {
  await zhurnal.createSchool();
  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.open('Учётные записи');
  const accounts = new AccountsPage(page);
  const temporary = await accounts.createAccount({ fullName: TEACHER.fullName, login: TEACHER.login, position: 'Учитель математики', roles: ['Учитель'] });
  await expect(accounts.row(TEACHER.fullName)).toContainText('временный пароль');
  await expect(accounts.row(TEACHER.fullName)).toContainText('Учитель');
  await screenshot(page, testInfo, 'account-created');
  await shell.signOut();

  await new LoginPage(page).signIn(TEACHER.login, temporary);
  const change = new ChangePasswordPage(page);
  await change.expectShown();
  await change.change(temporary);
  await expect(page.getByRole('alert')).toContainText('Новый пароль должен отличаться от прежнего.');
  await change.change(TEACHER.own);
  await shell.expectSignedIn(TEACHER.fullName);
  await screenshot(page, testInfo, 'teacher-after-change');

  await shell.signOut();
  await new LoginPage(page).signIn(TEACHER.login, TEACHER.own);
  await shell.expectSignedIn(TEACHER.fullName);
});

test('a teacher does not see administration, and the core refuses it if called anyway', async ({ page, zhurnal }, testInfo) => {
  const admin = await zhurnal.createSchool();
  await zhurnal.createAccount(admin, { login: TEACHER.login, fullName: TEACHER.fullName, roles: ['teacher'], password: TEACHER.password, changePassword: TEACHER.own });
  await zhurnal.open(page);
  await new LoginPage(page).signIn(TEACHER.login, TEACHER.own);
  const shell = new AppShell(page);
  await shell.expectSignedIn(TEACHER.fullName);
  await expect(shell.menu).not.toContainText('Администрирование');
  await expect(shell.menu).not.toContainText('Учётные записи');
  await expect(shell.menu).not.toContainText('Журнал изменений');

  const refused = await shell.callCore('accounts.create', { login: 'intruder', fullName: 'Посторонний', roles: ['administrator'], temporaryPassword: 'Временный-1' });
  expect(refused).toEqual({ ok: false, kind: 'forbidden', message: 'Недостаточно прав для этого действия.' });
  expect(await shell.callCore('audit.list', {})).toMatchObject({ ok: false, kind: 'forbidden' });

  // Typing the address of an administration page leads nowhere either.
  await page.goto(`${zhurnal.bridge.url.split('#')[0]}#/admin/accounts`);
  await expect(page.getByText('Этот раздел недоступен для ваших ролей.')).toBeVisible();
  await screenshot(page, testInfo, 'teacher-menu');
});

test('D-43: a forgotten-password request appears in the administrator\'s list and is closed by a temporary password', async ({ page, zhurnal }, testInfo) => {
  const admin = await zhurnal.createSchool();
  await zhurnal.createAccount(admin, { login: TEACHER.login, fullName: TEACHER.fullName, roles: ['teacher'], password: TEACHER.password, changePassword: TEACHER.own });
  await zhurnal.open(page);
  const login = new LoginPage(page);
  await login.requestPasswordReset(TEACHER.login, 'Забыла пароль после каникул');
  await expect(page.getByText('Администратор журнала выдаст вам временный пароль')).toBeVisible();
  await page.getByRole('button', { name: 'Вернуться ко входу' }).click();

  await login.signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.open('Заявки на пароль');
  const requests = new PasswordRequestsPage(page);
  const row = requests.row(TEACHER.login);
  await expect(row).toContainText(TEACHER.fullName);
  await expect(row).toContainText('Забыла пароль после каникул');
  await screenshot(page, testInfo, 'reset-request-listed');

  await row.getByRole('button', { name: 'Выдать временный пароль' }).click();
  const issuedForm = page.getByRole('form', { name: `Временный пароль для ${TEACHER.login}` });
  const temporary = await issuedForm.getByLabel('Временный пароль').inputValue();
  await issuedForm.getByRole('button', { name: 'Выдать' }).click();
  await expect(page.getByText(`Временный пароль для ${TEACHER.fullName}`)).toBeVisible();
  await page.getByRole('button', { name: 'Готово' }).click();
  await expect(page.getByText('Открытых заявок нет.')).toBeVisible();

  await shell.signOut();
  await login.signIn(TEACHER.login, temporary);
  await new ChangePasswordPage(page).expectShown();
});

test('the administrator edits an account, sees a stale edit refused, and checks the audit chain', async ({ page, zhurnal }, testInfo) => {
  const admin = await zhurnal.createSchool();
  await zhurnal.createAccount(admin, { login: TEACHER.login, fullName: TEACHER.fullName, roles: ['teacher'], password: TEACHER.password });
  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.open('Учётные записи');
  const accounts = new AccountsPage(page);
  await accounts.row(TEACHER.fullName).getByRole('button', { name: TEACHER.fullName }).click();
  const edit = page.getByRole('form', { name: 'Данные и роли' });
  await edit.getByLabel('Должность').fill('Учитель физики');
  await edit.getByRole('checkbox', { name: 'Заместитель директора по УВР' }).check();
  await edit.getByRole('button', { name: 'Сохранить' }).click();
  await expect(edit.getByText('Сохранено.')).toBeVisible();
  await expect(accounts.row(TEACHER.fullName)).toContainText('Заместитель директора по УВР');

  // Another administrator changes the same account meanwhile (through the core).
  const list = await admin.ok('accounts.list', {});
  const teacher = list.find((account) => account.login === TEACHER.login)!;
  await admin.ok('accounts.update', { id: teacher.id, version: teacher.version, fullName: teacher.fullName, position: 'Учитель астрономии', roles: teacher.roles });
  await edit.getByLabel('Должность').fill('Учитель химии');
  await edit.getByRole('button', { name: 'Сохранить' }).click();
  await expect(edit.getByRole('alert')).toContainText('Эту учётную запись только что изменил другой администратор.');
  await expect(edit).toContainText('Учитель астрономии');
  await screenshot(page, testInfo, 'edit-conflict');

  await shell.open('Журнал изменений');
  await expect(page.getByRole('cell', { name: /Изменена учётная запись/ }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Проверить целостность' }).click();
  await expect(page.getByText(/Журнал изменений цел: проверено записей — \d+/)).toBeVisible();
  await screenshot(page, testInfo, 'audit-verified');
});

test('D-44: a compromised account is blocked and the changes made with it since are listed', async ({ page, zhurnal }, testInfo) => {
  const admin = await zhurnal.createSchool();
  await zhurnal.createAccount(admin, { login: 'orlov', fullName: 'Орлов Павел Андреевич', roles: ['administrator'], password: 'Временный-1', changePassword: 'Свой-пароль-1' });
  // The other administrator creates an account; that change comes after the moment reported below.
  const orlov = await signIn(zhurnal.core, 'orlov', 'Свой-пароль-1');
  await orlov.ok('accounts.create', { login: 'late', fullName: 'Поздний Сотрудник', roles: ['teacher'], temporaryPassword: 'Временный-1' });

  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.open('Учётные записи');
  const accounts = new AccountsPage(page);
  await accounts.row('Орлов Павел Андреевич').getByRole('button', { name: 'Орлов Павел Андреевич' }).click();
  await page.getByText('Сообщить о компрометации').click();
  const report = page.getByRole('form', { name: 'Сообщить о компрометации' });
  // A moment an hour ago, on the school's clock.
  const hourAgo = await page.evaluate(() => {
    const moment = new Date(Date.now() - 3_600_000);
    const parts = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tomsk', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(moment);
    return parts.split(' ');
  });
  // A time typed wrong is named beside the field, and nothing is reported.
  await report.getByLabel('С какого дня').fill(hourAgo[0]!);
  await report.getByLabel('Основание').fill('Пароль записан на стикере у всех на виду');
  await report.getByLabel(/С какого времени/).fill('25:00');
  await report.getByLabel(/С какого времени/).blur();
  await expect(report).toContainText('Укажите время как ЧЧ:ММ, например 10:30');
  await report.getByRole('button', { name: 'Заблокировать как скомпрометированную' }).click();
  await expect(report).toContainText('Исправьте: С какого времени (время школы).');
  await expect(accounts.row('Орлов Павел Андреевич')).not.toContainText('скомпрометирована');
  await report.getByLabel(/С какого времени/).fill(hourAgo[1]!);
  await report.getByRole('button', { name: 'Заблокировать как скомпрометированную' }).click();
  await expect(accounts.row('Орлов Павел Андреевич')).toContainText('скомпрометирована');
  const panel = page.getByRole('complementary', { name: /Орлов Павел Андреевич/ });
  await expect(panel).toContainText('Изменения после сообщения: 1');
  await expect(panel).toContainText('Создана учётная запись');
  await expect(panel).toContainText('Поздний Сотрудник');
  await screenshot(page, testInfo, 'compromised');
});

test('an account blocked while signed in is sent back to the login with the reason', async ({ page, zhurnal }, testInfo) => {
  const admin = await zhurnal.createSchool();
  await zhurnal.createAccount(admin, { login: TEACHER.login, fullName: TEACHER.fullName, roles: ['teacher'], password: TEACHER.password, changePassword: TEACHER.own });
  await zhurnal.open(page);
  await new LoginPage(page).signIn(TEACHER.login, TEACHER.own);
  await new AppShell(page).expectSignedIn(TEACHER.fullName);

  const teacher = (await admin.ok('accounts.list', {})).find((account) => account.login === TEACHER.login)!;
  await admin.ok('accounts.block', { id: teacher.id, version: teacher.version, reason: 'Уволилась' });
  await page.reload();
  const login = new LoginPage(page);
  await login.expectShown();
  await expect(page.getByRole('status')).toHaveText('Сеанс завершён. Войдите снова.');
  await login.signIn(TEACHER.login, TEACHER.own);
  await login.expectRefusal('Учётная запись заблокирована. Обратитесь к администратору журнала.');
  await screenshot(page, testInfo, 'blocked-account');
});

test('the administrator sees a locked account and lifts the lock', async ({ page, zhurnal }, testInfo) => {
  const admin = await zhurnal.createSchool();
  await zhurnal.createAccount(admin, { login: TEACHER.login, fullName: TEACHER.fullName, roles: ['teacher'], password: TEACHER.password, changePassword: TEACHER.own });
  for (let attempt = 0; attempt < 5; attempt++) {
    await zhurnal.core.call({ method: 'auth.login', input: { login: TEACHER.login, password: 'ошибка' } });
  }
  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  await new AppShell(page).open('Учётные записи');
  const accounts = new AccountsPage(page);
  await expect(accounts.row(TEACHER.fullName)).toContainText(/заблокирована до \d\d:\d\d/);
  await accounts.row(TEACHER.fullName).getByRole('button', { name: TEACHER.fullName }).click();
  await page.getByRole('button', { name: 'Снять блокировку' }).click();
  await expect(accounts.row(TEACHER.fullName)).toContainText('активна');
  await screenshot(page, testInfo, 'unlocked');
  await new AppShell(page).signOut();
  await new LoginPage(page).signIn(TEACHER.login, TEACHER.own);
  await new AppShell(page).expectSignedIn(TEACHER.fullName);
});
