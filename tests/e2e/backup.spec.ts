import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN, expect, screenshot, test } from './support/fixtures';
import { AppShell, LoginPage } from './support/pages';

// The administrator sets up backups, makes a copy now,
// sees it per destination with its age, and checks what the copy holds.

const BACKUP_PASSWORD = 'Копии-школы-12';

test('the administrator sets a password and a second folder, makes a copy now and checks it', async ({ page, zhurnal }, testInfo) => {
  test.setTimeout(120_000);
  const copies = mkdtempSync(join(tmpdir(), 'zhurnal-e2e-copies-'));
  try {
    await zhurnal.createSchool();
    await zhurnal.open(page);
    await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
    const shell = new AppShell(page);
    await shell.expectSignedIn(ADMIN.fullName);
    // Told at login: nothing is copied yet.
    const warning = page.getByRole('alert', { name: 'Резервные копии' });
    await expect(warning).toContainText('Не задан пароль резервных копий: копирование не выполняется.');

    await shell.open('Резервные копии');
    const passwordForm = page.getByRole('form', { name: 'Пароль резервных копий' });
    await passwordForm.getByLabel('Новый пароль', { exact: true }).fill(BACKUP_PASSWORD);
    await passwordForm.getByLabel('Новый пароль ещё раз').fill(BACKUP_PASSWORD);
    await passwordForm.getByRole('button', { name: 'Задать пароль' }).click();
    await expect(page.getByText('Пароль сохранён. Отпечаток ключа подписи школы:')).toBeVisible();
    const fingerprint = (await page.getByTestId('key-fingerprint').textContent())!.trim();
    expect(fingerprint.length).toBeGreaterThan(10);

    const settings = page.getByRole('form', { name: 'Настройки резервного копирования' });
    await expect(settings.getByLabel('Когда')).toHaveValue('5');
    await expect(settings.getByLabel('Время')).toHaveValue('17:00');
    await settings.getByLabel('Вторая папка').fill(copies);
    await settings.getByRole('button', { name: 'Сохранить настройки' }).click();
    await expect(page.getByText('Настройки сохранены.')).toBeVisible();

    const places = page.getByRole('table', { name: 'Места хранения копий' });
    const folderRow = places.getByRole('row').filter({ hasText: copies });
    await expect(folderRow).toContainText('копий ещё не было');

    await page.getByRole('button', { name: 'Сделать копию сейчас' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'копия записана и проверена' })).toBeVisible({ timeout: 60_000 });
    const written = readdirSync(copies).filter((name) => !name.startsWith('.'));
    expect(written).toHaveLength(1);
    await expect(folderRow).toContainText(written[0]!);
    await expect(folderRow.locator('.badge-ok', { hasText: 'сегодня' })).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'резервных копий ещё не было' })).toHaveCount(0);
    await screenshot(page, testInfo, 'backup-made');

    // «Проверить копию»: the signature and the manifest without the password…
    await folderRow.getByRole('button', { name: 'Проверить копию' }).click();
    const contents = page.getByRole('region', { name: 'Содержимое копии' });
    await expect(contents).toContainText('Подпись и контрольные суммы верны');
    await expect(contents).toContainText('МАОУ «Средняя общеобразовательная школа № 7»');
    await expect(contents).toContainText(fingerprint);
    await expect(contents).toContainText('Содержимое не расшифровывалось');
    await expect(contents).toContainText('сотрудников: 1');
    await expect(contents.getByRole('table', { name: 'Части копии' }).getByRole('row')).not.toHaveCount(1);

    // …then with it: a wrong one gets the core's words, the right one opens every part.
    const check = page.getByRole('form', { name: 'Проверить копию' });
    await expect(check.getByLabel('Файл резервной копии')).toHaveValue(join(copies, written[0]!));
    await check.getByLabel('Пароль резервных копий').fill('не тот пароль');
    await check.getByRole('button', { name: 'Проверить копию' }).click();
    await expect(check.getByRole('alert')).toHaveText('Неверный пароль резервной копии.');
    await check.getByLabel('Пароль резервных копий').fill(BACKUP_PASSWORD);
    await check.getByRole('button', { name: 'Проверить копию' }).click();
    await expect(contents).toContainText('Содержимое расшифровано и сверено.');
    const restore = page.getByRole('form', { name: 'Восстановить копию' });
    await expect(restore).toBeVisible();
    await screenshot(page, testInfo, 'backup-checked');

    // A wrong server address is named as it is typed, in the contract's words; nothing starts.
    await restore.getByLabel('Куда').selectOption({ label: 'Пустая база PostgreSQL' });
    await restore.getByLabel('Адрес базы').fill('mysql://сервер/база');
    await restore.getByLabel('Адрес базы').blur();
    await expect(restore.getByText('Адрес PostgreSQL начинается с postgres://')).toBeVisible();
    await restore.getByRole('button', { name: 'Восстановить' }).click();
    await expect(restore.getByText('Исправьте: Адрес базы.')).toBeVisible();
    await expect(page.getByRole('status', { name: 'Ход восстановления' })).toHaveCount(0);
    await restore.getByLabel('Адрес базы').fill('postgres://');
    await expect(restore.getByText('Адрес PostgreSQL начинается с postgres://')).toHaveCount(0);

    // With a fresh copy in the only configured place, the login warning is gone.
    await shell.open('Главная');
    await expect(page.getByRole('alert', { name: 'Резервные копии' })).toHaveCount(0);
  } finally {
    rmSync(copies, { recursive: true, force: true });
  }
});
