import { readFileSync } from 'node:fs';
import { screenshot } from './support/fixtures';
import { expect, JournalScreen, signInAs, signOut, test } from './support/journal-school';

// Substitutions end to end: the deputy assigns a two-day substitution from the timetable,
// the substitute finds the lessons on the home page and writes them, the deputy downloads
// the month's sheet. It is Wednesday 14 October 2026, 14:30 in Tomsk (journal-school.ts).
test.describe.configure({ timeout: 180_000 });

const RUSSIAN = { login: 'petrova', fullName: 'Петрова Анна Викторовна' };
const DEPUTY = { login: 'orlova', fullName: 'Орлова Наталья Борисовна' };

test('the deputy assigns a two-day substitution; the substitute writes the lessons from the home page; the deputy downloads the month’s sheet', async ({ page, world }, testInfo) => {
  const { school } = world;
  // Mathematics 5А also on Tuesdays, 1st lesson: Иванова has a lesson on each of the two days.
  await school.admin.ok('timetable.add', { loadId: school.loads.math5A, weekday: 2, lessonNumber: 1, validFrom: '2026-09-01' });

  await world.open(page);
  await signInAs(page, DEPUTY.login, DEPUTY.fullName);
  await page.evaluate(() => (window.location.hash = '/substitutions'));
  await expect(page.getByRole('heading', { level: 1, name: 'Замены' })).toBeVisible();
  const absence = page.getByRole('form', { name: 'Отсутствующий учитель' });
  await absence.getByLabel('Учитель').selectOption({ label: 'Иванова Мария Сергеевна' });
  await absence.getByLabel('С', { exact: true }).fill('2026-10-13');
  await absence.getByLabel('По', { exact: true }).fill('2026-10-14');
  await absence.getByLabel('Приказ №').fill('45-к');
  await absence.getByRole('button', { name: 'Показать уроки' }).click();

  const tuesday = page.getByRole('row', { name: '13.10.2026, 1 урок' });
  const wednesday = page.getByRole('row', { name: '14.10.2026, 2 урок' });
  await expect(tuesday).toContainText('5А, Математика');
  await expect(wednesday).toContainText('5А, Математика');
  await screenshot(page, testInfo, 'plan');
  await tuesday.getByRole('button', { name: 'Петрова А. В.' }).click();
  await expect(tuesday).toContainText('Петрова Анна Викторовна — замена по предмету');
  await wednesday.getByRole('button', { name: 'Петрова А. В.' }).click();
  await expect(wednesday).toContainText('Петрова Анна Викторовна — замена по предмету');
  const register = page.getByRole('table', { name: 'Журнал замен' });
  await expect(register.getByRole('row')).toHaveCount(3);
  await expect(register).toContainText('болезнь, приказ 45-к');
  await screenshot(page, testInfo, 'assigned');
  await signOut(page);

  // The substitute: both lessons on the home page; the first opens its page, the lesson prefilled.
  await signInAs(page, RUSSIAN.login, RUSSIAN.fullName);
  const mine = page.getByLabel('Мои уроки в замену');
  await expect(mine.getByRole('listitem')).toHaveCount(2);
  await expect(mine.getByRole('listitem').first()).toContainText('13.10.2026');
  await expect(mine.getByRole('listitem').first()).toContainText('за Иванова М. С., замена по предмету');
  await screenshot(page, testInfo, 'substitute-home');
  await mine.getByRole('link').first().click();
  const journal = new JournalScreen(page);
  await expect(page.getByText('В этом периоде ещё нет уроков.')).toBeVisible();
  await page.getByRole('button', { name: 'Новый урок' }).click();
  const form = page.getByRole('form', { name: 'Новый урок' });
  await expect(form.getByLabel('Дата урока')).toHaveValue('2026-10-13');
  await form.getByLabel('Тема урока').fill('Деление дробей');
  await form.getByRole('button', { name: 'Записать урок' }).click();
  await expect(journal.grid.getByRole('columnheader', { name: 'Урок 13.10: Деление дробей' })).toBeVisible();
  await journal.select('Алексеев Артём', '13.10');
  await journal.type('5', 'Enter', '4');
  await expect(journal.cell('Алексеев Артём', '13.10')).toHaveText('5');
  await expect(journal.cell('Белова Дарья', '13.10')).toHaveText('4');
  await expect(journal.status).toHaveText('Сохранено.');
  await screenshot(page, testInfo, 'substitute-journal');
  await signOut(page);

  // The deputy: the month's sheet on screen, then as a PDF.
  await signInAs(page, DEPUTY.login, DEPUTY.fullName);
  await page.evaluate(() => (window.location.hash = '/substitutions'));
  const sheet = page.getByRole('table', { name: 'Табель замен' });
  await expect(sheet.getByRole('row', { name: /Петрова Анна Викторовна/ })).toContainText('2');
  await expect(sheet.getByRole('row', { name: /Иванова Мария Сергеевна/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Журнал замен' }).getByRole('row', { name: /13\.10\.2026/ })).toContainText('да');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать PDF' }).click()]);
  expect(download.suggestedFilename()).toBe('Табель замен 2026-10.pdf');
  const path = await download.path();
  expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
  await screenshot(page, testInfo, 'sheet');
});
