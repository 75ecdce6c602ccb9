// `npm run dev:web`: the renderer in a browser against the real core over the loopback
// bridge — what stands in for Electron on machines where Electron cannot run.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MemoryPcSettings, type PcSettings } from '../settings/pc-settings';
import { JsonFilePcSettings } from '../settings/pc-settings-file';
import { MemorySecretStore, type SecretStore } from '../settings/secret-store';
import { FileSecretStore } from '../settings/secret-store-file';
import { isPostgresUrl } from '../store/url';
import { createStation } from '../station/station';
import { startBridge } from './server';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_PORT = 5180;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { db?: string; data?: string; port?: string; help?: boolean };
  const usage = 'Использование: npm run dev:web -- [--data ПАПКА | --db ФАЙЛ|postgres://…] [--port ПОРТ]';
  try {
    ({ values } = parseArgs({
      options: { db: { type: 'string' }, data: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }));
  } catch (error) {
    fail(`Неверные параметры: ${(error as Error).message}\n${usage}`);
  }
  if (values.help) {
    console.log('Журнал в браузере через локальный мост (только для разработки и тестов).\n' +
      `${usage}\n` +
      '  --data  папка «компьютера»: настройки, пароли (файл с правами 0600), файл SQLite, сервер в режиме хоста\n' +
      '          (по умолчанию .tmp/dev-pc; место хранения данных выбирается в самом журнале)\n' +
      '  --db    открыть именно эту базу (файл SQLite или адрес PostgreSQL), настройки — только в памяти\n' +
      `  --port  порт на 127.0.0.1 (по умолчанию ${DEFAULT_PORT})`);
    return;
  }
  if (values.db !== undefined && values.data !== undefined) fail(`Укажите --data или --db, не оба.\n${usage}`);

  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`Порт должен быть числом от 0 до 65535, а не «${values.port}».`);

  const staticDir = join(repoRoot, 'dist-renderer');
  if (!existsSync(join(staticDir, 'index.html'))) fail('Нет собранного интерфейса (dist-renderer). Запустите «npm run dev:web» целиком или сначала «npx vite build».');

  // The same station as the app: «Где хранить данные» works in the browser too.
  const dataDir = resolve(values.data ?? join(repoRoot, '.tmp', 'dev-pc'));
  mkdirSync(dataDir, { recursive: true });
  let pcSettings: PcSettings;
  let secrets: SecretStore;
  if (values.db !== undefined) {
    pcSettings = new MemoryPcSettings({ database: isPostgresUrl(values.db) ? { kind: 'postgres', url: values.db } : { kind: 'sqlite', path: resolve(values.db) } });
    secrets = new MemorySecretStore();
    if (!isPostgresUrl(values.db)) mkdirSync(dirname(resolve(values.db)), { recursive: true });
  } else {
    pcSettings = new JsonFilePcSettings(join(dataDir, 'pc-settings.json'));
    secrets = new FileSecretStore(join(dataDir, 'secrets.json'));
  }
  const station = await createStation({
    pcSettings,
    secrets,
    defaultSqlitePath: join(dataDir, 'zhurnal.sqlite'),
    dataDir,
    core: { logError: (error, method) => console.error(`Ошибка в ${method}:`, error) },
    log: (message, error) => console.error(message, error ?? ''),
  });

  let bridge;
  try {
    bridge = await startBridge({ core: station, port, staticDir });
  } catch (error) {
    await station.close();
    const code = (error as { code?: string }).code;
    fail(code === 'EADDRINUSE'
      ? `Порт ${port} уже занят. Укажите другой: npm run dev:web -- --port ${port + 1}`
      : `Не удалось запустить мост: ${(error as Error).message}`);
  }

  const opened = station.current();
  console.log(opened ? `База данных: ${opened.store.location}` : 'База данных недоступна: журнал покажет причину и экран «Где хранить данные».');
  console.log(`Журнал открыт для этого компьютера. Откройте в браузере:\n\n  ${bridge.url}\n`);
  console.log('Адрес содержит ключ доступа: не пересылайте его. Остановить: Ctrl+C.');

  const stop = async () => {
    await bridge.close();
    await station.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
