import { screenshot } from './support/fixtures';
import { expect, JournalScreen, signInAs, test } from './support/journal-school';

// D-41 in Chromium: a whole lesson taught with the server down. The teacher writes the
// lesson from the journal page, which keeps it in this PC's outbox and shows it as a column
// marked «не отправлено»; she types marks and an absence into it, leaves the page, reloads
// the app; when the server returns the lesson is created and everything typed lands in it —
// checked in the database through another session, once each.
test.describe.configure({ timeout: 240_000 });

const MATH = { login: 'ivanova', fullName: 'Иванова Мария Сергеевна' };
const TYPED = [
  ['Алексеев Артём', '5'],
  ['Белова Дарья', '4'],
  ['Волков Никита', '3'],
] as const;

test('a lesson created, marked and kept with the server down arrives once when it returns', async ({ page, world }, testInfo) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const { school } = world;
  await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-13', lessonNumber: 1, topic: 'Дроби' });
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  const journal = new JournalScreen(page);
  await journal.open(school.loads.english5A2);
  await journal.open(school.loads.math5A);
  await journal.expectShown();

  // The server's machine goes off while the page is open: every call fails.
  let refuses: (method: string | undefined) => boolean = () => true;
  await page.route('**/call', (route) => {
    const method = (route.request().postDataJSON() as { method?: string } | null)?.method;
    return refuses(method) ? route.abort('connectionrefused') : route.continue();
  });

  await page.getByRole('button', { name: 'Новый урок' }).click();
  const form = page.getByRole('form', { name: 'Новый урок' });
  await expect(page.getByRole('status').filter({ hasText: 'урок сохранится на этом компьютере' })).toBeVisible();
  await form.getByLabel('Номер урока').selectOption('2');
  await form.getByLabel('Тема урока').fill('Сложение дробей');
  await form.getByLabel('Домашнее задание').fill('№ 112');
  await form.getByRole('button', { name: 'Записать урок' }).click();
  await expect(form).toHaveCount(0);
  const unsentLesson = page.getByRole('columnheader', { name: 'Урок 14.10: Сложение дробей (не отправлено)', exact: true });
  await expect(unsentLesson).toContainText('не отпр.');

  for (const [student, mark] of TYPED) {
    await journal.select(student, '14.10');
    await journal.type(mark);
  }
  await journal.select('Егорова Полина', '14.10');
  await journal.type('н', 'Enter');
  const unsent = page.getByRole('banner').getByRole('button', { name: /^Не отправлено: / });
  await expect(unsent).toHaveText('Не отправлено: 5');
  for (const [student, mark] of TYPED) await expect(journal.cell(student, '14.10')).toHaveText(mark);
  await expect(journal.cell('Егорова Полина', '14.10')).toHaveText('ОТ');
  await screenshot(page, testInfo, 'offline-lesson');

  // Another page and back: the lesson and what was typed into it come from this PC's outbox.
  await journal.open(school.loads.english5A2);
  await journal.open(school.loads.math5A);
  await expect(unsentLesson).toBeVisible();
  for (const [student, mark] of TYPED) await expect(journal.cell(student, '14.10')).toHaveText(mark);
  await expect(journal.cell('Егорова Полина', '14.10')).toHaveText('ОТ');

  // A reload while the server is away: the app cannot start, and counts what it keeps.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Журнал недоступен' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('status').filter({ hasText: 'неотправленные изменения журнала' })).toContainText('На этом компьютере сохранены неотправленные изменения журнала: 5.');

  // The server answers again, but the lesson's creation does not get through yet: the page
  // opened after the reload shows the lesson and its cells from the outbox.
  refuses = (method) => method === 'journal.saveLesson';
  await page.getByRole('button', { name: 'Повторить' }).click();
  const loginForm = page.getByRole('form', { name: 'Вход' });
  await expect(loginForm.or(page.getByRole('banner').filter({ hasText: MATH.fullName }))).toBeVisible({ timeout: 30_000 });
  if (await loginForm.isVisible()) await signInAs(page, MATH.login, MATH.fullName);
  await journal.open(school.loads.math5A);
  await expect(unsentLesson).toBeVisible();
  for (const [student, mark] of TYPED) await expect(journal.cell(student, '14.10')).toHaveText(mark);
  await expect(journal.cell('Егорова Полина', '14.10')).toHaveText('ОТ');

  // Everything gets through: the column becomes the lesson the server wrote.
  refuses = () => false;
  await expect(unsent).toHaveCount(0, { timeout: 90_000 });
  await expect(page.getByRole('columnheader', { name: 'Урок 14.10: Сложение дробей', exact: true })).toBeVisible();
  await expect(unsentLesson).toHaveCount(0);
  for (const [student, mark] of TYPED) await expect(journal.cell(student, '14.10')).toHaveText(mark);
  await expect(journal.cell('Егорова Полина', '14.10')).toHaveText('ОТ');
  await page.unroute('**/call');

  // The database, read through another session: one lesson, each mark and the absence once.
  const saved = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  const ofDay = saved.lessons.filter((lesson) => lesson.date === '2026-10-14');
  expect(ofDay.map((lesson) => [lesson.lessonNumber, lesson.topic, lesson.homework])).toEqual([[2, 'Сложение дробей', '№ 112']]);
  const lessonId = ofDay[0]!.id;
  const { students } = school;
  expect(saved.marks.filter((mark) => mark.lessonId === lessonId).map((mark) => [mark.studentId, mark.value])).toEqual([
    [students.alekseev, '5'],
    [students.belova, '4'],
    [students.volkov, '3'],
  ]);
  expect(saved.marks.filter((mark) => mark.lessonId !== lessonId)).toEqual([]);
  expect(saved.attendance.map((row) => [row.lessonId, row.studentId, row.code])).toEqual([[lessonId, students.egorova, 'ОТ']]);
  const audit = await school.admin.ok('audit.list', { userId: school.math.id, limit: 1000 });
  expect(audit.filter((record) => record.action === 'lesson.create' && record.entityId === String(lessonId))).toHaveLength(1);
  expect(audit.filter((record) => record.action === 'lesson.update')).toEqual([]);
  expect(audit.filter((record) => record.action === 'mark.create')).toHaveLength(3);
  expect(audit.filter((record) => record.action === 'attendance.set')).toHaveLength(1);
  expect((await school.admin.ok('audit.verify', {})).ok).toBe(true);
});

test('a lesson written with the server down that the server then refuses: the page says so and what was typed into it', async ({ page, world }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const { school, db } = world;
  await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-13', lessonNumber: 1, topic: 'Дроби' });
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  const journal = new JournalScreen(page);
  await journal.open(school.loads.math5A);
  await journal.expectShown();

  let down = true;
  await page.route('**/call', (route) => (down ? route.abort('connectionrefused') : route.continue()));
  await page.getByRole('button', { name: 'Новый урок' }).click();
  const form = page.getByRole('form', { name: 'Новый урок' });
  await form.getByLabel('Номер урока').selectOption('3');
  await form.getByLabel('Тема урока').fill('Проценты');
  await form.getByRole('button', { name: 'Записать урок' }).click();
  await expect(page.getByRole('columnheader', { name: 'Урок 14.10: Проценты (не отправлено)', exact: true })).toBeVisible();
  await journal.select('Белова Дарья', '14.10');
  await journal.type('5');
  await journal.select('Волков Никита', '14.10');
  await journal.type('н', 'Enter');
  await expect(page.getByRole('banner').getByRole('button', { name: /^Не отправлено: / })).toHaveText('Не отправлено: 3');

  // Meanwhile the administrator closed the first quarter for this page: the server refuses the lesson.
  await school.math.session.ok('journal.lockPeriod', { loadId: school.loads.math5A, periodId: school.periods.q1 });
  const auditLocked = (await school.admin.ok('audit.list', { userId: school.math.id, limit: 1000 })).length;
  const rows = async () => [(await db.selectFrom('lesson').select('id').execute()).length, (await db.selectFrom('mark').select('id').execute()).length, (await db.selectFrom('attendance').select('student_id').execute()).length];
  const rowsBefore = await rows();
  down = false;
  const refusal = page.getByRole('alert').filter({ hasText: 'не записан' });
  await expect(refusal).toContainText('Урок 14.10, 3-й урок — «Проценты» не записан: Период закрыт', { timeout: 90_000 });
  await expect(refusal).toContainText('Вместе с ним не сохранено введённое в этот урок: Белова Дарья — 5; Волков Никита — ОТ.');
  await expect(page.getByRole('columnheader', { name: /^Урок 14\.10/ })).toHaveCount(0);
  await expect(page.getByRole('banner').getByRole('button', { name: /^Не отправлено: / })).toHaveCount(0);

  // Nothing of it was written or audited.
  expect(await db.selectFrom('lesson').select('id').where('date', '=', '2026-10-14').execute()).toEqual([]);
  expect(await rows()).toEqual(rowsBefore);
  expect((await school.admin.ok('audit.list', { userId: school.math.id, limit: 1000 })).length).toBe(auditLocked);
  await refusal.getByRole('button', { name: 'Понятно' }).click();
  await expect(refusal).toHaveCount(0);
  await page.unroute('**/call');
});
