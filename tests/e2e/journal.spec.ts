import { tomsk } from '../support/journal-fixture';
import { screenshot } from './support/fixtures';
import { expect, JournalScreen, signInAs, signOut, test } from './support/journal-school';

// Issue 4 §9 (e2e): the journal in Chromium against the real core over the bridge.
// The school: class 5А; it is Wednesday 14 October 2026, 14:30 in Tomsk (see journal-school.ts).
// Each test builds its school with seven real accounts (argon2): generous on a shared machine.
test.describe.configure({ timeout: 120_000 });

const MATH = { login: 'ivanova', fullName: 'Иванова Мария Сергеевна' };
const RUSSIAN = { login: 'petrova', fullName: 'Петрова Анна Викторовна' }; // class teacher of 5А
const DEPUTY = { login: 'orlova', fullName: 'Орлова Наталья Борисовна' };
const DIRECTOR = { login: 'director', fullName: 'Морозов Виктор Петрович' };

test('a teacher writes today\'s lesson, enters marks and an absence by keyboard and sees the average; a future date is refused', async ({ page, world }, testInfo) => {
  const { school } = world;
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  await page.getByRole('link', { name: '5А — Математика', exact: true }).click();
  const journal = new JournalScreen(page);
  await expect(page.getByText('В этом периоде ещё нет уроков.')).toBeVisible();

  // D-17: the picker stops at today; a typed future date is refused by the core, in its words.
  await page.getByRole('button', { name: 'Новый урок' }).click();
  const form = page.getByRole('form', { name: 'Новый урок' });
  await expect(form.getByLabel('Дата урока')).toHaveValue('2026-10-14');
  await expect(form.getByLabel('Дата урока')).toHaveAttribute('max', '2026-10-14');
  await form.getByLabel('Дата урока').fill('2026-10-15');
  await form.getByLabel('Тема урока').fill('Сложение дробей');
  await form.getByRole('button', { name: 'Записать урок' }).click();
  await expect(form.getByRole('alert')).toContainText('Нельзя записать урок на будущую дату (15.10.2026)');
  await screenshot(page, testInfo, 'future-date-refused');

  await form.getByLabel('Дата урока').fill('2026-10-14');
  await form.getByLabel('Домашнее задание').fill('§ 12, № 45, 47');
  await form.getByRole('button', { name: 'Записать урок' }).click();
  await journal.expectShown();
  await expect(journal.grid.getByRole('columnheader', { name: 'Урок 14.10: Сложение дробей' })).toBeVisible();

  // The new lesson's column is active, first student: 5, Enter, 4, Enter, н, Enter.
  await expect(journal.cell('Алексеев Артём', '14.10')).toHaveAttribute('aria-selected', 'true');
  await journal.type('5');
  await expect(journal.cell('Алексеев Артём', '14.10')).toHaveText('5');
  await expect(journal.average('Алексеев Артём')).toHaveText('5,00');
  await journal.type('Enter', '4', 'Enter', 'н', 'Enter');
  await expect(journal.cell('Белова Дарья', '14.10')).toHaveText('4');
  await expect(journal.cell('Волков Никита', '14.10')).toHaveText('ОТ');
  await expect(journal.average('Белова Дарья')).toHaveText('4,00');
  await expect(journal.status).toHaveText('Сохранено.');

  // A second mark in the same cell, then Ctrl+Z takes it back — on the server too.
  await journal.type('ArrowUp', 'ArrowUp', 'ArrowUp', '3');
  await expect(journal.cell('Алексеев Артём', '14.10')).toHaveText('53');
  await expect(journal.average('Алексеев Артём')).toHaveText('4,00');
  await expect(journal.suggested('Алексеев Артём')).toHaveText('4');
  await expect(journal.status).toHaveText('Сохранено.');
  await screenshot(page, testInfo, 'marks-by-keyboard');
  await journal.type('Control+z');
  await expect(journal.cell('Алексеев Артём', '14.10')).toHaveText('5');
  await expect(journal.average('Алексеев Артём')).toHaveText('5,00');
  await expect(journal.status).toHaveText('Сохранено.');

  const saved = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  expect(saved.lessons.map((lesson) => [lesson.date, lesson.topic, lesson.homework])).toEqual([['2026-10-14', 'Сложение дробей', '§ 12, № 45, 47']]);
  expect(saved.marks.map((mark) => [mark.studentId, mark.value]).sort()).toEqual([
    [school.students.alekseev, '5'],
    [school.students.belova, '4'],
  ].sort());
  expect(saved.attendance.map((row) => [row.studentId, row.code])).toEqual([[school.students.volkov, 'ОТ']]);
});

test('the class teacher turns «ОТ» into «Б» for a whole day and reads the subject page without editing', async ({ page, world }, testInfo) => {
  const { school } = world;
  const today = '2026-10-14';
  const math = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: today, lessonNumber: 2, topic: 'Сложение дробей' });
  const russian = await school.russian.session.ok('journal.saveLesson', { loadId: school.loads.russian5A, date: today, lessonNumber: 5, topic: 'Имя существительное' });
  await school.math.session.ok('journal.setAttendance', { lessonId: math.id, studentId: school.students.volkov, code: 'ОТ', version: 0 });
  await school.russian.session.ok('journal.setAttendance', { lessonId: russian.id, studentId: school.students.volkov, code: 'ОТ', version: 0 });
  await school.russian.session.ok('journal.setAttendance', { lessonId: russian.id, studentId: school.students.belova, code: 'ОТ', version: 0 });

  await world.open(page);
  await signInAs(page, RUSSIAN.login, RUSSIAN.fullName);
  const widget = page.locator('.home-widget').filter({ hasText: 'Неразобранные пропуски сегодня' });
  await expect(widget).toContainText('5А: «ОТ» без причины — 3');
  await widget.getByRole('link', { name: 'Разобрать' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Пропуски класса' })).toBeVisible();
  await expect(page.getByText('Неразобранных «ОТ»: 3')).toBeVisible();

  await page.getByRole('button', { name: 'Волков Никита: весь день Б' }).click();
  await expect(page.getByText('Волков Никита: все пропуски за день — «Б».')).toBeVisible();
  await expect(page.getByLabel('Волков Никита, Математика')).toHaveValue('Б');
  await expect(page.getByLabel('Волков Никита, Русский язык')).toHaveValue('Б');
  await expect(page.getByText('Неразобранных «ОТ»: 1')).toBeVisible();
  // One lesson at a time works too.
  await page.getByLabel('Белова Дарья, Русский язык').selectOption('УП');
  await expect(page.getByText('Все пропуски разобраны')).toBeVisible();
  await screenshot(page, testInfo, 'class-day-resolved');

  const day = await school.russian.session.ok('attendance.classDay', { classId: school.class5A, date: today });
  expect(day.unresolvedTotal).toBe(0);
  expect(day.students.find((student) => student.studentId === school.students.volkov)?.cells.map((cell) => cell.code)).toEqual(['Б', 'Б']);

  // D-5: the class teacher reads the mathematics page of her class, and cannot change it.
  await page.getByRole('link', { name: 'Математика', exact: true }).click();
  const journal = new JournalScreen(page);
  await journal.expectShown();
  await expect(page.getByText('Только просмотр', { exact: true })).toBeVisible();
  await expect(journal.cell('Волков Никита', '14.10')).toHaveText('Б');
  await journal.select('Алексеев Артём', '14.10');
  await journal.type('5');
  await expect(journal.status).toHaveText('Страница открыта только для просмотра.');
  await expect(journal.cell('Алексеев Артём', '14.10')).toHaveText('');
});

test('a mark past the edit window: the teacher requests a change, the deputy approves, the teacher sees the new value and its history', async ({ page, world }, testInfo) => {
  const { school, clock } = world;
  // Three weeks ago the teacher gave a 3; today the lesson is past the 14-day window (D-25).
  clock.set(tomsk('2026-09-23 12:00'));
  const old = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-09-23', lessonNumber: 2, topic: 'Натуральные числа' });
  await school.math.session.ok('journal.saveMark', { lessonId: old.id, studentId: school.students.belova, value: '3', workTypeId: school.workTypes.oral });
  clock.set(tomsk('2026-10-14 14:30'));

  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  const journal = new JournalScreen(page);
  await journal.open(school.loads.math5A);
  await journal.expectShown();
  await expect(journal.cell('Белова Дарья', '23.09')).toHaveAttribute('aria-readonly', 'true');
  await journal.select('Белова Дарья', '23.09');
  await journal.type('4');
  const request = page.getByRole('dialog', { name: 'Запросить изменение' });
  await expect(request.getByLabel('Что изменить')).toHaveValue(/mark:/);
  await expect(request.getByLabel('Новое значение')).toHaveValue('4');
  await request.getByLabel('Причина').fill('Ошибка при переносе из тетради: ответ был на «4»');
  await screenshot(page, testInfo, 'change-request');
  await request.getByRole('button', { name: 'Отправить запрос' }).click();
  await expect(journal.status).toContainText('Запрос отправлен');
  await expect(journal.cell('Белова Дарья', '23.09')).toHaveText('3');
  await signOut(page);

  await signInAs(page, DEPUTY.login, DEPUTY.fullName);
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Запросы на изменение' }).click();
  const row = page.getByRole('row', { name: 'Запрос: Белова Дарья' });
  await expect(row).toContainText('3 → 4');
  await expect(row).toContainText('Ошибка при переносе из тетради');
  await expect(row).toContainText(MATH.fullName);
  await row.getByRole('button', { name: 'Одобрить' }).click();
  await expect(page.getByText('запрос одобрен, изменение внесено')).toBeVisible();
  await page.getByRole('button', { name: 'Одобренные' }).click();
  await expect(page.getByRole('row', { name: 'Запрос: Белова Дарья' })).toContainText('одобрен');
  await screenshot(page, testInfo, 'change-approved');
  await signOut(page);

  await signInAs(page, MATH.login, MATH.fullName);
  await journal.open(school.loads.math5A);
  await expect(journal.cell('Белова Дарья', '23.09')).toHaveText('4');
  await journal.select('Белова Дарья', '23.09');
  await page.getByRole('button', { name: 'История ячейки' }).click();
  const history = page.getByRole('dialog', { name: 'История ячейки' });
  await expect(history).toContainText('Поставлена отметка');
  await expect(history).toContainText('Исправлена отметка');
  await expect(history).toContainText('3 (Ответ на уроке) → 4 (Ответ на уроке)');
  await expect(history).toContainText('Ошибка при переносе из тетради');
  await screenshot(page, testInfo, 'cell-history');
});

test('no connection to the database: what was typed stays, is retried with the same key and saved once; a stale save shows who changed the cell', async ({ page, world }, testInfo) => {
  const { school } = world;
  const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей' });
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  const journal = new JournalScreen(page);
  await journal.open(school.loads.math5A);
  await journal.expectShown();

  // The save reaches the core but its reply is lost, again and again: the worst case for doubling.
  let offline = true;
  let lostReplies = 0;
  await page.route('**/call', async (route) => {
    const body = route.request().postDataJSON() as { method: string };
    if (!offline || body.method !== 'journal.saveMark') return route.continue();
    await route.fetch();
    lostReplies++;
    await route.abort('internetdisconnected');
  });
  await journal.select('Алексеев Артём', '14.10');
  await journal.type('5');
  await expect(journal.status).toContainText('Не сохранено — нет связи с базой, повторяю…');
  await expect(journal.cell('Алексеев Артём', '14.10')).toHaveText('5');
  await expect.poll(() => lostReplies).toBeGreaterThanOrEqual(2);
  await screenshot(page, testInfo, 'offline-retrying');
  offline = false;
  await expect(journal.status).toHaveText('Сохранено.');
  const after = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  expect(after.marks.filter((mark) => mark.studentId === school.students.alekseev).map((mark) => mark.value)).toEqual(['5']);
  await page.unroute('**/call');

  // Meanwhile someone marked Белова late; the page still thinks the cell is empty.
  await school.math.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId: school.students.belova, code: 'ОП', version: 0 });
  await journal.select('Белова Дарья', '14.10');
  await journal.type('н', 'Enter');
  await expect(journal.status).toContainText(`Эту запись уже изменил(а) ${MATH.fullName}`);
  await expect(journal.status).toContainText('сейчас: «ОП»');
  await expect(journal.cell('Белова Дарья', '14.10')).toHaveText('ОП');
  await screenshot(page, testInfo, 'stale-save-conflict');
  const now = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  expect(now.attendance.map((row) => row.code)).toEqual(['ОП']);
});

test('the director reads a journal page and changes nothing', async ({ page, world }, testInfo) => {
  const { school } = world;
  const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей' });
  await school.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: school.students.egorova, value: '5', workTypeId: school.workTypes.test });
  await world.open(page);
  await signInAs(page, DIRECTOR.login, DIRECTOR.fullName);
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Журнал', exact: true }).click();
  await page.getByRole('row').filter({ hasText: '5А' }).filter({ hasText: 'Математика' }).getByRole('link').click();
  const journal = new JournalScreen(page);
  await journal.expectShown();
  await expect(page.getByText('Только просмотр', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Новый урок' })).toHaveCount(0);
  await expect(journal.cell('Егорова Полина', '14.10')).toHaveText('52');
  await expect(journal.average('Егорова Полина')).toHaveText('5,00');
  await journal.select('Егорова Полина', '14.10');
  await journal.type('Delete');
  await expect(journal.cell('Егорова Полина', '14.10')).toHaveText('52');
  await screenshot(page, testInfo, 'director-read-only');
});

test('the teacher sets a period final beside the suggested one and closes the period', async ({ page, world }, testInfo) => {
  const { school } = world;
  const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей' });
  await school.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: school.students.egorova, value: '5', workTypeId: school.workTypes.test });
  await school.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: school.students.egorova, value: '4', workTypeId: school.workTypes.oral });
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  const journal = new JournalScreen(page);
  await journal.open(school.loads.math5A);
  // (5×2 + 4×1) / 3 = 4,67 → suggested 5; the teacher decides 5.
  await expect(journal.average('Егорова Полина')).toHaveText('4,67');
  await expect(journal.suggested('Егорова Полина')).toHaveText('5');
  await journal.grid.getByRole('gridcell', { name: 'Егорова Полина, итоговая' }).click();
  await journal.type('5');
  await expect(journal.grid.getByRole('gridcell', { name: 'Егорова Полина, итоговая' })).toHaveText('5');
  await expect(journal.status).toHaveText('Сохранено.');

  await page.getByRole('button', { name: 'Закрыть период…' }).click();
  await page.getByRole('alertdialog', { name: 'Закрыть период' }).getByRole('button', { name: 'Закрыть период' }).click();
  await expect(page.getByText(/^Период закрыт: Иванова/)).toBeVisible();
  await expect(journal.cell('Егорова Полина', '14.10')).toHaveAttribute('aria-readonly', 'true');
  await screenshot(page, testInfo, 'period-closed');
  const after = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  expect(after.periodLocked).toBe(true);
  expect(after.finals.map((final) => [final.studentId, final.kind, final.value])).toEqual([[school.students.egorova, 'period', '5']]);
});
