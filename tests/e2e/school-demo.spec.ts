import { expect, screenshot, test } from './support/fixtures';
import { AppShell, LoginPage } from './support/pages';
import { TestSession } from '../support/client';

// The school screens on the lived-in demo school: a full year, ~25 students a
// class, a real timetable — what a newcomer sees first.

test('the school screens show the demo school\'s year, classes, students and timetable', async ({ page, zhurnal }, testInfo) => {
  test.setTimeout(240_000);
  const demo = await new TestSession(zhurnal.core).ok('setup.createDemo', { seed: 1 });
  const admin = demo.accounts.find((account) => account.roles.includes('administrator'));
  test.skip(!admin, 'в демонстрационной школе нет администратора');
  await zhurnal.open(page);
  const login = new LoginPage(page);
  await login.signIn(admin!.login, demo.password);
  const shell = new AppShell(page);
  await expect(shell.menu).toBeVisible();

  await shell.open('Учебный год');
  await expect(page.getByRole('region', { name: 'Учебные периоды' })).toContainText('I четверть');
  await screenshot(page, testInfo, 'demo-year');

  await shell.open('Предметы и учебный план');
  await expect(page.getByRole('table', { name: 'Учебный план' })).toContainText('Математика');
  await screenshot(page, testInfo, 'demo-curriculum');

  await shell.open('Классы');
  await expect(page.getByRole('table', { name: 'Список классов' }).getByRole('row')).not.toHaveCount(1);

  await shell.open('Ученики');
  await expect(page.getByRole('table', { name: /^Ученики / }).getByRole('row').nth(10)).toBeVisible();
  await screenshot(page, testInfo, 'demo-students');

  await shell.open('Расписание');
  await expect(page.getByRole('table', { name: /^Расписание / })).toBeVisible();
  await screenshot(page, testInfo, 'demo-timetable');
});
