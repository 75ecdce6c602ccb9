import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppError } from '../../core/errors';
import type { CliCommand } from '../command';
import { parseOptions, requireOutputFolder, requireValue, UsageError } from '../options';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Resolves on the first stop signal: the server is stopped by this command, which then
 * exits 0, so a service manager sees an ordinary stop.
 */
function untilStopped(): Promise<string> {
  // The server runs on its own (pg_ctl), and signal listeners do not keep Node running.
  const keepAlive = setInterval(() => {}, 60_000);
  return new Promise((resolveStop) => {
    for (const signal of STOP_SIGNALS) {
      process.once(signal, () => {
        clearInterval(keepAlive);
        resolveStop(signal);
      });
    }
  });
}

export const hostCommand: CliCommand = {
  name: 'host',
  summary: 'Запустить сервер базы данных школы на этом компьютере (работает до остановки; для службы)',
  usage: [
    'Использование: zhurnal host --data ПАПКА --listen АДРЕС --network СЕТЬ [--port 5432]',
    '',
    'Запускает PostgreSQL школы (встроенный в «Журнал») и ждёт, пока его не остановят (Ctrl+C,',
    'остановка службы). При первом запуске создаёт базу и пароли, при каждом — обновляет',
    'структуру базы до этой версии программы и права пользователя для других компьютеров.',
    'Другие компьютеры подключаются к АДРЕС:порт, база zhurnal, пользователь zhurnal_app.',
    '',
    'Параметры:',
    '  --data ПАПКА     где хранить базу и пароли (папка postgres/ и postgres-credentials.json)',
    '  --listen АДРЕС   сетевой адрес этого компьютера, например 192.168.1.10',
    '  --network СЕТЬ   откуда пускать подключения, например 192.168.1.0/24',
    '  --port ПОРТ      порт PostgreSQL (по умолчанию 5432)',
  ].join('\n'),
  async run(args, io) {
    const { contract } = await import('../../../src-shared/contract/index');
    const { prepareHostDatabase, startHost } = await import('../../lan/host');
    const options = parseOptions(args, { data: { type: 'string' }, listen: { type: 'string' }, network: { type: 'string' }, port: { type: 'string' } });
    const dataDir = resolve(requireOutputFolder(requireValue(options.data, 'data', 'папка данных сервера'), 'data'));
    const parsed = contract['pc.becomeHost'].input.safeParse({
      listenAddress: requireValue(options.listen, 'listen', 'сетевой адрес этого компьютера'),
      allowedNetwork: requireValue(options.network, 'network', 'сеть школы'),
      port: options.port === undefined ? undefined : Number(options.port),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const option = { listenAddress: '--listen', allowedNetwork: '--network', port: '--port' }[String(issue?.path[0])] ?? '';
      throw new UsageError(`${option}: ${issue?.message ?? 'неверное значение'}`);
    }
    const { listenAddress, allowedNetwork, port } = parsed.data;
    mkdirSync(dataDir, { recursive: true });

    const stopped = untilStopped();
    let host;
    try {
      host = await startHost({ dataDir, listenAddress, allowedNetwork, port, createSystemUser: process.getuid?.() === 0 });
    } catch (error) {
      const reason = error instanceof AppError ? error.message : ((error as Error)?.message ?? String(error));
      throw new AppError('unavailable', `Не удалось запустить сервер базы данных на ${listenAddress}:${port}: ${reason}`);
    }
    try {
      const report = await prepareHostDatabase(host, dataDir);
      if (report.applied.length > 0) io.out(`Структура базы обновлена: ${report.applied.join(', ')}.`);
      const app = new URL(host.appUrl);
      io.out(`Сервер базы данных школы запущен: ${listenAddress}:${port}, данные в ${join(dataDir, 'postgres')}.`);
      io.out('На других компьютерах: «Где хранить данные» → «Подключиться к серверу PostgreSQL»:');
      io.out(`  Сервер:        ${listenAddress}`);
      io.out(`  Порт:          ${port}`);
      io.out(`  База данных:   ${decodeURIComponent(app.pathname.slice(1))}`);
      io.out(`  Пользователь:  ${decodeURIComponent(app.username)}`);
      // A service's output goes to the system log: the password is printed to a person at a terminal only.
      io.out(process.stdout.isTTY ? `  Пароль:        ${decodeURIComponent(app.password)}` : `  Пароль:        в файле ${join(dataDir, 'postgres-credentials.json')} (appPassword)`);
      io.out(`Подключения принимаются из сети ${allowedNetwork}. Остановить: Ctrl+C или остановкой службы.`);
      const signal = await stopped;
      io.out(`Получен сигнал ${signal}: останавливаю сервер…`);
    } finally {
      await host.stop();
    }
    io.out('Сервер базы данных остановлен.');
    return 0;
  },
};
