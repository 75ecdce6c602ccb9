// `npm run dev:web`: the renderer in a browser against the real core over the loopback
// bridge — what stands in for Electron on machines where Electron cannot run.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core/core';
import { isPostgresUrl } from '../store/database';
import { startBridge } from './server';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_PORT = 5180;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { db?: string; port?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { db: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`Неверные параметры: ${(error as Error).message}\nИспользование: npm run dev:web -- [--db ФАЙЛ|postgres://…] [--port ПОРТ]`);
  }
  if (values.help) {
    console.log('Журнал в браузере через локальный мост (только для разработки и тестов).\n' +
      'Использование: npm run dev:web -- [--db ФАЙЛ|postgres://…] [--port ПОРТ]\n' +
      `  --db    база данных: файл SQLite (по умолчанию .tmp/dev.sqlite) или адрес PostgreSQL\n` +
      `  --port  порт на 127.0.0.1 (по умолчанию ${DEFAULT_PORT})`);
    return;
  }

  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`Порт должен быть числом от 0 до 65535, а не «${values.port}».`);

  const staticDir = join(repoRoot, 'dist-renderer');
  if (!existsSync(join(staticDir, 'index.html'))) fail('Нет собранного интерфейса (dist-renderer). Запустите «npm run dev:web» целиком или сначала «npx vite build».');

  const databaseUrl = values.db ?? join(repoRoot, '.tmp', 'dev.sqlite');
  if (!isPostgresUrl(databaseUrl)) mkdirSync(dirname(resolve(databaseUrl)), { recursive: true });

  let core;
  try {
    core = await createCore({ databaseUrl, logError: (error, method) => console.error(`Ошибка в ${method}:`, error) });
  } catch (error) {
    fail(`Не удалось открыть базу данных ${databaseUrl}: ${(error as Error).message}`);
  }

  let bridge;
  try {
    bridge = await startBridge({ core, port, staticDir });
  } catch (error) {
    await core.close();
    const code = (error as { code?: string }).code;
    fail(code === 'EADDRINUSE'
      ? `Порт ${port} уже занят. Укажите другой: npm run dev:web -- --port ${port + 1}`
      : `Не удалось запустить мост: ${(error as Error).message}`);
  }

  console.log(`База данных: ${core.store.location}`);
  console.log(`Журнал открыт для этого компьютера. Откройте в браузере:\n\n  ${bridge.url}\n`);
  console.log('Адрес содержит ключ доступа: не пересылайте его. Остановить: Ctrl+C.');

  const stop = async () => {
    await bridge.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
