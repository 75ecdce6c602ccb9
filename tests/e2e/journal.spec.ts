import { ADMIN } from '../support/client';
import { tomsk } from '../support/journal-fixture';
import { screenshot } from './support/fixtures';
import type { Page } from '@playwright/test';
import { expect, JournalScreen, signInAs, signOut, test, type JournalWorld } from './support/journal-school';

// The journal in Chromium against the real core over the bridge.
// The school: class 5А; it is Wednesday 14 October 2026, 14:30 in Tomsk (see journal-school.ts).
// Each test builds its school with seven real accounts (argon2): generous on a shared machine.
test.describe.configure({ timeout: 120_000 });

const MATH = { login: 'ivanova', fullName: 'Иванова Мария Сергеевна' };
const RUSSIAN = { login: 'petrova', fullName: 'Петрова Анна Викторовна' }; // class teacher of 5А
const DEPUTY = { login: 'orlova', fullName: 'Орлова Наталья Борисовна' };
const DIRECTOR = { login: 'director', fullName: 'Морозов Виктор Петрович' };

/** The math teacher signed in, on the page of 5А mathematics. */
async function openMathJournal(page: Page, world: JournalWorld): Promise<JournalScreen> {
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  const journal = new JournalScreen(page);
  await journal.open(world.school.loads.math5A);
  return journal;
}

/**
 * No save reaches the database until `reconnect()`, as if the network were down (reading
 * pages still works: the cache of pages for a server that is down altogether is not part of this build).
 */
async function cutOffSaves(page: Page): Promise<{ reconnect(): void }> {
  let offline = true;
  await page.route('**/call', async (route) => {
    if (offline && (route.request().postDataJSON() as { method: string }).method.startsWith('journal.save')) return route.abort('internetdisconnected');
    return route.continue();
  });
  return { reconnect: () => (offline = false) };
}

test('a teacher writes today\'s lesson, enters marks and an absence by keyboard and sees the average; a future date is refused', async ({ page, world }, testInfo) => {
  const { school } = world;
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  await page.getByRole('link', { name: '5А — Математика', exact: true }).click();
  const journal = new JournalScreen(page);
  await expect(page.getByText('В этом периоде ещё нет уроков.')).toBeVisible();

  // D-17: a typed future date is refused by the core, in its words; dates read дд.мм.гггг.
  await page.getByRole('button', { name: 'Новый урок' }).click();
  const form = page.getByRole('form', { name: 'Новый урок' });
  await expect(form.getByLabel('Дата урока')).toHaveValue('14.10.2026');
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
  await expect(page.getByText('«ОТ» без причины: 3')).toBeVisible();

  await page.getByRole('button', { name: 'Волков Никита: весь день Б' }).click();
  await expect(page.getByText('Волков Никита: все пропуски за день — «Б».')).toBeVisible();
  await expect(page.getByLabel('Волков Никита, Математика')).toHaveValue('Б');
  await expect(page.getByLabel('Волков Никита, Русский язык')).toHaveValue('Б');
  await expect(page.getByText('«ОТ» без причины: 1')).toBeVisible();
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

  const journal = await openMathJournal(page, world);
  await journal.expectShown();
  await expect(journal.cell('Белова Дарья', '23.09')).toHaveAttribute('aria-readonly', 'true');
  await journal.select('Белова Дарья', '23.09');
  await journal.type('4');
  const request = page.getByRole('dialog', { name: 'Запросить изменение' });
  await expect(request.getByLabel('Что изменить')).toHaveValue(/mark:/);
  await expect(request.getByLabel('Новое значение')).toHaveValue('4');
  // Checked as typed, before anything is sent: a value off the scale and a missing reason.
  await request.getByLabel('Новое значение').fill('7');
  await request.getByRole('button', { name: 'Отправить запрос' }).click();
  await expect(request.getByLabel('Новое значение')).toHaveAttribute('aria-invalid', 'true');
  await expect(request).toContainText('Укажите причину');
  await expect(request).toContainText('Исправьте: Новое значение, Причина.');
  expect(await school.math.session.ok('changes.list', {})).toEqual([]);
  await request.getByLabel('Новое значение').fill('4');
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
  const journal = await openMathJournal(page, world);
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
  const journal = await openMathJournal(page, world);
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

test('a column pasted from a spreadsheet is saved as one batch and undone in one step; a paste with a stale cell saves nothing and names the cell', async ({ page, world }, testInfo) => {
  const { school } = world;
  const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей' });
  const journal = await openMathJournal(page, world);
  await journal.expectShown();
  const batches: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/call')) batches.push((request.postDataJSON() as { method: string }).method);
  });

  // A column copied from LibreOffice Calc, pasted at the first student: four cells at once.
  await journal.select('Алексеев Артём', '14.10');
  await journal.paste('5\r\n4\r\nн\r\n3\r\n');
  await expect(journal.cell('Алексеев Артём', '14.10')).toHaveText('5');
  await expect(journal.cell('Белова Дарья', '14.10')).toHaveText('4');
  await expect(journal.cell('Волков Никита', '14.10')).toHaveText('ОТ');
  await expect(journal.cell('Григорьева Софья', '14.10')).toHaveText('3');
  await expect(journal.status).toHaveText('Сохранено.');
  await expect(journal.cell('Григорьева Софья', '14.10')).toHaveAttribute('data-state', 'saved');
  expect(batches.filter((method) => method.startsWith('journal.save') || method === 'journal.setAttendance')).toEqual(['journal.saveCells']);
  const pasted = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  expect(pasted.marks.map((mark) => mark.value).sort()).toEqual(['3', '4', '5']);
  expect(pasted.attendance.map((row) => [row.studentId, row.code])).toEqual([[school.students.volkov, 'ОТ']]);
  await screenshot(page, testInfo, 'column-pasted');

  // Ctrl+Z takes the whole paste back, on the server too.
  await journal.type('Control+z');
  for (const student of ['Алексеев Артём', 'Белова Дарья', 'Волков Никита', 'Григорьева Софья']) await expect(journal.cell(student, '14.10')).toHaveText('');
  await expect(journal.status).toHaveText('Сохранено.');
  const undone = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  expect([undone.marks, undone.attendance]).toEqual([[], []]);

  // Meanwhile, from another PC, Белова is marked late; this page still shows her cell empty.
  await school.math.session.ok('journal.setAttendance', { lessonId: lesson.id, studentId: school.students.belova, code: 'ОП', version: 0 });
  await journal.select('Алексеев Артём', '14.10');
  await journal.paste('5\nн\n4\n');
  await expect(journal.status).toContainText('Вставка не сохранена: ни одна из 3 ячеек не записана');
  await expect(journal.status).toContainText(`Белова Дарья, 14.10 — Эту запись уже изменил(а) ${MATH.fullName}`);
  await expect(journal.cell('Белова Дарья', '14.10')).toHaveText('ОП');
  await expect(journal.cell('Белова Дарья', '14.10')).toHaveAttribute('data-state', 'conflict');
  await expect(journal.cell('Алексеев Артём', '14.10')).toHaveText('');
  await expect(journal.cell('Волков Никита', '14.10')).toHaveText('');
  // Nothing was saved, so there is nothing to undo (Ctrl+Z must not clear the «ОП» set meanwhile).
  await expect(page.getByRole('button', { name: 'Отменить', exact: true })).toBeDisabled();
  await screenshot(page, testInfo, 'paste-refused');
  const after = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  expect(after.marks).toEqual([]);
  expect(after.attendance.map((row) => row.code)).toEqual(['ОП']);
});

test('the last quarter\'s page ends with the year column: the suggestion from the quarters beside the teacher\'s decision, a deferral for a sick student', async ({ page, world }, testInfo) => {
  const { school, clock } = world;
  clock.set(tomsk('2027-05-26 14:30'));
  const base = { loadId: school.loads.math5A, studentId: school.students.egorova, kind: 'period' as const, version: 0 };
  await school.math.session.ok('journal.setFinal', { ...base, periodId: school.periods.q1, value: '4' });
  await school.math.session.ok('journal.setFinal', { ...base, periodId: school.periods.q2, value: '4' });
  await school.math.session.ok('journal.setFinal', { ...base, periodId: school.periods.q3, value: '5' });
  const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2027-05-26', lessonNumber: 2, topic: 'Повторение' });
  await school.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: school.students.egorova, value: '5', workTypeId: school.workTypes.test });

  const journal = await openMathJournal(page, world);
  await journal.expectShown();
  await expect(page.getByLabel('Период', { exact: true })).toHaveValue(String(school.periods.q4));
  await expect(journal.grid.getByRole('columnheader', { name: 'IV ч.' })).toBeVisible();
  await expect(journal.grid.getByRole('columnheader', { name: 'Год' })).toBeVisible();
  // Grade 5 has no exam: no exam or certificate columns.
  await expect(journal.grid.getByRole('columnheader', { name: 'Экз.' })).toHaveCount(0);

  // (4 + 4 + 5) / 3 = 4,33: the year is suggested as 4 while the fourth quarter is open.
  const year = journal.final('Егорова Полина', 'годовая');
  await expect(year.getByTitle('Расчётная: 4')).toHaveText('4');
  // The fourth quarter's final, then → the year: now (4 + 4 + 5 + 5) / 4 = 4,5 suggests 5.
  await journal.final('Егорова Полина', 'итоговая').click();
  await journal.type('5');
  await expect(journal.final('Егорова Полина', 'итоговая')).toHaveText('5');
  await expect(year.getByTitle('Расчётная: 5')).toHaveText('5');
  await journal.type('ArrowRight');
  await expect(year).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByLabel('Выбранная ячейка')).toContainText('Годовая отметка: не выставлена · расчётная по итоговым за периоды: 5');
  await journal.type('5');
  await expect(year.locator('.jg-final-value')).toHaveText('5');
  await expect(journal.status).toHaveText('Сохранено.');

  // Белова was ill: her year final is deferred («отл»).
  await journal.type('ArrowUp', 'ArrowUp', 'ArrowUp');
  const deferred = journal.final('Белова Дарья', 'годовая');
  await expect(deferred).toHaveAttribute('aria-selected', 'true');
  await journal.type('отл', 'Enter');
  await expect(deferred.locator('.jg-final-value')).toHaveText('отл.');
  await expect(journal.status).toHaveText('Сохранено.');
  await screenshot(page, testInfo, 'year-finals');

  const saved = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  const years = saved.finals.filter((final) => final.kind === 'year').map((final) => [final.studentId, final.value, final.suggested, final.deferred]);
  expect(years.sort()).toEqual(
    [
      [school.students.egorova, '5', '5', false],
      [school.students.belova, '', '', true],
    ].sort(),
  );
});

test('D-44: the administrator marks a teacher compromised, sees the mark changed since, reverts it with a reason, and the journal shows the previous value', async ({ page, world }, testInfo) => {
  const { school, clock } = world;
  clock.set(tomsk('2026-10-14 09:00'));
  const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей' });
  const honest = await school.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: school.students.belova, value: '4', workTypeId: school.workTypes.oral });
  clock.set(tomsk('2026-10-14 11:00'));
  // Someone who saw the teacher's password turns the 4 into a 2.
  await school.math.session.ok('journal.saveMark', { lessonId: lesson.id, studentId: school.students.belova, markId: honest.id, version: honest.version, value: '2', workTypeId: school.workTypes.oral });
  clock.set(tomsk('2026-10-14 14:30'));

  await world.open(page);
  const login = page.getByRole('form', { name: 'Вход' });
  await login.getByLabel('Логин').fill(ADMIN.login);
  await login.getByLabel('Пароль').fill(ADMIN.password);
  await login.getByLabel('Пароль').press('Enter');
  await expect(page.getByRole('banner')).toContainText(ADMIN.fullName);
  await page.getByRole('navigation', { name: 'Разделы' }).getByRole('link', { name: 'Учётные записи' }).click();
  await page.getByRole('button', { name: MATH.fullName, exact: true }).click();
  const panel = page.getByRole('complementary', { name: `Учётная запись ${MATH.fullName}` });
  await panel.getByText('Сообщить о компрометации').click();
  const report = panel.getByRole('form', { name: 'Сообщить о компрометации' });
  await report.getByLabel('С какого дня').fill('14.10.2026');
  await report.getByLabel(/С какого времени/).fill('10:30');
  await report.getByLabel('Основание').fill('Пароль учителя видели ученики');
  await report.getByRole('button', { name: 'Заблокировать как скомпрометированную' }).click();

  const change = panel.getByRole('row', { name: 'Исправлена отметка: 5А · Математика · 14.10.2026 · Белова Дарья' });
  await expect(change).toContainText('4 → 2');
  await expect(change).toContainText('ждёт отмены');
  await expect(panel).toContainText('Изменения после сообщения: 1, ждут отмены: 1');
  // The reason is required.
  const revert = panel.getByRole('form', { name: 'Отменить изменения' });
  await revert.getByRole('button', { name: 'Отменить изменения журнала (1)' }).click();
  await expect(revert).toContainText('Укажите причину');
  await revert.getByLabel('Причина отмены').fill('Служебная записка № 12');
  await revert.getByRole('button', { name: 'Отменить изменения журнала (1)' }).click();
  await expect(panel.getByRole('status')).toHaveText('Отменено изменений: 1.');
  await expect(change).toContainText('отменено');
  await expect(panel.getByRole('form', { name: 'Отменить изменения' })).toHaveCount(0);
  await expect(panel).toContainText(`(${ADMIN.fullName}): отменено 1, оставлено 0. Причина: Служебная записка № 12`);
  await screenshot(page, testInfo, 'compromised-reverted');

  const journal = new JournalScreen(page);
  await journal.open(school.loads.math5A);
  await expect(journal.cell('Белова Дарья', '14.10')).toHaveText('4');
  await journal.select('Белова Дарья', '14.10');
  await page.getByRole('button', { name: 'История ячейки' }).click();
  await expect(page.getByRole('dialog', { name: 'История ячейки' })).toContainText('Служебная записка № 12');
});

test('a slow save: «Не отправлено» comes only after the mark has waited two seconds, and goes once it is saved', async ({ page, world }) => {
  const { school } = world;
  const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей' });
  const journal = await openMathJournal(page, world);
  await journal.expectShown();

  // The database answers only when the test lets it.
  let answer!: () => void;
  const held = new Promise<void>((resolve) => (answer = resolve));
  await page.route('**/call', async (route) => {
    if ((route.request().postDataJSON() as { method: string }).method.startsWith('journal.save')) await held;
    return route.continue();
  });
  // The page notes, by its own timer, how long after the key the counter first showed.
  await page.evaluate(() => {
    const state = window as unknown as { unsentAfter: number | null };
    state.unsentAfter = null;
    let typedAt = 0;
    window.addEventListener('keydown', () => (typedAt ||= performance.now()), true);
    new MutationObserver(() => {
      const shown = [...document.querySelectorAll('header button')].some((button) => button.textContent?.startsWith('Не отправлено'));
      if (shown && typedAt && state.unsentAfter === null) state.unsentAfter = performance.now() - typedAt;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await journal.select('Белова Дарья', '14.10');
  await journal.type('5');
  await expect(journal.cell('Белова Дарья', '14.10')).toHaveText('5');
  const unsent = page.getByRole('banner').getByRole('button', { name: /^Не отправлено: / });
  await expect(unsent).toHaveText('Не отправлено: 1');
  expect(await page.evaluate(() => (window as unknown as { unsentAfter: number | null }).unsentAfter)).toBeGreaterThanOrEqual(2000);

  answer();
  await expect(unsent).toHaveCount(0, { timeout: 30_000 });
  const saved = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  expect(saved.marks.filter((mark) => mark.lessonId === lesson.id).map((mark) => mark.value)).toEqual(['5']);
});

test('a mark typed the instant before the page is reloaded is kept on this PC and saved once', async ({ page, world }) => {
  const { school } = world;
  const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей' });
  const journal = await openMathJournal(page, world);
  await journal.expectShown();
  const saves = await cutOffSaves(page);
  await journal.select('Волков Никита', '14.10');
  // The key and the reload in one go: no frame is waited for between them.
  await page.evaluate(() => {
    document.querySelector<HTMLElement>('[role="grid"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: '3', bubbles: true, cancelable: true }));
    location.reload();
  });
  await expect(page.getByRole('heading', { level: 1, name: 'Страница журнала' })).toBeVisible();
  const unsent = page.getByRole('banner').getByRole('button', { name: /^Не отправлено: / });
  await expect(unsent).toHaveText('Не отправлено: 1');
  await expect(journal.cell('Волков Никита', '14.10')).toHaveText('3');

  saves.reconnect();
  await expect(unsent).toHaveCount(0, { timeout: 60_000 });
  const saved = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  expect(saved.marks.filter((mark) => mark.lessonId === lesson.id).map((mark) => mark.value)).toEqual(['3']);
});

test('offline: five marks typed, another page and another period opened, the page reloaded, back online — each saved once and audited once', async ({ page, world }) => {
  const { school } = world;
  const lesson = await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: 'Сложение дробей' });
  const journal = await openMathJournal(page, world);
  await journal.expectShown();

  const saves = await cutOffSaves(page);
  const typed = [['Алексеев Артём', '5'], ['Белова Дарья', '4'], ['Волков Никита', '3'], ['Григорьева Софья', '5'], ['Егорова Полина', '4']] as const;
  for (const [student, mark] of typed) {
    await journal.select(student, '14.10');
    await journal.type(mark);
  }
  const unsent = page.getByRole('banner').getByRole('button', { name: /^Не отправлено: / });
  await expect(unsent).toHaveText('Не отправлено: 5');

  // Elsewhere and back: another subject, another period, then a reload.
  await journal.open(school.loads.english5A2);
  await journal.open(school.loads.math5A);
  await page.getByLabel('Период').selectOption({ index: 1 });
  await expect(unsent).toHaveText('Не отправлено: 5');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Страница журнала' })).toBeVisible();
  await expect(unsent).toHaveText('Не отправлено: 5');
  for (const [student, mark] of typed) await expect(journal.cell(student, '14.10')).toHaveText(mark);

  saves.reconnect();
  await expect(unsent).toHaveCount(0, { timeout: 60_000 });
  const saved = await school.math.session.ok('journal.page', { loadId: school.loads.math5A });
  const marks = saved.marks.filter((mark) => mark.lessonId === lesson.id);
  expect(marks.map((mark) => mark.value).sort()).toEqual(['3', '4', '4', '5', '5']);
  // A mark's creation is audited against its cell («lesson:student»).
  const audited = await school.admin.ok('audit.list', { entity: 'mark', limit: 1000 });
  for (const mark of marks) expect(audited.filter((record) => record.action === 'mark.create' && record.entityId === `${lesson.id}:${mark.studentId}`)).toHaveLength(1);
});
