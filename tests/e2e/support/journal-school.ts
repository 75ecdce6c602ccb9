import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Locator, type Page } from '@playwright/test';
import { watchPageErrors } from './page-errors';
import { startBridge, type Bridge } from '../../../src-main/bridge/server';
import { createCore } from '../../../src-main/app/core';
import type { Db } from '../../../src-main/store/database';
import { TestClock, type TestCore } from '../../support/engines';
import { buildJournalSchool, PASSWORD, type JournalSchool } from '../../support/journal-fixture';

// The journal's end-to-end world: a core on a fresh SQLite file with a clock the test
// moves, the small school of tests/support/journal-fixture.ts (real rows in a real
// database; class 5А, Wednesday 14 October 2026, 14:30 in Tomsk), and the built renderer
// over the loopback bridge. The browser's clock is set to the core's, so «today» agrees.

const staticDir = fileURLToPath(new URL('../../../dist-renderer', import.meta.url));

export interface JournalWorld {
  school: JournalSchool;
  clock: TestClock;
  bridge: Bridge;
  /** The school's database, for what no screen of the test's subject sets up. */
  db: Db;
  /** Opens the app at the bridge address, the browser's clock set to the core's. */
  open(page: Page): Promise<void>;
}

export const test = base.extend<{ world: JournalWorld }>({
  world: async ({ page }, use) => {
    if (!existsSync(join(staticDir, 'index.html'))) throw new Error('Нет собранного интерфейса dist-renderer: сначала «npx vite build».');
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-e2e-journal-'));
    const clock = new TestClock();
    const core = await createCore({ databaseUrl: join(dir, 'zhurnal.sqlite'), now: clock.now, logError: (error, method) => console.error(method, error) });
    const testCore: TestCore = { core, clock, url: join(dir, 'zhurnal.sqlite'), close: () => core.close() };
    const school = await buildJournalSchool(testCore);
    const bridge = await startBridge({ core, staticDir });
    // A console error fails the test; a refused call shows in the page, and the browser also
    // logs the aborted requests of the offline tests.
    const pageErrors = watchPageErrors(page, /Failed to load resource|net::ERR_FAILED/);
    if (process.env.JOURNAL_E2E_DEBUG) page.on('requestfailed', (request) => console.log('requestfailed', request.url(), request.failure()?.errorText, new Date().toISOString()));
    await use({
      school,
      clock,
      bridge,
      db: core.store.db,
      async open(page) {
        await page.clock.setFixedTime(clock.now());
        await page.goto(bridge.url);
      },
    });
    // The page leaves the app before its server goes: no request of it can fail in between.
    const errors = await pageErrors.stop();
    await bridge.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true });
    expect(errors, 'ошибки в консоли страницы').toEqual([]);
  },
});

export { expect, PASSWORD };

/** Signs in through the login form and waits for the home page. */
export async function signInAs(page: Page, login: string, fullName: string) {
  const form = page.getByRole('form', { name: 'Вход' });
  await form.getByLabel('Логин').fill(login);
  await form.getByLabel('Пароль').fill(PASSWORD);
  await form.getByLabel('Пароль').press('Enter');
  await expect(page.getByRole('banner')).toContainText(fullName);
  await expect(page.getByRole('heading', { level: 1, name: 'Главная' })).toBeVisible();
}

export async function signOut(page: Page) {
  await page.getByRole('banner').getByRole('button', { name: 'Выйти' }).click();
  await expect(page.getByRole('form', { name: 'Вход' })).toBeVisible();
}

/** The journal page as a teacher sees it: the grid, its cells, the status line. */
export class JournalScreen {
  constructor(private readonly page: Page) {}

  get grid(): Locator {
    return this.page.getByRole('grid');
  }

  /** «Белова Дарья, 14.10». */
  cell(student: string, date: string): Locator {
    return this.grid.getByRole('gridcell', { name: `${student}, ${date}`, exact: true });
  }

  average(student: string): Locator {
    return this.grid.getByRole('gridcell', { name: `${student}, средний балл`, exact: true });
  }

  suggested(student: string): Locator {
    return this.grid.getByRole('gridcell', { name: `${student}, расчётная итоговая`, exact: true });
  }

  /** A final: «итоговая» (the period's), «годовая», «экзаменационная», «итоговая (аттестат)». */
  final(student: string, which: string): Locator {
    return this.grid.getByRole('gridcell', { name: `${student}, ${which}`, exact: true });
  }

  /** Ctrl+V of a block copied from Excel or LibreOffice Calc: rows by lines, columns by tabs. */
  async paste(text: string) {
    await this.grid.evaluate((grid, pasted) => {
      const data = new DataTransfer();
      data.setData('text/plain', pasted);
      grid.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, text);
  }

  get status(): Locator {
    return this.page.getByRole('status').filter({ hasText: /./ }).first();
  }

  async open(loadId: number) {
    await this.page.evaluate((id) => (window.location.hash = `/journal/${id}`), loadId);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Страница журнала' })).toBeVisible();
  }

  async expectShown() {
    await expect(this.grid).toBeVisible();
  }

  /** Clicks a cell (it becomes the active one) and types, as at the keyboard. */
  async select(student: string, date: string) {
    await this.cell(student, date).click();
    await expect(this.cell(student, date)).toHaveAttribute('aria-selected', 'true');
  }

  /**
   * Keys as a teacher presses them. Playwright's keyboard knows the US layout only, so a
   * Cyrillic letter is sent as the keydown a Russian layout produces.
   */
  async type(...keys: string[]) {
    for (const key of keys) {
      if (/[а-яё]/i.test(key)) for (const letter of key) await this.grid.dispatchEvent('keydown', { key: letter });
      else await this.page.keyboard.press(key);
    }
  }
}
