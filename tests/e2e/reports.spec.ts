import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { screenshot } from './support/fixtures';
import { expect, signInAs, test } from './support/journal-school';

// Reports end to end: the deputy opens her home page, follows «Уроки без темы» of one
// teacher down to the lessons, and downloads the report as XLSX and PDF. It is Wednesday
// 14 October 2026 in Tomsk (journal-school.ts); the lessons are written by the teachers
// through the core, as the journal page would.
test.describe.configure({ timeout: 180_000 });

const DEPUTY = { login: 'orlova', fullName: 'Орлова Наталья Борисовна' };

test('the deputy drills from the control summary to one teacher’s lessons without a topic and exports them', async ({ page, world }, testInfo) => {
  const { school } = world;
  // Иванова: two mathematics lessons in 5А, one of them without a topic; Петрова: one with a topic.
  await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-07', lessonNumber: 2, topic: 'Уравнения', homework: '№ 12' });
  await school.math.session.ok('journal.saveLesson', { loadId: school.loads.math5A, date: '2026-10-14', lessonNumber: 2, topic: '', homework: '' });
  await school.russian.session.ok('journal.saveLesson', { loadId: school.loads.russian5A, date: '2026-10-14', lessonNumber: 5, topic: 'Фонетика', homework: 'упр. 3' });

  await world.open(page);
  await signInAs(page, DEPUTY.login, DEPUTY.fullName);
  const summary = page.getByLabel('Контроль ведения журнала');
  const noTopic = summary.locator('tr[data-measure="noTopic"]');
  await expect(noTopic).toContainText('Уроки без темы');
  await expect(noTopic.getByRole('link', { name: '1', exact: true })).toBeVisible();
  await screenshot(page, testInfo, 'home');
  await noTopic.getByRole('link', { name: 'Иванова М. С. — 1' }).click();

  await expect(page.getByRole('heading', { name: 'Уроки без темы, без домашнего задания, с поздними записями' })).toBeVisible();
  const table = page.locator('table.report-table');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table.locator('tbody tr').first()).toContainText('14.10.2026');
  await expect(table.locator('tbody tr').first()).toContainText('— нет —');
  await screenshot(page, testInfo, 'lessons');

  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать XLSX' }).click()]);
  expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(await xlsx.path()) as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  expect(sheet.getCell('A2').value).toBe('Уроки без темы, без домашнего задания, с поздними записями');
  expect(sheet.getRow(6).getCell(1).value).toBe('Дата');
  const lesson = sheet.getRow(7);
  expect((lesson.getCell(1).value as Date).toISOString().slice(0, 10)).toBe('2026-10-14');
  expect(lesson.getCell(2).value).toBe(2);
  expect(lesson.getCell(4).value).toBe('Математика');
  expect(lesson.getCell(6).value).toBe('— нет —');
  expect(sheet.getRow(8).getCell(1).value).toBeNull();

  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Скачать PDF' }).click()]);
  const text = execFileSync('pdftotext', ['-layout', await pdf.path(), '-'], { encoding: 'utf8' });
  expect(text).toContain('Уроки без темы, без домашнего задания, с поздними записями');
  expect(text).toContain('14.10.2026');
  expect(text).toContain('Иванова М. С.');
  expect(text).not.toContain('Петрова');
});
