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
  // No teacher chosen and a day not in the calendar: said beside the fields; the core is not asked.
  await absence.getByRole('button', { name: 'Показать уроки' }).click();
  await expect(absence.getByText('Выберите учителя', { exact: true })).toBeVisible();
  await absence.getByLabel('По', { exact: true }).fill('31.02.2026');
  await absence.getByLabel('По', { exact: true }).blur();
  await expect(absence.getByText('Введите дату как дд.мм.гггг, например 01.09.2025')).toBeVisible();
  await expect(absence.getByText('Исправьте: Учитель, По.')).toBeVisible();
  await expect(page.getByRole('table', { name: /^Уроки:/ })).toHaveCount(0);
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
  // Removing one asks for the reason first, in words; without it nothing is removed.
  await register.getByRole('button', { name: 'Снять замену' }).first().click();
  const removal = register.getByRole('form', { name: 'Снять замену' });
  await removal.getByRole('button', { name: 'Снять', exact: true }).click();
  await expect(removal.getByText('Укажите причину', { exact: true })).toBeVisible();
  await removal.getByRole('button', { name: 'Отмена' }).click();
  await expect(register.getByRole('button', { name: 'Снять замену' })).toHaveCount(2);
  await expect(register).not.toContainText('Снята:');
  await signOut(page);

  // The substitute: both lessons on the home page, each once — today's with the rest of her
  // day, yesterday's among the other days' substitutions; that one opens its page, prefilled.
  await signInAs(page, RUSSIAN.login, RUSSIAN.fullName);
  const todayList = page.getByLabel('Уроки сегодня');
  await expect(todayList.getByRole('listitem').filter({ hasText: 'замена за Иванова М. С.' })).toHaveCount(1);
  const mine = page.getByLabel('Мои уроки в замену');
  await expect(mine.getByRole('listitem')).toHaveCount(1);
  await expect(mine.getByRole('listitem').first()).toContainText('13.10.2026');
  await expect(mine.getByRole('listitem').first()).toContainText('за Иванова М. С., замена по предмету');
  await screenshot(page, testInfo, 'substitute-home');
  await mine.getByRole('link').first().click();
  const journal = new JournalScreen(page);
  await expect(page.getByText('В этом периоде ещё нет уроков.')).toBeVisible();
  await page.getByRole('button', { name: 'Новый урок' }).click();
  const form = page.getByRole('form', { name: 'Новый урок' });
  await expect(form.getByLabel('Дата урока')).toHaveValue('13.10.2026');
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

test('the deputy plans a control work, moves it with a reason, sets the school’s norms and removes it', async ({ page, world }, testInfo) => {
  await world.open(page);
  await signInAs(page, DEPUTY.login, DEPUTY.fullName);
  await page.evaluate(() => (window.location.hash = '/substitutions'));
  const plan = page.getByRole('form', { name: 'Запланировать контрольную работу' });
  await plan.getByLabel('Класс и предмет').selectOption({ label: '5А — Математика' });
  await plan.getByLabel('Дата').fill('2026-10-20');
  await plan.getByLabel('Работа').fill('Контрольная работа № 2');
  await plan.getByRole('button', { name: 'Запланировать' }).click();
  const schedule = page.getByRole('table', { name: 'График контрольных работ' });
  const row = schedule.getByRole('row', { name: /Контрольная работа № 2/ });
  await expect(row).toContainText('20.10.2026');

  await row.getByRole('button', { name: /^Перенести/ }).click();
  const move = page.getByRole('form', { name: /^Перенос: 5А/ });
  await move.getByLabel('Новая дата').fill('2026-10-22');
  await move.getByLabel('Причина переноса').fill('Олимпиада');
  await move.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Перенесено на 22.10.2026.')).toBeVisible();
  await expect(row).toContainText('с 20.10.2026: Олимпиада');

  await page.getByText('Нормы контрольных работ и сроки проверки').click();
  const norms = page.getByRole('form', { name: 'Нормы контрольных работ' });
  await expect(norms.getByLabel('в неделю')).toHaveValue('3');
  await expect(norms.getByLabel('Срок проверки, 11 класс')).toHaveValue('4');
  await norms.getByLabel('в неделю').fill('2');
  await norms.getByRole('button', { name: 'Сохранить нормы' }).click();
  await expect(norms.getByText('Нормы сохранены.')).toBeVisible();
  await screenshot(page, testInfo, 'control-works');

  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: /^Убрать/ }).click();
  await expect(page.getByText('В этом месяце контрольных работ в графике нет.')).toBeVisible();
  expect(await world.school.admin.ok('controlWorks.settings', {})).toMatchObject({ perDay: 1, perWeek: 2 });
});
