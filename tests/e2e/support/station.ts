import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page } from '@playwright/test';
import pg from 'pg';
import { watchPageErrors } from './page-errors';
import { startBridge, type Bridge } from '../../../src-main/bridge/server';
import { JsonFilePcSettings } from '../../../src-main/settings/pc-settings-file';
import { FileSecretStore } from '../../../src-main/settings/secret-store-file';
import { createStation, type Station } from '../../../src-main/station/station';
import { startPostgres, type RunningPostgres } from '../../support/postgres-server';

// A PC as the app sees it: its station (settings and secrets files in a temporary folder,
// the default SQLite file there too) served over the loopback bridge — and, per worker, a
// real PostgreSQL server with a fresh empty database per test, as the school's server.

const staticDir = fileURLToPath(new URL('../../../dist-renderer', import.meta.url));

export interface PcWorld {
  station: Station;
  bridge: Bridge;
  dir: string;
  settingsFile: string;
  /** An empty database on the school's server: what the administrator types. */
  server: { host: string; port: number; database: string; user: string; password: string };
  open(page: Page): Promise<void>;
}

export interface PcWorldOptions {
  /** Per-PC settings written before the station starts (e.g. a server that is down). */
  presetSettings: Record<string, unknown> | null;
}

let databases = 0;

export const test = base.extend<{ world: PcWorld } & PcWorldOptions, { postgres: RunningPostgres }>({
  presetSettings: [null, { option: true }],
  postgres: [
    // Playwright reads a fixture's dependencies from its first parameter: this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startPostgres();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' },
  ],
  world: async ({ page, postgres, presetSettings }, use) => {
    if (!existsSync(join(staticDir, 'index.html'))) throw new Error('Нет собранного интерфейса dist-renderer: сначала «npx vite build».');
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-e2e-pc-'));
    chmodSync(dir, 0o777);
    const settingsFile = join(dir, 'pc-settings.json');
    const pcSettings = new JsonFilePcSettings(settingsFile);
    if (presetSettings) pcSettings.update(presetSettings);

    const name = `e2e_pc_${process.pid}_${databases++}`;
    const admin = new pg.Client({ connectionString: postgres.adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const adminUrl = new URL(postgres.adminUrl);

    const station = await createStation({
      pcSettings,
      secrets: new FileSecretStore(join(dir, 'secrets.json')),
      defaultSqlitePath: join(dir, 'zhurnal.sqlite'),
      dataDir: dir,
      core: { logError: (error, method) => console.error(method, error) },
    });
    const bridge = await startBridge({ core: station, staticDir });
    // A console error (a CSP violation, a React warning, an uncaught exception) fails the test.
    const pageErrors = watchPageErrors(page);
    await use({
      station,
      bridge,
      dir,
      settingsFile,
      server: { host: adminUrl.hostname, port: Number(adminUrl.port), database: name, user: decodeURIComponent(adminUrl.username), password: decodeURIComponent(adminUrl.password) },
      async open(page) {
        await page.goto(bridge.url);
      },
    });
    // The page leaves the app before its server goes: no request of it can fail in between.
    const errors = await pageErrors.stop();
    await bridge.close();
    await station.close();
    const cleanup = new pg.Client({ connectionString: postgres.adminUrl });
    await cleanup.connect();
    await cleanup.query(`drop database if exists ${name} with (force)`);
    await cleanup.end();
    rmSync(dir, { recursive: true, force: true });
    expect(errors, 'ошибки в консоли страницы').toEqual([]);
  },
});

export { expect };
