import type { Page, TestInfo } from '@playwright/test';
import { expect, screenshot, test } from './support/fixtures';
import { AppShell, LoginPage } from './support/pages';
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

  const teacher = demo.accounts.find((account) => account.roles.includes('teacher') && !account.roles.includes('administrator'))!;
  const people = [
    { role: 'учитель', login: teacher.login, password: demo.password, journal: true, attendance: true },
    { role: 'администратор', login: admin.login, password: demo.password, journal: true, attendance: false },
    { role: 'завуч', login: byRole('deputy')!.login, password: demo.password, journal: true, attendance: false },
    { role: 'директор', login: byRole('director')!.login, password: demo.password, journal: false, attendance: false },
    { role: 'секретарь', login: 'sekretar', password: PASSWORD, journal: false, attendance: false },
  ];

  await zhurnal.open(page);
  const login = new LoginPage(page);
  for (const person of people) {
    await login.expectShown();
    await login.signIn(person.login, person.password);
    await expect(page.getByRole('heading', { level: 1, name: 'Главная' })).toBeVisible();
    await visitEveryMenuPage(page, testInfo, person.role);
    if (person.attendance) await attendanceWeekAndPeriod(page, testInfo, person.role);
    if (person.journal) await openJournalAndCheckActiveCell(page, testInfo, person.role);
    await page.getByRole('banner').getByRole('button', { name: 'Выйти' }).click();
  }
});
