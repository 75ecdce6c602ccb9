import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { watchPageErrors } from './page-errors';
import { startBridge, type Bridge } from '../../../src-main/bridge/server';
import { createCore, type Core } from '../../../src-main/core/core';
import { ADMIN, createSchoolAndSignIn, signIn, TestSession } from '../../support/client';

const staticDir = fileURLToPath(new URL('../../../dist-renderer', import.meta.url));

/** A core on a fresh SQLite file, served with the built renderer over the loopback bridge. */
export interface Zhurnal {
  core: Core;
  bridge: Bridge;
  /** Opens the app in the page (the bridge address with its token). */
  open(page: Page): Promise<void>;
  /** First run done through the core: the school and its administrator exist. */
  createSchool(): Promise<TestSession>;
  /** An account made by the administrator through the core, with a temporary password. */
  createAccount(admin: TestSession, account: { login: string; fullName: string; roles: ('teacher' | 'administrator' | 'deputy' | 'director' | 'secretary')[]; password: string; changePassword?: string }): Promise<void>;
}

export const test = base.extend<{ zhurnal: Zhurnal }>({
  zhurnal: async ({ page }, use) => {
    if (!existsSync(join(staticDir, 'index.html'))) {
      throw new Error('Нет собранного интерфейса dist-renderer: запускайте через «npm run test:e2e» (он сначала выполняет vite build).');
    }
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-e2e-'));
    const core = await createCore({ databaseUrl: join(dir, 'zhurnal.sqlite'), logError: (error, method) => console.error(method, error) });
    const bridge = await startBridge({ core, staticDir });
    // A console error (a CSP violation, a React warning, an uncaught exception) fails the test.
    const pageErrors = watchPageErrors(page);
    await use({
      core,
      bridge,
      async open(page) {
        await page.goto(bridge.url);
      },
      createSchool: () => createSchoolAndSignIn(core),
      async createAccount(admin, account) {
        await admin.ok('accounts.create', { login: account.login, fullName: account.fullName, roles: account.roles, temporaryPassword: account.password });
        if (account.changePassword) {
          const { session } = await new TestSession(core).ok('auth.login', { login: account.login, password: account.password });
          await new TestSession(core, session).ok('auth.changePassword', { currentPassword: account.password, newPassword: account.changePassword });
        }
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

export { expect };
export { ADMIN, signIn };

/** The scenario's screenshot: saved under test-results/ and attached to the report. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
