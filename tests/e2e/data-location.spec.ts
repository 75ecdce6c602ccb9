import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ADMIN, screenshot } from './support/fixtures';
import { AppShell, LoginPage } from './support/pages';
import { expect, test } from './support/station';

// «Где хранить данные» in Chromium over the bridge, on a real
// station and a real PostgreSQL server; the last test moves a school from the file to it.

// One PostgreSQL server per worker: these few tests share it in order.
test.describe.configure({ mode: 'default' });

const chooser = (page: Page) => page.getByRole('radiogroup', { name: 'Где хранить данные' });

/** Picks «Подключиться к серверу PostgreSQL» and fills in where the server is (not the password). */
async function chooseServer(page: Page, server: { host: string; port: number; database: string; user: string }) {
  await chooser(page).getByRole('radio', { name: /Подключиться к серверу PostgreSQL/ }).check();
  const form = page.getByRole('form', { name: 'Подключение к серверу PostgreSQL' });
  await form.getByLabel('Сервер').fill(server.host);
  await form.getByLabel('Порт').fill(String(server.port));
  await form.getByLabel('База данных').fill(server.database);
  await form.getByLabel('Пользователь').fill(server.user);
  return form;
}

test('first run: connect to the school\'s PostgreSQL, with consent to create its tables, then create the school', async ({ page, world }, testInfo) => {
  await world.open(page);
  // The first screen leads with the demo and a school of one's own; the server is one link away.
  await expect(page.getByRole('heading', { name: 'Первый запуск' })).toBeVisible();
  await page.getByRole('button', { name: 'Подключиться к серверу школы' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Где хранить данные' })).toBeVisible();
  // The default, highlighted: this PC.
  await expect(chooser(page).getByRole('radio', { name: /На этом компьютере/ })).toBeChecked();
  await screenshot(page, testInfo, 'data-location-first-run');

  const form = await chooseServer(page, world.server);

  // A port out of range is named as it is typed, in the contract's words; nothing is checked.
  await form.getByLabel('Порт').fill('70000');
  await form.getByLabel('Порт').blur();
  await expect(form.getByText('Порт — целое число от 1 до 65535')).toBeVisible();
  await form.getByRole('button', { name: 'Проверить подключение' }).click();
  await expect(form.getByText('Исправьте: Порт, Пароль.')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Подключение есть' })).toHaveCount(0);
  await form.getByLabel('Порт').fill(String(world.server.port));
  await expect(form.getByText('Порт — целое число от 1 до 65535')).toHaveCount(0);

  // A mistyped password: the server's refusal in Russian, and no way to connect yet.
  await form.getByLabel('Пароль').fill('не-тот-пароль');
  await form.getByRole('button', { name: 'Проверить подключение' }).click();
  await expect(form.getByRole('alert')).toContainText('отклонил пользователя');
  await expect(page.getByRole('button', { name: /подключить/i })).toHaveCount(0);

  await form.getByLabel('Пароль').fill(world.server.password);
  await form.getByRole('button', { name: 'Проверить подключение' }).click();
  await expect(page.getByRole('status')).toContainText(`База «${world.server.database}» пуста`);
  const connect = page.getByRole('button', { name: 'Обновить базу и подключить' });
  await expect(connect).toBeDisabled();
  await page.getByLabel(/Согласен: обновить структуру базы/).check();
  await screenshot(page, testInfo, 'data-location-checked');
  await connect.click();

  await expect(page.getByRole('status')).toContainText('Готово. Данные теперь хранятся так: На сервере PostgreSQL');
  await page.getByRole('button', { name: 'Продолжить' }).click();
  await expect(page.getByRole('heading', { name: 'Первый запуск' })).toBeVisible();
  expect(world.station.current()?.store.engine).toBe('postgres');
  expect(readFileSync(world.settingsFile, 'utf8')).not.toContain(world.server.password);
});

test('first run: the data stays on this PC without a question; the server screen goes back to the first run', async ({ page, world }) => {
  await world.open(page);
  await expect(page.getByRole('heading', { name: 'Первый запуск' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Открыть демо-школу' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Создать свою школу' })).toBeVisible();
  expect(world.station.current()?.store.engine).toBe('sqlite');
  await page.getByRole('button', { name: 'Подключиться к серверу школы' }).click();
  await expect(chooser(page).getByRole('radio', { name: /На этом компьютере/ })).toBeChecked();
  await page.getByRole('button', { name: 'Назад' }).click();
  await expect(page.getByRole('heading', { name: 'Первый запуск' })).toBeVisible();
});

test.describe('a database that cannot be opened at start', () => {
  // The server this PC used is named in its settings, but no password was ever kept here.
  test.use({ presetSettings: { database: { kind: 'postgres', url: 'postgres://zhurnal_app@127.0.0.1:1/zhurnal' } } });

  test('shows why and leads to the screen that fixes it, not to a dead login', async ({ page, world }, testInfo) => {
    await world.open(page);
    await expect(page.getByRole('heading', { name: 'Журнал недоступен' })).toBeVisible();
    await expect(page.getByRole('alert')).toContainText('Пароль подключения к серверу 127.0.0.1:1/zhurnal, пользователь zhurnal_app не сохранён на этом компьютере');
    await screenshot(page, testInfo, 'data-location-unavailable');
    await page.getByRole('button', { name: 'Настроить подключение к базе' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Где хранить данные' })).toBeVisible();
    // The form starts from the connection this PC had.
    await expect(chooser(page).getByRole('radio', { name: /Подключиться к серверу PostgreSQL/ })).toBeChecked();
    await expect(page.getByRole('form', { name: 'Подключение к серверу PostgreSQL' }).getByLabel('Сервер')).toHaveValue('127.0.0.1');

    // Back on this PC's own file, the app carries on to the first run.
    await chooser(page).getByRole('radio', { name: /На этом компьютере/ }).check();
    await page.getByRole('button', { name: 'Хранить данные на этом компьютере' }).click();
    await page.getByRole('button', { name: 'Продолжить' }).click();
    await expect(page.getByRole('heading', { name: 'Первый запуск' })).toBeVisible();
  });
});

test('the administrator finds the same choice under «Хранение данных»', async ({ page, world }, testInfo) => {
  const created = await world.station.call({
    method: 'setup.createSchool',
    input: { schoolName: 'МБОУ «СОШ № 5»', timeZone: 'Europe/Moscow', adminLogin: ADMIN.login, adminFullName: ADMIN.fullName, adminPassword: ADMIN.password },
  });
  expect(created.ok).toBe(true);
  await world.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.expectSignedIn(ADMIN.fullName, 'МБОУ «СОШ № 5»');
  await shell.open('Хранение данных');
  await expect(page.getByText('Сейчас:')).toBeVisible();
  await expect(page.getByText('В базе школа «МБОУ «СОШ № 5»».')).toBeVisible();
  await expect(chooser(page).getByRole('radio', { name: /На этом компьютере/ })).toBeChecked();
  await expect(page.getByText('Данные уже хранятся на этом компьютере')).toBeVisible();
  await chooser(page).getByRole('radio', { name: /Сделать этот компьютер сервером/ }).check();
  await expect(page.getByRole('form', { name: 'Сервер на этом компьютере' }).or(page.getByText('нет подключения к сети'))).toBeVisible();
  await screenshot(page, testInfo, 'data-location-admin');
});

test('the administrator moves the school from this PC\'s file to the school\'s server in one step', async ({ page, world }, testInfo) => {
  const schoolName = 'МБОУ «СОШ № 12»';
  const created = await world.station.call({
    method: 'setup.createSchool',
    input: { schoolName, timeZone: 'Europe/Moscow', adminLogin: ADMIN.login, adminFullName: ADMIN.fullName, adminPassword: ADMIN.password },
  });
  expect(created.ok).toBe(true);
  const sqliteFile = join(world.dir, 'zhurnal.sqlite');
  await world.open(page);
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  const shell = new AppShell(page);
  await shell.expectSignedIn(ADMIN.fullName, schoolName);
  await shell.open('Хранение данных');

  const form = await chooseServer(page, world.server);
  await form.getByLabel('Пароль').fill(world.server.password);
  await form.getByRole('button', { name: 'Проверить подключение' }).click();
  await expect(page.getByText(`База «${world.server.database}» пуста`)).toBeVisible();

  // Moving the school is offered, and ticked: a hurried switch must not leave an empty journal.
  const move = page.getByLabel(`Перенести данные школы «${schoolName}» на сервер (файл на этом компьютере сохранится)`);
  await expect(move).toBeChecked();
  await move.uncheck();
  await expect(page.getByText(`Новая база будет пустой: школа «${schoolName}» останется в файле на этом компьютере.`)).toBeVisible();
  await move.check();
  await page.getByLabel(/Согласен: обновить структуру базы/).check();
  await screenshot(page, testInfo, 'data-location-move');

  // A small school moves in a moment; held back here, the request shows what a long move shows.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/call', async (route) => {
    if ((route.request().postDataJSON() as { method?: string }).method === 'pc.usePostgres') await held;
    await route.continue();
  });
  await page.getByRole('button', { name: 'Обновить базу и подключить' }).click();
  await expect(page.getByText('Перенос данных… это может занять несколько минут')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Переношу данные…' })).toBeDisabled();
  release();

  await expect(page.getByText('Готово. Данные теперь хранятся так: На сервере PostgreSQL')).toBeVisible();
  await expect(page.getByText(`Данные школы «${schoolName}» перенесены и сверены по каждой таблице`)).toBeVisible();
  await expect(page.getByText('войдите снова с прежними логином и паролем')).toBeVisible();
  await page.getByRole('button', { name: 'Продолжить' }).click();

  // The same administrator, the same password, the same school — now on the server; the file is kept.
  await new LoginPage(page).signIn(ADMIN.login, ADMIN.password);
  await shell.expectSignedIn(ADMIN.fullName, schoolName);
  expect(world.station.current()?.store.engine).toBe('postgres');
  expect(existsSync(sqliteFile)).toBe(true);
});
