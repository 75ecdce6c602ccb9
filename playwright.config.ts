import { defineConfig } from '@playwright/test';

// End-to-end: the real renderer (built by `vite build` first, see "test:e2e") against the
// real core over the loopback bridge, in Debian's Chromium. Each test starts its own core
// on a fresh SQLite file inside the Playwright worker (tests/e2e/support/fixtures.ts).
// The cores the tests start run in the Playwright workers, which inherit this: light argon2
// parameters for the accounts the fixtures create (see src-main/accounts/passwords.ts).
process.env.ZHURNAL_ARGON2_PROFILE = 'test';

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  // Every test has its own core and database, so tests run side by side.
  fullyParallel: true,
  // Argon2 keeps a core busy; two workers share the machine's two cores with the tests of others.
  workers: 2,
  retries: 0,
  timeout: 60_000,
  // Generous: every login hashes with argon2 on a machine shared with other test runs.
  expect: { timeout: 15_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    // The classroom PC the screens are designed for.
    viewport: { width: 1366, height: 768 },
    locale: 'ru-RU',
    timezoneId: 'Europe/Moscow',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.ZHURNAL_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--lang=ru-RU', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
  },
});
