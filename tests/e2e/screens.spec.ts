import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { ADMIN, expect, screenshot, test } from './support/fixtures';
import { AccountsPage, AppShell, ChangePasswordPage, LoginPage } from './support/pages';
import { signIn, TestSession } from '../support/client';

// Every role's screens at a classroom PC's 1366×768 on the lived-in demo school: every menu
// page fits the window (no sideways scroll of the whole page), and on the journal the cell
// that is active on opening is on screen, not under the sticky columns. A screenshot of
// every page per role is kept under test-results/ for a person to look at.

const PASSWORD = 'Ученик-Пароль-1';

async function pageFitsWindow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

async function visitEveryMenuPage(page: Page, testInfo: TestInfo, role: string) {
  const shell = new AppShell(page);
  await expect(shell.menu).toBeVisible();
  const titles = await shell.menu.getByRole('link').allInnerTexts();
  expect(titles.length).toBeGreaterThan(0);
  for (const title of titles) {
    await shell.menu.getByRole('link', { name: title, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    // The page's data has arrived: no «Загружаю…» left.
    await expect(page.locator('main').getByText(/^Загружаю/)).toHaveCount(0, { timeout: 60_000 });
    const size = await pageFitsWindow(page);
    expect(size.scrollWidth, `${role}: «${title}» шире окна`).toBeLessThanOrEqual(size.innerWidth);
    await screenshot(page, testInfo, `${role}-${title}`);
  }
  return titles;
}

/** The class teacher's week and period of attendance fit the window; a day of the week opens. */
async function attendanceWeekAndPeriod(page: Page, testInfo: TestInfo, role: string) {
  await new AppShell(page).open('Пропуски класса');
  await page.getByRole('button', { name: 'Неделя' }).click();
  await expect(page.getByRole('heading', { level: 2, name: /Неделя/ })).toBeVisible();
  await screenshot(page, testInfo, `${role}-пропуски-неделя`);
  let size = await pageFitsWindow(page);
  expect(size.scrollWidth, `${role}: пропуски за неделю шире окна`).toBeLessThanOrEqual(size.innerWidth);
  await page.getByRole('button', { name: 'Период' }).click();
  await expect(page.getByRole('table', { name: /Посещаемость .*четверть/ })).toBeVisible();
  await screenshot(page, testInfo, `${role}-пропуски-период`);
  size = await pageFitsWindow(page);
  expect(size.scrollWidth, `${role}: пропуски за период шире окна`).toBeLessThanOrEqual(size.innerWidth);
  // A day of the week with lessons, opened from the week's heading.
  await page.getByRole('button', { name: 'Неделя' }).click();
  await page.getByRole('button', { name: /^Открыть день/ }).last().click();
  const day = page.getByRole('table', { name: /за день$/ });
  await expect(day).toBeVisible();
  await screenshot(page, testInfo, `${role}-пропуски-день`);
  size = await pageFitsWindow(page);
  expect(size.scrollWidth, `${role}: пропуски за день шире окна`).toBeLessThanOrEqual(size.innerWidth);
  expect(await fitsItsBox(day), `${role}: таблица пропусков за день шире своего места`).toBe(true);
  // ‹ and › step a school day back and forward without typing the date.
  const dayField = page.getByRole('textbox', { name: 'День' });
  const shown = await dayField.inputValue();
  await page.getByRole('button', { name: 'Предыдущий учебный день' }).click();
  await expect(dayField).not.toHaveValue(shown);
  await page.getByRole('button', { name: 'Следующий учебный день' }).click();
  await expect(dayField).toHaveValue(shown);
}

/** The element is no wider than the box it sits in (a table never runs past its frame). */
async function fitsItsBox(element: Locator): Promise<boolean> {
  return element.evaluate((node) => {
    const parent = node.parentElement!;
    return node.getBoundingClientRect().right <= parent.getBoundingClientRect().right + 1 && parent.scrollWidth <= parent.clientWidth + 1;
  });
}

/** «Журнал изменений» narrowed to marks, and «Отчёты» with a chart: both fit, the tables stay in their boxes. */
async function auditAndReports(page: Page, testInfo: TestInfo, role: string) {
  const shell = new AppShell(page);
  await shell.open('Журнал изменений');
  const filters = page.getByRole('form', { name: 'Отбор записей' });
  await filters.getByLabel('Раздел').selectOption({ label: 'Учётная запись' });
  await filters.getByRole('button', { name: 'Показать' }).click();
  const audit = page.locator('table.audit-table');
  await expect(audit.locator('tbody tr').first()).toBeVisible();
  await screenshot(page, testInfo, `${role}-журнал-изменений-отбор`);
  let size = await pageFitsWindow(page);
  expect(size.scrollWidth, `${role}: журнал изменений шире окна`).toBeLessThanOrEqual(size.innerWidth);
  expect(await fitsItsBox(audit)).toBe(true);
  // No entry shows an internal key, a rule number or an ISO time.
  expect(await audit.locator('tbody').innerText()).not.toMatch(/[a-z][A-Z]|\b[a-z_]+: |D-\d|\d{4}-\d{2}-\d{2}T/);

  await shell.menu.getByRole('link', { name: 'Отчёты', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Отчёты' })).toBeVisible();
  for (const form of ['Контроль ведения журнала', 'Итоги успеваемости за период']) {
    await page.locator('label', { hasText: /^Форма/ }).locator('select').selectOption({ label: form });
    const report = page.locator('section.report');
    await expect(report.getByRole('heading', { level: 2, name: form })).toBeVisible({ timeout: 60_000 });
    await expect(report).not.toHaveAttribute('aria-busy', 'true', { timeout: 60_000 });
    await screenshot(page, testInfo, `${role}-отчёт-${form}`);
    size = await pageFitsWindow(page);
    expect(size.scrollWidth, `${role}: «${form}» шире окна`).toBeLessThanOrEqual(size.innerWidth);
    // The control form's thirteen columns still scroll inside their box at 1366 px (the page itself fits).
  }
}

async function openJournalAndCheckActiveCell(page: Page, testInfo: TestInfo, role: string) {
  await new AppShell(page).menu.getByRole('link', { name: 'Журнал', exact: true }).click();
  await page.locator('main table a').first().click();
  const grid = page.getByRole('grid');
  await expect(grid).toBeVisible();
  const active = grid.locator('[role="gridcell"][aria-selected="true"]');
  await expect(active).toHaveCount(1);
  await screenshot(page, testInfo, `${role}-журнал-страница`);
  const hit = await active.evaluate((cell) => {
    const box = cell.getBoundingClientRect();
    const found = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return { same: found !== null && (found === cell || cell.contains(found)), inWindow: box.right <= window.innerWidth && box.bottom <= window.innerHeight };
  });
  expect(hit.same, `${role}: активная клетка журнала закрыта`).toBe(true);
  expect(hit.inWindow, `${role}: активная клетка журнала за краем окна`).toBe(true);
  const size = await pageFitsWindow(page);
  expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
}

test('every role\'s menu pages fit 1366×768 and the journal shows its active cell', async ({ page, zhurnal }, testInfo) => {
  test.setTimeout(600_000);
  const demo = await new TestSession(zhurnal.core).ok('setup.createDemo', { seed: 1 });
  const byRole = (role: string) => demo.accounts.find((account) => account.roles.includes(role as never));
  const admin = byRole('administrator')!;
  // The demo's sample accounts have no secretary: the administrator makes one.
  const adminSession = await signIn(zhurnal.core, admin.login, demo.password);
  await zhurnal.createAccount(adminSession, { login: 'sekretar', fullName: 'Кузнецова Анна Ивановна', roles: ['secretary'], password: 'Временный-1', changePassword: PASSWORD });

  // The demo's class teacher (its note says «классный руководитель …»).
  const teacher = demo.accounts.find((account) => account.roles.includes('teacher') && !account.roles.includes('administrator') && account.note.includes('классный руководитель'))!;
  // Menus by role: what each must find, and what is not their work.
  const people = [
    { role: 'классный руководитель', login: teacher.login, password: demo.password, journal: true, attendance: true, reports: false, has: ['КТП', 'Пропуски класса', 'Ученики', 'Отчёты для родителей'], hasNot: ['Учебный год', 'Нагрузка', 'Учётные записи'] },
    { role: 'администратор', login: admin.login, password: demo.password, journal: true, attendance: false, reports: false, has: ['Учебный год', 'Учётные записи', 'Резервные копии'], hasNot: ['Пропуски класса'] },
    { role: 'завуч', login: byRole('deputy')!.login, password: demo.password, journal: true, attendance: false, reports: true, has: ['КТП', 'Выполнение программы', 'Замены', 'Отчёты'], hasNot: ['Пропуски класса', 'Учётные записи'] },
    { role: 'директор', login: byRole('director')!.login, password: demo.password, journal: false, attendance: false, reports: false, has: ['Отчёты', 'Журнал изменений'], hasNot: ['КТП', 'Запросы на изменение', 'Пропуски класса'] },
    { role: 'секретарь', login: 'sekretar', password: PASSWORD, journal: false, attendance: false, reports: false, has: ['Ученики', 'Классы'], hasNot: ['КТП', 'Запросы на изменение', 'Отчёты'] },
  ];

  await zhurnal.open(page);
  const login = new LoginPage(page);
  for (const person of people) {
    await login.expectShown();
    await login.signIn(person.login, person.password);
    await expect(page.getByRole('heading', { level: 1, name: 'Главная' })).toBeVisible();
    const titles = await visitEveryMenuPage(page, testInfo, person.role);
    expect(titles, `${person.role}: меню`).toEqual(expect.arrayContaining(person.has));
    for (const title of person.hasNot) expect(titles, `${person.role}: «${title}» в меню`).not.toContain(title);
    if (person.attendance) await attendanceWeekAndPeriod(page, testInfo, person.role);
    if (person.journal) await openJournalAndCheckActiveCell(page, testInfo, person.role);
    if (person.reports) await auditAndReports(page, testInfo, person.role);
    await page.getByRole('banner').getByRole('button', { name: 'Выйти' }).click();
  }
});

async function signInToDemo(page: Page, zhurnal: { open(page: Page): Promise<void> }, login: string, password: string) {
  await zhurnal.open(page);
  const form = new LoginPage(page);
  await form.expectShown();
  await form.signIn(login, password);
  await expect(page.getByRole('heading', { level: 1, name: 'Главная' })).toBeVisible();
}

test.describe('on a PC whose Windows speaks English', () => {
  test.use({ locale: 'en-US' });

  test('the lesson form opens over the right edge with the grid in place, reads dates as дд.мм.гггг and asks once about a lesson without a topic', async ({ page, zhurnal }, testInfo) => {
    test.setTimeout(180_000);
    const demo = await new TestSession(zhurnal.core).ok('setup.createDemo', { seed: 1 });
    const teacher = demo.accounts.find((account) => account.roles.includes('teacher') && !account.roles.includes('administrator'))!;
    await signInToDemo(page, zhurnal, teacher.login, demo.password);
    await new AppShell(page).menu.getByRole('link', { name: 'Журнал', exact: true }).click();
    await page.locator('main table a').first().click();
    const grid = page.getByRole('grid');
    await expect(grid).toBeVisible();
    const gridBefore = await grid.boundingBox();

    await page.getByRole('button', { name: 'Новый урок' }).click();
    const form = page.getByRole('form', { name: 'Новый урок' });
    const date = form.getByLabel('Дата урока');
    await expect(date).toHaveValue(/^\d{2}\.\d{2}\.\d{4}$/);
    const today = await date.inputValue();
    // The grid has not moved: the form lies over the right edge of the page.
    expect(await grid.boundingBox()).toEqual(gridBefore);

    // A date that is not in the calendar, typed the Russian way, is refused beside the field.
    await date.fill('31.02.2026');
    await form.getByLabel('Тема урока').click();
    await expect(form.getByText('Введите дату как дд.мм.гггг')).toBeVisible();
    await date.fill(today.replaceAll('.', ''));
    await form.getByLabel('Тема урока').click();
    await expect(date).toHaveValue(today);
    await expect(form.getByText('Введите дату как дд.мм.гггг')).toHaveCount(0);

    // No topic (the demo's КТП offers one: the teacher clears it): asked once; the second
    // answer writes the lesson.
    await form.getByLabel('Тема урока').fill('');
    await form.getByRole('button', { name: 'Записать урок' }).click();
    const ask = form.getByRole('alertdialog', { name: 'Урок без темы' });
    await expect(ask).toContainText('Урок без темы — записать?');
    await expect(ask).toBeInViewport();
    await screenshot(page, testInfo, 'урок-без-темы');
    const size = await pageFitsWindow(page);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
    await ask.getByRole('button', { name: 'Записать без темы' }).click();
    await expect(form).toHaveCount(0);
    await expect(grid.getByRole('columnheader', { name: new RegExp(`Урок ${today.slice(0, 5)}`) }).first()).toBeVisible();
  });
});

test('accounts at 1366×768: a readable temporary password on a slip, block and unblock with a reason, the first change of password without typing it again', async ({ page, zhurnal }, testInfo) => {
  test.setTimeout(180_000);
  await zhurnal.createSchool();
  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.open('Учётные записи');
  const accounts = new AccountsPage(page);
  const temporary = await accounts.createAccount({ fullName: 'Орлова Нина Петровна', login: 'orlova', roles: ['Учитель'] });
  // Easy to read aloud: no 0/O, 1/l/I.
  expect(temporary).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{4}-[a-km-zA-HJ-NP-Z2-9]{4}-[a-km-zA-HJ-NP-Z2-9]{4}$/);
  const slip = page.getByRole('region', { name: 'Памятка для входа' });
  await expect(slip).toContainText('orlova');
  await expect(page.getByRole('button', { name: 'Напечатать памятку' })).toBeVisible();
  await screenshot(page, testInfo, 'памятка-с-паролем');
  await page.getByRole('complementary', { name: 'Новая учётная запись' }).getByRole('button', { name: 'Закрыть', exact: true }).last().click();

  await accounts.row('Орлова Нина Петровна').getByRole('button').click();
  const panel = page.getByRole('complementary', { name: 'Учётная запись Орлова Нина Петровна' });
  // The account's data has no «access» checkbox: blocking is its own button, with a reason.
  await expect(panel.getByRole('checkbox', { name: /Доступ/ })).toHaveCount(0);
  const block = panel.getByRole('form', { name: 'Заблокировать' });
  await block.getByRole('button', { name: 'Заблокировать' }).click();
  await expect(block).toContainText('Укажите причину блокировки');
  await block.getByLabel('Причина блокировки').fill('Уволилась');
  await block.getByRole('button', { name: 'Заблокировать' }).click();
  await expect(accounts.row('Орлова Нина Петровна')).toContainText('заблокирована');
  await expect(panel).toContainText('Причина: Уволилась');
  await screenshot(page, testInfo, 'учётная-запись-заблокирована');
  let size = await pageFitsWindow(page);
  expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
  const unblock = panel.getByRole('form', { name: 'Разблокировать' });
  await unblock.getByLabel('Причина разблокировки').fill('Ошиблись человеком');
  await unblock.getByRole('button', { name: 'Разблокировать' }).click();
  await expect(accounts.row('Орлова Нина Петровна')).toContainText('временный пароль');
  // Escape in a field keeps the panel and what was typed; elsewhere it closes the panel and
  // gives the focus back to the row's button that opened it.
  const reason = panel.getByRole('form', { name: 'Заблокировать' }).getByLabel('Причина блокировки');
  await reason.fill('Уходит в отпуск');
  await page.keyboard.press('Escape');
  await expect(reason).toHaveValue('Уходит в отпуск');
  await panel.getByRole('heading').first().click();
  const opener = accounts.row('Орлова Нина Петровна').getByRole('button');
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  await expect(opener).toBeFocused();
  await shell.signOut();

  await new LoginPage(page).signIn('orlova', temporary);
  const change = new ChangePasswordPage(page);
  await change.expectShown();
  await screenshot(page, testInfo, 'смена-временного-пароля');
  size = await pageFitsWindow(page);
  expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
  await change.change('Свой-пароль-1');
  await shell.expectSignedIn('Орлова Нина Петровна');
});

test('backup settings at 1366×768: weekday and time in words, a missing folder refused, no stale warning once a folder is set', async ({ page, zhurnal }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await zhurnal.createSchool();
  await admin.ok('backup.setPassword', { newPassword: 'Пароль-копий-1' });
  const copies = mkdtempSync(join(tmpdir(), 'zhurnal-e2e-copies-'));
  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  await new AppShell(page).open('Резервные копии');
  await page.getByRole('button', { name: 'Сделать копию сейчас' }).click();
  await expect(page.getByText('Не выбрано, куда копировать').first()).toBeVisible();

  const settings = page.getByRole('form', { name: 'Настройки резервного копирования' });
  await expect(settings.getByLabel(/cron/)).toHaveCount(0);
  await settings.getByLabel('Время').fill('25:00');
  await settings.getByLabel('Вторая папка').click();
  await expect(settings).toContainText('Такого времени нет: часы от 0 до 23, минуты от 00 до 59');
  await settings.getByLabel('Время').fill('18:30');
  await settings.getByLabel('Когда').selectOption({ label: 'по средам' });
  await settings.getByLabel('Вторая папка').fill(join(copies, 'нет-такой'));
  await settings.getByRole('button', { name: 'Сохранить настройки' }).click();
  await expect(settings).toContainText('не найдена на этом компьютере');
  await screenshot(page, testInfo, 'копии-папки-нет');

  await settings.getByLabel('Вторая папка').fill(copies);
  await settings.getByRole('button', { name: 'Сохранить настройки' }).click();
  await expect(page.getByText('Настройки сохранены.')).toBeVisible();
  await expect(page.getByText(/по средам в 18:30/)).toBeVisible();
  await expect(page.getByText('Не выбрано, куда копировать')).toHaveCount(0);
  await screenshot(page, testInfo, 'копии-настроены');
  const size = await pageFitsWindow(page);
  expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
});

test('«Журнал изменений» at 1366×768: a journal change says where it was; a class, a subject and a person narrow the list', async ({ page, zhurnal }, testInfo) => {
  test.setTimeout(180_000);
  const demo = await new TestSession(zhurnal.core).ok('setup.createDemo', { seed: 1 });
  // A teacher puts a mark today (through the core), and the deputy looks for it.
  const teacherAccount = demo.accounts.find((account) => account.roles.includes('teacher') && !account.roles.includes('administrator'))!;
  const teacher = await signIn(zhurnal.core, teacherAccount.login, demo.password);
  const load = (await teacher.ok('journal.myLoads', {})).find((item) => item.access === 'own' && !item.noMarks && item.subgroupId === null)!;
  const journal = await teacher.ok('journal.page', { loadId: load.loadId });
  const lesson = await teacher.ok('journal.saveLesson', { loadId: load.loadId, date: journal.today, topic: 'Повторение' });
  const workType = journal.workTypes.find((type) => type.active)!;
  await teacher.ok('journal.saveMark', { lessonId: lesson.id, studentId: journal.students[0]!.id, value: '5', workTypeId: workType.id });

  const deputy = demo.accounts.find((account) => account.roles.includes('deputy'))!;
  await signInToDemo(page, zhurnal, deputy.login, demo.password);
  await new AppShell(page).open('Журнал изменений');
  const filters = page.getByRole('form', { name: 'Отбор записей' });
  await filters.getByLabel('Раздел').selectOption({ label: 'Отметка' });
  await filters.getByLabel('Класс').selectOption({ label: load.className });
  await filters.getByLabel('Предмет').selectOption({ label: load.subjectName });
  await filters.getByRole('button', { name: 'Показать' }).click();
  const rows = page.locator('table.audit-table tbody tr');
  await expect(rows).toHaveCount(1);
  const [year, month, day] = journal.today.split('-');
  await expect(rows.first().locator('td').nth(2)).toContainText(`${load.className} · ${load.subjectName} · ${day}.${month}.${year} · `);
  await screenshot(page, testInfo, 'журнал-изменений-класс-предмет');
  // The deputy narrows by person from the staff list: the teacher's mark, then none of her own.
  await filters.getByLabel('Сотрудник').selectOption({ label: teacherAccount.fullName });
  await filters.getByRole('button', { name: 'Показать' }).click();
  await expect(rows).toHaveCount(1);
  await filters.getByLabel('Сотрудник').selectOption({ label: deputy.fullName });
  await filters.getByRole('button', { name: 'Показать' }).click();
  await expect(rows).toHaveCount(0);
  const size = await pageFitsWindow(page);
  expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
});

test('forms check as typed at 1366×768: a wrong value is named beside its field in Russian, the button says what stops it, nothing is saved', async ({ page, zhurnal }, testInfo) => {
  test.setTimeout(180_000);
  const admin = await zhurnal.createSchool();
  const subjectsBefore = (await admin.ok('school.subjects.list', {})).length;
  await zhurnal.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);

  // A subject: the name left empty, the order typed as a word, the grades the wrong way round.
  await shell.open('Предметы и учебный план');
  await page.getByRole('button', { name: 'Новый предмет' }).click();
  const subject = page.getByRole('form', { name: 'Новый предмет' });
  await subject.getByLabel('Порядок в списке').fill('первый');
  await subject.getByLabel('Порядок в списке').blur();
  await expect(subject).toContainText('Порядок — целым числом, например 10');
  await subject.getByLabel('С класса').selectOption({ label: '9 класс' });
  await subject.getByLabel('По класс').selectOption({ label: '5 класс' });
  await subject.getByRole('button', { name: 'Добавить предмет' }).click();
  await expect(subject).toContainText('Укажите название предмета');
  await expect(subject).toContainText('Не раньше, чем «С класса»');
  await expect(subject).toContainText('Исправьте: Полное название по учебному плану, По класс, Порядок в списке.');
  await expect(subject.getByLabel('Полное название по учебному плану')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, testInfo, 'форма-предмета-ошибки');
  let size = await pageFitsWindow(page);
  expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
  // Fixed as typed: the message beside the field goes with the mistake.
  await subject.getByLabel('Порядок в списке').fill('10');
  await expect(subject).not.toContainText('Порядок — целым числом');
  expect((await admin.ok('school.subjects.list', {})).length).toBe(subjectsBefore);

  // The backup password: the two new ones differ, so it is not set.
  await shell.open('Резервные копии');
  const password = page.getByRole('form', { name: 'Пароль резервных копий' });
  await password.getByLabel('Новый пароль', { exact: true }).fill('Пароль-копий-1');
  await password.getByLabel('Новый пароль ещё раз').fill('Пароль-копий-2');
  await password.getByRole('button', { name: 'Задать пароль' }).click();
  await expect(password).toContainText('Пароли не совпадают');
  await expect(password).toContainText('Исправьте: Новый пароль ещё раз.');
  await screenshot(page, testInfo, 'пароль-копий-не-совпадают');
  expect((await admin.ok('backup.status', {})).passwordSet).toBe(false);

  // The audit filters: a date that is not in the calendar, and an end before the start.
  await shell.open('Журнал изменений');
  const filters = page.getByRole('form', { name: 'Отбор записей' });
  await filters.getByLabel('С даты').fill('31.02.2026');
  await filters.getByLabel('С даты').blur();
  await expect(filters).toContainText('Введите дату как дд.мм.гггг, например 01.09.2025');
  await filters.getByLabel('С даты').fill('10.03.2026');
  await filters.getByLabel('По дату').fill('01.03.2026');
  await filters.getByRole('button', { name: 'Показать' }).click();
  await expect(filters).toContainText('Эта дата раньше, чем «С даты»');
  await screenshot(page, testInfo, 'отбор-записей-даты');
  size = await pageFitsWindow(page);
  expect(size.scrollWidth).toBeLessThanOrEqual(size.innerWidth);
});
