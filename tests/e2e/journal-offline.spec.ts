import { screenshot } from './support/fixtures';
import { expect, JournalScreen, signInAs, test } from './support/journal-school';

// D-41 in Chromium: the server goes away altogether while a teacher has the journal open;
// the page opened today opens again from this PC's copy under the banner, the marks typed go
// to the outbox («Не отправлено: N»), and when the server returns they arrive, once each.
test.describe.configure({ timeout: 180_000 });

const MATH = { login: 'ivanova', fullName: 'Иванова Мария Сергеевна' };

test('the server goes away: the page opens from the copy with the banner, typing goes on, and the marks arrive when it returns', async ({ page, world }, testInfo) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const { school } = world;
  const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей' });
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  const journal = new JournalScreen(page);
  await journal.open(school.loads.english5A2);
  await journal.open(school.loads.math5A);
  await journal.expectShown();

  // Every call fails as when the server's machine is off.
  let down = true;
  await page.route('**/call', (route) => (down ? route.abort('connectionrefused') : route.continue()));
  await journal.open(school.loads.english5A2);
  await journal.open(school.loads.math5A);
  const banner = page.getByRole('status').filter({ hasText: 'Нет связи с сервером' });
  await expect(banner).toContainText(/^Нет связи с сервером\. Данные на \d\d:\d\d\./);
  await journal.expectShown();

  const typed = [['Алексеев Артём', '5'], ['Белова Дарья', '4'], ['Волков Никита', '3']] as const;
  for (const [student, mark] of typed) {
    await journal.select(student, '14.10');
    await journal.type(mark);
  }
  const unsent = page.getByRole('banner').getByRole('button', { name: /^Не отправлено: / });
  await expect(unsent).toHaveText('Не отправлено: 3');
  await screenshot(page, testInfo, 'offline-from-copy');

  down = false;
  await expect(unsent).toHaveCount(0, { timeout: 90_000 });
  await expect(banner).toHaveCount(0, { timeout: 30_000 });
  for (const [student, mark] of typed) await expect(journal.cell(student, '14.10')).toHaveText(mark);
  const saved = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  expect(saved.marks.filter((mark) => mark.lessonId === lesson.id).map((mark) => mark.value).sort()).toEqual(['3', '4', '5']);
  await page.unroute('**/call');
});

test('with the server away the page says what waits for it, and refuses such edits at once in words', async ({ page, world }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const { school } = world;
  await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-09-21', lessonNumber: 2, topic: 'Округление' }); // past the 14-day window
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  const journal = new JournalScreen(page);
  await journal.open(school.loads.math5A);
  await journal.expectShown();

  await page.route('**/call', (route) => route.abort('connectionrefused'));
  await journal.open(school.loads.english5A2);
  await journal.open(school.loads.math5A);
  const banner = page.getByRole('status').filter({ hasText: 'Нет связи с сервером' });
  await expect(banner).toContainText('Ждут связи с сервером: изменения уже записанных уроков (тема, домашнее задание), исправления в уроках, закрытых для исправления (через запрос), итоговые отметки и закрытие периода, причины пропусков.');

  const status = page.locator('.journal-status');
  await page.getByRole('columnheader', { name: 'Урок 21.09: Округление' }).click();
  await expect(status).toContainText('Нет связи с сервером: тему и домашнее задание записанного урока можно изменить, когда связь вернётся.');
  await expect(page.getByRole('button', { name: 'Сохранить урок' })).toHaveCount(0);

  await journal.select('Белова Дарья', '21.09');
  await journal.type('5');
  await expect(status).toContainText('Этот урок закрыт для исправления: исправление идёт через запрос, а запрос отправляется только при связи с сервером.');
  await expect(page.getByRole('banner').getByRole('button', { name: /^Не отправлено: / })).toHaveCount(0);
  await page.unroute('**/call');
});

test('the app reopened while the server is away: nothing can be typed, the edits kept on this PC are counted and arrive after sign-in', async ({ page, world }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const { school } = world;
  const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', lessonNumber: 3, topic: 'Вычитание дробей' });
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  const journal = new JournalScreen(page);
  await journal.open(school.loads.math5A);
  await journal.expectShown();

  let down = true;
  await page.route('**/call', (route) => (down ? route.abort('connectionrefused') : route.continue()));
  await journal.select('Григорьева Софья', '14.10');
  await journal.type('5');
  await journal.select('Егорова Полина', '14.10');
  await journal.type('4');
  await expect(page.getByRole('banner').getByRole('button', { name: /^Не отправлено: / })).toHaveText('Не отправлено: 2');

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Журнал недоступен' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: 'неотправленные изменения журнала' })).toContainText('На этом компьютере сохранены неотправленные изменения журнала: 2.');
  await expect(page.getByRole('grid')).toHaveCount(0);

  down = false;
  await page.getByRole('button', { name: 'Повторить' }).click();
  // Her session may still hold (the app goes straight in) or have to be opened again: either way, by her.
  const loginForm = page.getByRole('form', { name: 'Вход' });
  await expect(loginForm.or(page.getByRole('banner').filter({ hasText: MATH.fullName }))).toBeVisible({ timeout: 30_000 });
  if (await loginForm.isVisible()) await signInAs(page, MATH.login, MATH.fullName);
  await expect
    .poll(async () => (await school.math.session.ok('journal.page', { loadId: school.loads.math5A })).marks.filter((mark) => mark.lessonId === lesson.id).map((mark) => mark.value).sort(), { timeout: 90_000 })
    .toEqual(['4', '5']);
  await page.unroute('**/call');
});
