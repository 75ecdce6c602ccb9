import { execFileSync } from 'node:child_process';
import { createPrintFixture, PASSWORD } from '../support/print-fixture';
import { expect, screenshot, test } from './support/fixtures';
import { AppShell, LoginPage } from './support/pages';

// The class teacher's paper for parents in the browser: the reminder on her home page with
// the extract in one click, then the fortnight's extract for 5А from «Отчёты для родителей»,
// three returned strips ticked, and the students who have not returned theirs listed.

test('the class teacher prints the extract for 5А, ticks three returned strips and sees the rest listed', async ({ page, zhurnal }, testInfo) => {
  test.setTimeout(180_000);
  // 12 students: one arrived 06.10.2025, one left 10.10.2025 (the fixture's movement).
  const fixture = await createPrintFixture(zhurnal.core, { studentCount: 12 });

  await zhurnal.open(page);
  await new LoginPage(page).signIn(fixture.users.classTeacher.login, PASSWORD);
  const shell = new AppShell(page);
  await shell.expectSignedIn(fixture.users.classTeacher.fullName);

  // Home: nothing printed yet for 5А; one click prints the last two weeks.
  const widget = page.getByLabel('Отчёты для родителей', { exact: true });
  await expect(widget).toContainText('5А: отчёт для родителей ещё не печатался');
  await widget.getByRole('button', { name: /^Напечатать отчёт 5А за/ }).click();
  await expect(widget.getByTestId('paper-facts')).toContainText('Учеников: 11', { timeout: 60_000 });
  await expect(widget).toContainText('Не вернули талон: 11');
  await screenshot(page, testInfo, 'extracts-home');

  // The fortnight 01.10.2025–14.10.2025 from the page, saved and read page by page.
  await shell.open('Отчёты для родителей');
  const form = page.getByRole('form', { name: 'Период отчёта' });
  await form.getByLabel('С', { exact: true }).fill('2025-10-01');
  await form.getByLabel('По', { exact: true }).fill('2025-10-14');
  await form.getByRole('button', { name: 'Сформировать PDF' }).click();
  const result = page.getByRole('region', { name: 'Готовый документ' });
  await expect(result.getByTestId('paper-facts')).toContainText('Учеников: 12', { timeout: 60_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), result.getByRole('button', { name: 'Сохранить PDF' }).click()]);
  const file = await download.path();
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
  expect(pages).toBeGreaterThanOrEqual(12);
  const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(first).toContain('за период с 01.10.2025 по 14.10.2025');
  expect(first).toContain('С отчётом ознакомлен(а)');

  // The register: the newest extract first; three strips came back.
  const latest = page.getByRole('table', { name: /^Отчёт с 01\.10\.2025 по 14\.10\.2025/ });
  const boxes = latest.getByRole('checkbox');
  await expect(boxes).toHaveCount(12);
  const names: string[] = [];
  for (let i = 0; i < 3; i++) {
    const row = latest.getByRole('row').nth(i + 1);
    names.push((await row.getByRole('rowheader').textContent())!.trim());
    await row.getByRole('checkbox').click();
    await expect(row.getByRole('checkbox')).toBeChecked();
  }
  const missing = page.getByRole('list', { name: 'Не вернули талон' });
  for (const name of names) await expect(missing).not.toContainText(name);
  // Twelve printed, three back; the student who left on 10.10.2025 is no longer asked for one.
  await expect(missing.getByRole('listitem')).toHaveCount(12 - 3 - (names.some((n) => n.includes('выбыл')) ? 0 : 1));
  await expect(missing).not.toContainText('выбыл');
  await screenshot(page, testInfo, 'extracts-register');
});
