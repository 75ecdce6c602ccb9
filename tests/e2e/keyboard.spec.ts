import { expect, JournalScreen, signInAs, test } from './support/journal-school';

// Keyboard and screen-reader basics on the journal, as a teacher working without the mouse:
// Ctrl+Home / Ctrl+End in the grid, Ctrl+Z after a period mark, a dialog that closes on
// Escape and gives the focus back, the focus on the page heading after navigation, and a
// grid whose active cell is named (student, column) for a screen reader.
test.describe.configure({ timeout: 120_000 });

const MATH = { login: 'ivanova', fullName: 'Иванова Мария Сергеевна' };

test('the journal by keyboard: Ctrl+Home/End, Ctrl+Z after a period mark, Escape closes a dialog, focus on the heading', async ({ page, world }) => {
  const { school } = world;
  for (const date of ['2026-10-07', '2026-10-14']) {
    await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date, lessonNumber: 2, topic: `Дроби ${date}` });
  }
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  // A new page: the focus is on its heading, where a screen reader starts.
  await expect(page.getByRole('heading', { level: 1, name: 'Главная' })).toBeFocused();
  const journal = new JournalScreen(page);
  await page.getByRole('link', { name: '5А — Математика', exact: true }).click();
  await journal.expectShown();

  // The grid names its active cell for a screen reader: student, then the column.
  const activeName = async () => {
    const id = await journal.grid.getAttribute('aria-activedescendant');
    return page.locator(`[id="${id}"]`).getAttribute('aria-label');
  };
  await journal.select('Белова Дарья', '07.10');
  expect(await activeName()).toBe('Белова Дарья, 07.10');
  await journal.type('Control+End');
  await expect(journal.cell('Егорова Полина', '14.10')).toHaveAttribute('aria-selected', 'true');
  expect(await activeName()).toBe('Егорова Полина, 14.10');
  await journal.type('Control+Home');
  await expect(journal.cell('Алексеев Артём', '07.10')).toHaveAttribute('aria-selected', 'true');
  expect(await activeName()).toBe('Алексеев Артём, 07.10');

  // A period mark, then Ctrl+Z: gone from the screen and from the database.
  const final = journal.final('Егорова Полина', 'итоговая');
  await final.click();
  await journal.type('4');
  await expect(final).toHaveText('4');
  await expect(journal.status).toHaveText('Сохранено.');
  expect((await school.math.session.ok('journal.page', { loadId: school.loads.math5A })).finals.map((f) => f.value)).toEqual(['4']);
  await journal.type('Control+z');
  await expect(final).toHaveText('');
  await expect(journal.status).toHaveText('Сохранено.');
  await expect.poll(async () => (await school.math.session.ok('journal.page', { loadId: school.loads.math5A })).finals.map((f) => f.value)).toEqual([]);

  // «Закрыть период…» opens a dialog; Escape closes it and the focus is back on the button.
  const lock = page.getByRole('button', { name: 'Закрыть период…' });
  await lock.click();
  await expect(page.getByRole('alertdialog', { name: 'Закрыть период' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog', { name: 'Закрыть период' })).toHaveCount(0);
  await expect(lock).toBeFocused();
  expect((await school.math.session.ok('journal.page', { loadId: school.loads.math5A })).periodLocked).toBe(false);
});
