import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import type { Page, TestInfo } from '@playwright/test';
import ExcelJS from 'exceljs';
import { writeTeacherReportsJournal } from '../support/teacher-reports-fixture';
import { screenshot } from './support/fixtures';
import { expect, signInAs, signOut, test } from './support/journal-school';

// The subject teacher's report, the school attendance summary and the class teacher's risk
// group, each opened by its role at 1366×768 on the journal of tests/support/teacher-reports-fixture.ts
// (its figures are counted by hand in tests/integration/reports-teacher.test.ts). It is
// Wednesday 14 October 2026 in Tomsk.
test.describe.configure({ timeout: 240_000 });

const MATH = { login: 'ivanova', fullName: 'Иванова Мария Сергеевна' };
const RUSSIAN = { login: 'petrova', fullName: 'Петрова Анна Викторовна' };
const DEPUTY = { login: 'orlova', fullName: 'Орлова Наталья Борисовна' };

async function fitsWindow(page: Page) {
  const size = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(size.scrollWidth, 'страница шире окна').toBeLessThanOrEqual(size.innerWidth);
}

/** The period filter («Форма» also names periods among its forms). */
function periodSelect(page: Page) {
  return page.getByRole('combobox', { name: /^Период/ });
}

async function openReports(page: Page) {
  await page.getByRole('navigation').getByRole('link', { name: 'Отчёты', exact: true }).click();
  await expect(page.getByLabel('Форма')).toBeVisible();
}

/** The table's body rows as the person reads them, cell by cell. */
async function tableRows(page: Page): Promise<string[][]> {
  const rows = page.locator('table.report-table tbody tr');
  const count = await rows.count();
  const result: string[][] = [];
  for (let i = 0; i < count; i++) result.push((await rows.nth(i).locator('td').allInnerTexts()).map((text) => text.trim()));
  return result;
}

async function downloadXlsx(page: Page): Promise<ExcelJS.Worksheet> {
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать XLSX' }).click()]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(await xlsx.path()) as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

/** The downloaded PDF's text; the file is kept beside the screenshots to be looked at. */
async function downloadPdfText(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать PDF' }).click()]);
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  const path = testInfo.outputPath(`${name}.pdf`);
  copyFileSync(await pdf.path(), path);
  expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

test('the subject teacher opens her own report for the quarter and downloads it', async ({ page, world }, testInfo) => {
  await writeTeacherReportsJournal(world.db, world.school);
  await world.open(page);
  await signInAs(page, MATH.login, MATH.fullName);
  await openReports(page);
  await page.getByLabel('Форма').selectOption({ label: 'Отчёт учителя-предметника' });
  // A teacher has no choice of teacher: the report is her own.
  await expect(page.getByLabel('Учитель')).toHaveCount(0);
  await periodSelect(page).selectOption({ label: 'I четверть (01.09.2026 – 25.10.2026)' });
  await expect(page.getByRole('heading', { name: 'Отчёт учителя-предметника' })).toBeVisible();
  await expect(page.locator('.report-header')).toContainText('Иванова М. С. · I четверть 2026/2027 учебного года');
  await expect(page.locator('table.report-table tbody tr')).toHaveCount(3);
  expect(await tableRows(page)).toEqual([
    ['5А', 'Математика', '5', '2', '1', '0', '1', '1', '60,0 %', '60,0 %', '4,00', '56,0 %', '31', '4', '6', '2', '75,0 %', '50,0 %'],
    ['5А', 'Иностранный язык (английский) (2 группа)', '1', '0', '1', '0', '0', '0', '100,0 %', '100,0 %', '4,00', '64,0 %', '19', '—', '1', '0', '—', '—'],
    ['Итого', '', '6', '2', '2', '0', '1', '1', '66,7 %', '66,7 %', '4,00', '57,3 %', '50', '4', '7', '2', '75,0 %', '50,0 %'],
  ]);
  await fitsWindow(page);
  // Eighteen columns fit beside the menu: short headings, the full one for hover and screen readers.
  const success = page.getByRole('columnheader', { name: 'Успеваемость, %', exact: true });
  await expect(success).toHaveText('Усп., %');
  await expect(success).toHaveAttribute('title', 'Успеваемость, %');
  expect(await page.locator('.report-table-box').evaluate((box) => box.scrollWidth <= box.clientWidth), 'таблица отчёта шире своего места').toBe(true);
  await screenshot(page, testInfo, 'subject-teacher');

  const sheet = await downloadXlsx(page);
  expect(sheet.getCell('A2').value).toBe('Отчёт учителя-предметника');
  const header = sheet.getRow(6).values as unknown[];
  const math = sheet.getRow(7);
  expect([math.getCell(1).value, math.getCell(2).value, math.getCell(3).value]).toEqual(['5А', 'Математика', 5]);
  expect(math.getCell(header.indexOf('Успеваемость, %')).value).toBe(0.6);
  expect(math.getCell(header.indexOf('Часов по учебному плану')).value).toBe(31);
  expect(math.getCell(header.indexOf('Контрольных работ')).value).toBe(2);

  const text = await downloadPdfText(page, testInfo, 'subject-teacher');
  expect(text).toContain('Отчёт учителя-предметника');
  expect(text).toContain('Иванова М. С. · I четверть 2026/2027 учебного года');
  expect(text).toContain('Учитель ____________________ Иванова М. С.');
  expect(text).toMatch(/5А\s+Математика\s+5\s+2\s+1\s+0\s+1\s+1\s+60,0 %/);
});

test('the deputy opens the school attendance summary for dates and a teacher’s report', async ({ page, world }, testInfo) => {
  await writeTeacherReportsJournal(world.db, world.school);
  await world.open(page);
  await signInAs(page, DEPUTY.login, DEPUTY.fullName);
  await openReports(page);
  await page.getByLabel('Форма').selectOption({ label: 'Сводка посещаемости по школе' });
  await periodSelect(page).selectOption({ label: 'даты (ниже)' });
  await page.getByLabel('С даты').fill('01.09.2026');
  await page.getByLabel('С даты').press('Tab');
  await page.getByLabel('По дату').fill('14.10.2026');
  await page.getByLabel('По дату').press('Tab');
  await expect(page.locator('.report-header')).toContainText('01.09.2026 – 14.10.2026');
  await expect(page.locator('table.report-table tbody tr')).toHaveCount(3);
  expect(await tableRows(page)).toEqual([
    ['1А', '3', '1', '1', '0', '0', '0', '0,33', '1'],
    ['5А', '5', '6', '3', '1', '1', '1', '1,20', '1'],
    ['Итого по школе', '8', '7', '4', '1', '1', '1', '0,88', '2'],
  ]);
  // The chart of missed lessons by class is drawn.
  await expect(page.getByRole('img', { name: 'Пропущено уроков по классам' })).toBeVisible();
  await fitsWindow(page);

  const sheet = await downloadXlsx(page);
  expect(sheet.getCell('A2').value).toBe('Сводка посещаемости по школе');
  expect((sheet.getRow(6).values as unknown[]).slice(1, 4)).toEqual(['Класс', 'Учеников', 'Пропущено уроков']);
  const fifth = sheet.getRow(8);
  expect([fifth.getCell(1).value, fifth.getCell(2).value, fifth.getCell(3).value, fifth.getCell(4).value, fifth.getCell(8).value]).toEqual(['5А', 5, 6, 3, 1.2]);
  const text = await downloadPdfText(page, testInfo, 'school-attendance');
  expect(text).toContain('Сводка посещаемости по школе');
  expect(text).toContain('Пропущено уроков по классам');
  expect(text).toMatch(/Итого по школе\s+8\s+7\s+4\s+1\s+1\s+1\s+0,88\s+2/);
  // After the downloads the chart's bars have grown in.
  await screenshot(page, testInfo, 'school-attendance');

  // A class's line opens that class's attendance by month.
  await page.locator('table.report-table tbody tr').nth(1).getByRole('link', { name: '5А' }).click();
  await expect(page.getByRole('heading', { name: 'Посещаемость класса по месяцам' })).toBeVisible();
  await expect(page.locator('.report-header')).toContainText('5А класс · 01.09.2026 – 14.10.2026');

  // The subject teacher's report of any teacher, once one is chosen.
  await page.getByLabel('Форма').selectOption({ label: 'Отчёт учителя-предметника' });
  await expect(page.getByText('Выберите учителя.')).toBeVisible();
  await page.getByLabel('Учитель').selectOption({ label: MATH.fullName });
  await periodSelect(page).selectOption({ label: 'I четверть (01.09.2026 – 25.10.2026)' });
  await expect(page.locator('.report-header')).toContainText('Иванова М. С. · I четверть 2026/2027 учебного года');
  await expect(page.locator('table.report-table tbody tr').first()).toContainText('60,0 %');
  await fitsWindow(page);
  await screenshot(page, testInfo, 'subject-teacher-deputy');
});

test('the class teacher sees her class’s risk group on the home page', async ({ page, world }, testInfo) => {
  await writeTeacherReportsJournal(world.db, world.school);
  await world.open(page);
  await signInAs(page, RUSSIAN.login, RUSSIAN.fullName);
  const risk = page.getByLabel('Группа риска');
  await expect(risk).toContainText('5А: группа риска — 3.');
  await expect(risk.locator('li')).toHaveText(['Белова Дарья: прогноз «2»: Математика', 'Волков Никита: пропущено 50 % уроков: Математика', 'Григорьева Софья: «н/а»: Математика']);
  await fitsWindow(page);
  await screenshot(page, testInfo, 'risk-group');
  await risk.getByRole('link', { name: 'Отчёт классного руководителя' }).click();
  await expect(page.getByRole('heading', { name: 'Отчёт классного руководителя' })).toBeVisible();
  await expect(page.locator('table.report-table tbody tr').nth(1)).toContainText('прогноз «2»: Математика');
  await fitsWindow(page);
  await screenshot(page, testInfo, 'class-teacher-report');
  await signOut(page);

  // A subject teacher who leads no class gets no such block.
  await signInAs(page, MATH.login, MATH.fullName);
  await expect(page.getByLabel('Группа риска')).toHaveCount(0);
});
