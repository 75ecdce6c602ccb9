import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrintFixture, PASSWORD } from '../support/print-fixture';
import { expect, screenshot, test } from './support/fixtures';
import { AppShell, LoginPage } from './support/pages';

// Printing a class journal from the app, the print log with
// SHA-256, the core's refusal for a teacher who does not teach the class, and the whole school
// printed by a job in the core into a folder (typed here: a browser has no folder picker).

const OUTSIDER = { login: 'orlov', fullName: 'Орлов Сергей Петрович', password: 'Временный-1', own: 'Свой-пароль-1' };

test('a deputy prints 5А for the first quarter; a teacher of another class is refused by the core', async ({ page, zhurnal }, testInfo) => {
  // 40 students × 7 subjects of lessons written into the database, then a real print.
  test.setTimeout(120_000);
  const fixture = await createPrintFixture(zhurnal.core);
  await zhurnal.createAccount(fixture.admin, { login: OUTSIDER.login, fullName: OUTSIDER.fullName, roles: ['teacher'], password: OUTSIDER.password, changePassword: OUTSIDER.own });

  await zhurnal.open(page);
  await new LoginPage(page).signIn(fixture.users.deputy.login, PASSWORD);
  const shell = new AppShell(page);
  await shell.expectSignedIn(fixture.users.deputy.fullName);
  await shell.open('Печать журнала');

  const choice = page.getByRole('form', { name: 'Что напечатать' });
  await choice.getByLabel('Класс').selectOption({ label: '5А' });
  // The class's newest begun period is offered first: the fixture's year 2025/2026 is over, so
  // its IV quarter; the deputy picks the first.
  await expect(choice.getByLabel('Период')).toHaveValue(String(fixture.quarterIds[3]));
  await choice.getByLabel('Период').selectOption(String(fixture.quarterIds[0]));
  await choice.getByRole('button', { name: 'Сформировать PDF' }).click();

  const printed = page.getByRole('region', { name: 'Готовый документ' });
  await expect(printed.getByRole('heading')).toHaveText('Классный журнал 5А класса, I четверть 2025/2026 учебного года', { timeout: 60_000 });
  const shownSha = (await page.getByTestId('printed-sha256').textContent())!.trim();
  expect(shownSha).toMatch(/^[0-9a-f]{64}$/);
  const shownSheets = Number((await page.getByTestId('printed-sheets').textContent())!.match(/^\d+/)![0]);

  // «Сохранить PDF» gives exactly the file that was logged, with as many pages as sheets
  // (one-sided printing by default).
  const [download] = await Promise.all([page.waitForEvent('download'), printed.getByRole('button', { name: 'Сохранить PDF' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const file = await download.path();
  expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(shownSha);
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  expect(pages).toBe(shownSheets);
  await expect(page.getByTestId('printed-pages')).toHaveText(String(pages));

  // The print log lists this print with the same SHA-256, under the deputy's name.
  const logRow = page.getByRole('table', { name: 'Последние печати' }).getByRole('row').filter({ hasText: shownSha });
  await expect(logRow).toContainText(fixture.users.deputy.fullName);
  await expect(logRow).toContainText('Классный журнал 5А класса');
  await expect(logRow).toContainText(String(shownSheets));
  // The saved file, picked again, is recognised as the logged print (D-39).
  await page.getByLabel('Выбрать PDF…').setInputFiles(file);
  await expect(page.getByRole('status').filter({ hasText: 'совпадает с напечатанным' })).toContainText('Классный журнал 5А класса, I четверть');
  await screenshot(page, testInfo, 'print-deputy-5a');

  // A teacher who has no lessons in 5А: the core refuses, and says who may print it.
  await shell.signOut();
  await new LoginPage(page).signIn(OUTSIDER.login, OUTSIDER.own);
  await shell.expectSignedIn(OUTSIDER.fullName);
  await shell.open('Печать журнала');
  await expect(page.getByRole('region', { name: 'Вся школа' })).toHaveCount(0);
  await choice.getByLabel('Класс').selectOption({ label: '5А' });
  await choice.getByRole('button', { name: 'Сформировать PDF' }).click();
  await expect(choice.getByRole('alert')).toHaveText('Вы не ведёте уроков в 5А классе: распечатать его журнал может классный руководитель или администрация.');
  await expect(page.getByRole('region', { name: 'Готовый документ' })).toHaveCount(0);
  // The teacher sees only their own prints: none.
  await expect(page.getByRole('table', { name: 'Последние печати' })).toContainText('Печатей ещё не было.');
  await screenshot(page, testInfo, 'print-teacher-refused');
});

test('the deputy prints the whole school into a folder: progress, then every file with its SHA-256', async ({ page, zhurnal }, testInfo) => {
  test.setTimeout(120_000);
  // A small school: three classes of a few students, a quarter of lessons each.
  const fixture = await createPrintFixture(zhurnal.core, { studentCount: 16 });
  await createPrintFixture(zhurnal.core, { admin: fixture.admin, className: '6Б', studentCount: 10, seed: 11 });
  await createPrintFixture(zhurnal.core, { admin: fixture.admin, className: '7В', studentCount: 8, seed: 12 });
  const folder = mkdtempSync(join(tmpdir(), 'zhurnal-e2e-school-'));
  try {
    await zhurnal.open(page);
    await new LoginPage(page).signIn(fixture.users.deputy.login, PASSWORD);
    const shell = new AppShell(page);
    await shell.expectSignedIn(fixture.users.deputy.fullName);
    await shell.open('Печать журнала');

    const school = page.getByRole('region', { name: 'Вся школа' });
    const form = school.getByRole('form', { name: 'Печать всей школы' });
    // The newest period begun (the year 2025/2026 is over: the fourth); the first is chosen.
    await expect(form.getByLabel('Период')).toHaveValue('4');
    await form.getByLabel('Период').selectOption('1');
    // No folder: said beside the field and on the button's line; nothing starts.
    await form.getByRole('button', { name: 'Напечатать все классы (3)' }).click();
    await expect(form.getByText('Укажите папку для файлов')).toBeVisible();
    await expect(form.getByText('Исправьте: Папка для файлов.')).toBeVisible();
    await expect(school.getByRole('status', { name: 'Ход печати' })).toHaveCount(0);
    // A folder that is not there is refused by the core before anything is printed.
    await form.getByLabel('Папка для файлов').fill(join(folder, 'нет такой'));
    await form.getByRole('button', { name: 'Напечатать все классы (3)' }).click();
    await expect(form.getByRole('alert')).toHaveText(`Папка «${join(folder, 'нет такой')}» не найдена. Выберите существующую папку.`);

    await form.getByLabel('Папка для файлов').fill(folder);
    await form.getByRole('button', { name: 'Напечатать все классы (3)' }).click();
    // Progress while the core prints, class by class, with a way to stop.
    const progress = school.getByRole('status', { name: 'Ход печати' });
    await expect(progress).toContainText(/\d из 3/);
    await expect(progress.getByRole('progressbar', { name: 'Печать журналов всей школы' })).toBeVisible();
    await expect(progress.getByRole('button', { name: 'Остановить' })).toBeVisible();

    await expect(school.getByRole('status').filter({ hasText: 'Готово' })).toHaveText(`Готово: записано 3 файла в папку ${folder}.`, { timeout: 60_000 });
    const files = readdirSync(folder).sort();
    expect(files).toEqual(['Журнал 5А, I четверть 2025-2026.pdf', 'Журнал 6Б, I четверть 2025-2026.pdf', 'Журнал 7В, I четверть 2025-2026.pdf']);
    const table = school.getByRole('table', { name: 'Файлы всей школы' });
    const log = page.getByRole('table', { name: 'Последние печати' });
    for (const [index, className] of ['5А', '6Б', '7В'].entries()) {
      const bytes = readFileSync(join(folder, files[index]!));
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const sha = createHash('sha256').update(bytes).digest('hex');
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [join(folder, files[index]!)], { encoding: 'utf8' }))![1]);
      const row = table.getByRole('row').filter({ hasText: className });
      await expect(row).toContainText(files[index]!);
      await expect(row).toContainText(`${pages} лист`);
      await expect(row).toContainText(`${sha.slice(0, 12)}…`);
      // Each file is in the print log under the deputy's name, with its SHA-256.
      await expect(log.getByRole('row').filter({ hasText: sha })).toContainText(fixture.users.deputy.fullName);
    }
    await screenshot(page, testInfo, 'print-whole-school');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
