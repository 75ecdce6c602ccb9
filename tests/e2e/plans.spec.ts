import ExcelJS from 'exceljs';
import { screenshot } from './support/fixtures';
import { expect, signInAs, signOut, test } from './support/journal-school';

// The КТП screens: a teacher loads her plan from the spreadsheet she keeps, explains the
// hours that differ from the curriculum, saves and submits it; the deputy reads it, sees the
// programme fulfilment and approves it; the teacher sees «утверждён».
// The school: class 5А; Wednesday 14 October 2026 in Tomsk (journal-school.ts).
test.describe.configure({ timeout: 240_000 });

const MATH = { login: 'ivanova', fullName: 'Иванова Мария Сергеевна' };
const DEPUTY = { login: 'orlova', fullName: 'Орлова Наталья Борисовна' };

async function planFile(rows: Array<[number | string, string, string, number | string, string, string]>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('КТП');
  sheet.addRow(['Календарно-тематическое планирование по математике, 5А класс']);
  sheet.mergeCells('A1:F1');
  sheet.addRow([]);
  sheet.addRow(['№ п/п', 'Раздел', 'Тема урока', 'Кол-во часов', 'Дата (план)', 'Домашнее задание']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

test('a teacher imports, edits and submits her КТП; the deputy approves it', async ({ page, world }, testInfo) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  await page.getByRole('navigation').getByRole('link', { name: 'КТП' }).click();
  const list = page.getByRole('table', { name: 'КТП по нагрузкам' });
  const mathRow = list.getByRole('row').filter({ hasText: '5А' }).filter({ hasText: 'Математика' });
  await expect(mathRow).toContainText('нет плана');
  await screenshot(page, testInfo, 'plans-teacher-list');
  await mathRow.getByRole('link', { name: 'Математика' }).click();
  await expect(page.getByRole('heading', { name: /5А — Математика/ })).toBeVisible();

  // A file with a bad row: shown with its Russian error, nothing can be loaded.
  await page.getByRole('button', { name: 'Загрузить из файла' }).click();
  const importer = page.getByRole('region', { name: 'Загрузка КТП из файла' });
  await importer.getByLabel('Файл XLSX или CSV').setInputFiles({
    name: 'ктп-ошибка.xlsx',
    mimeType: xlsx,
    buffer: await planFile([
      [1, 'Натуральные числа', 'Ряд натуральных чисел', 1, '02.09.2026', '§ 1'],
      [2, 'Натуральные числа', '', 'два', '', ''],
    ]),
  });
  await expect(importer.getByLabel('Итог проверки')).toContainText('С ошибками: 1 строка');
  await expect(importer.getByRole('button', { name: 'Загрузить' })).toBeDisabled();
  await screenshot(page, testInfo, 'plans-import-errors');

  await importer.getByLabel('Файл XLSX или CSV').setInputFiles({
    name: 'ктп.xlsx',
    mimeType: xlsx,
    buffer: await planFile([
      [1, 'Натуральные числа', 'Ряд натуральных чисел', 1, '02.09.2026', '§ 1, № 3'],
      [2, 'Натуральные числа', 'Сравнение натуральных чисел', 1, '03.09.2026', '§ 2'],
      [3, 'Натуральные числа', 'Контрольная работа № 1', 1, '04.09.2026', ''],
    ]),
  });
  await expect(importer.getByLabel('Итог проверки')).toContainText('3 урока, 3 часа. Ошибок нет');
  await screenshot(page, testInfo, 'plans-import-preview');
  await importer.getByRole('button', { name: 'Загрузить' }).click();
  await expect(page.getByText('КТП загружен из файла.')).toBeVisible();
  const grid = page.getByRole('table', { name: 'Уроки КТП' });
  await expect(grid.getByLabel('Урок 2: тема урока')).toHaveValue('Сравнение натуральных чисел');
  await expect(grid.getByLabel('Урок 1: дата по плану')).toHaveValue('02.09.2026');

  // Editing in place: a lesson inserted below the second, typed, then moved up; Enter goes down.
  await grid.getByRole('button', { name: 'Вставить урок после 2' }).click();
  await expect(grid.getByLabel('Урок 3: тема урока')).toBeFocused();
  await page.keyboard.type('Решение задач на сравнение');
  await grid.getByLabel('Урок 3: контрольная работа').uncheck();
  await grid.getByLabel('Урок 4: контрольная работа').check();
  await grid.getByLabel('Урок 3: тема урока').press('Enter');
  await expect(grid.getByLabel('Урок 4: тема урока')).toBeFocused();
  await expect(page.getByRole('status', { name: 'Сверка часов' })).toContainText('В плане 4 часа');
  await expect(page.getByRole('status', { name: 'Сверка часов' })).toContainText('Расхождение');
  await page.getByLabel('Объяснение расхождения часов с учебным планом').fill('Остальные уроки будут добавлены после согласования программы.');
  // The work type is chosen from the school's list; ↑ moves to the row above, as in the other cells.
  const workTypeCell = grid.getByLabel('Урок 4: вид работы');
  await workTypeCell.selectOption({ label: 'Контрольная работа' });
  await workTypeCell.press('ArrowUp');
  await expect(grid.getByLabel('Урок 3: вид работы')).toBeFocused();
  await expect(workTypeCell).toHaveValue(String(world.school.workTypes.test));

  // Leaving the editor with unsaved rows loses nothing: back on the page, they are offered again.
  await page.getByRole('link', { name: '← Все КТП' }).click();
  await page.goBack();
  const kept = page.getByRole('note', { name: 'Несохранённые изменения' });
  await expect(kept).toContainText('4 урока');
  await expect(grid.getByLabel('Урок 3: тема урока')).not.toHaveValue('Решение задач на сравнение');
  await kept.getByRole('button', { name: 'Вернуть мои изменения' }).click();
  await expect(grid.getByLabel('Урок 3: тема урока')).toHaveValue('Решение задач на сравнение');
  await expect(grid.getByLabel('Урок 4: контрольная работа')).toBeChecked();
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await expect(page.getByText('Сохранено.')).toBeVisible();
  await screenshot(page, testInfo, 'plans-editor');

  await page.getByRole('button', { name: 'Отправить на проверку' }).click();
  await expect(page.getByLabel('Состояние КТП')).toHaveText('на проверке');
  const saved = await world.school.math.session.ok('plans.get', { loadId: world.school.loads.math5A });
  expect(saved.rows.map((row) => [row.number, row.topic, row.controlWork, row.workTypeId])).toEqual([
    [1, 'Ряд натуральных чисел', false, null],
    [2, 'Сравнение натуральных чисел', false, null],
    [3, 'Решение задач на сравнение', false, null],
    [4, 'Контрольная работа № 1', true, world.school.workTypes.test],
  ]);
  await signOut(page);

  // The deputy: the plans on review, the plan read-only, approval.
  await signInAs(page, DEPUTY.login, DEPUTY.fullName);
  await page.getByRole('navigation').getByRole('link', { name: 'КТП' }).click();
  const review = page.getByRole('table', { name: 'КТП по нагрузкам' });
  await expect(review.getByRole('row')).toHaveCount(2);
  await screenshot(page, testInfo, 'plans-deputy-review-list');
  await review.getByRole('link', { name: 'Математика' }).click();
  await expect(page.getByRole('table', { name: 'Уроки КТП' })).toContainText('Решение задач на сравнение');
  await expect(page.getByRole('table', { name: 'Уроки КТП' }).getByRole('textbox')).toHaveCount(0);
  await expect(page.getByText('Объяснение расхождения часов: Остальные уроки')).toBeVisible();
  const decision = page.getByRole('region', { name: 'Решение по КТП' });
  await decision.getByRole('button', { name: 'Вернуть с замечаниями' }).click();
  await expect(decision.getByRole('alert')).toHaveText('Напишите, что исправить: без замечаний КТП не вернуть.');
  await screenshot(page, testInfo, 'plans-deputy-review');
  await decision.getByRole('button', { name: 'Утвердить' }).click();
  await expect(page.getByLabel('Состояние КТП')).toHaveText('утверждён');

  await page.getByRole('navigation').getByRole('link', { name: 'Выполнение программы' }).click();
  const fulfilment = page.getByRole('table', { name: 'Выполнение программы' });
  const mathLine = fulfilment.getByRole('row').filter({ hasText: 'Математика' }).filter({ hasText: 'утверждён' });
  // Lessons 1, 2 and 4 are dated before 14 October and none is given: 3 hours behind.
  await expect(mathLine.getByRole('cell').nth(6)).toHaveText('3 ч.');
  await expect(mathLine.getByRole('cell').nth(7)).toHaveText('4');
  await screenshot(page, testInfo, 'plans-fulfilment');
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await signOut(page);

  await signInAs(page, MATH.login, MATH.fullName);
  await page.getByRole('navigation').getByRole('link', { name: 'КТП' }).click();
  await expect(page.getByRole('table', { name: 'КТП по нагрузкам' }).getByRole('row').filter({ hasText: 'Математика' }).filter({ hasText: '5А' })).toContainText('утверждён');
});
