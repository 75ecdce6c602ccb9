import { resolve } from 'node:path';
import type { CliCommand, CliIo } from '../command';
import { DB_HELP, parseOptions, requireDb, requireOutputFolder, withCore } from '../options';

export const PASSWORD_ENV = 'ZHURNAL_BACKUP_PASSWORD';

/** The backup password from the environment, else asked on the terminal; null if neither. */
export async function backupPassword(io: CliIo): Promise<string | null> {
  const fromEnv = io.env[PASSWORD_ENV];
  if (fromEnv) return fromEnv;
  return io.askSecret('Пароль резервных копий: ');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} КБ`;
  return `${(bytes / 1024 / 1024).toFixed(1)} МБ`;
}

export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'Сделать зашифрованную подписанную резервную копию базы (с проверкой записанного файла)',
  usage: [
    'Использование: zhurnal backup --db D [--to ПАПКА]',
    '',
    'Параметры:',
    DB_HELP,
    '  --to ПАПКА    куда записать копию; без него — во все места из настроек (флешка, вторая папка)',
    '',
    `Пароль резервных копий берётся из переменной ${PASSWORD_ENV}. Если пароль в школе уже задан,`,
    'переменная не обязательна (копия шифруется открытым ключом школы); если задана — проверяется.',
    'Если пароль ещё не задан, указанный становится паролем резервных копий школы.',
  ].join('\n'),
  async run(args, io) {
    const { runBackup } = await import('../../backup/run');
    const options = parseOptions(args, { db: { type: 'string' }, to: { type: 'string' } });
    const databaseUrl = requireDb(options.db, { mustExist: true });
    const password = io.env[PASSWORD_ENV];
    if (options.to !== undefined) requireOutputFolder(options.to, 'to');
    return withCore(databaseUrl, async (core) => {
      const report = await runBackup(core.store, {
        trigger: 'cli',
        ...(password ? { password } : {}),
        ...(options.to ? { destinations: [{ kind: 'folder' as const, path: resolve(options.to), create: true }] } : {}),
      });
      io.out(`Школа: ${report.summary.schoolName}; строк в базе: ${report.summary.totalRows}; частей: ${report.summary.parts.length}.`);
      io.out(`Отпечаток ключа подписи: ${report.summary.fingerprint}`);
      let failed = 0;
      for (const result of report.results) {
        if (result.status === 'ok') {
          io.out(`${result.title}: записано и проверено — ${result.file} (${formatBytes(result.sizeBytes ?? 0)})`);
        } else {
          failed += 1;
          io.err(`${result.title}: ${result.status === 'skipped' ? 'пропущено' : 'ошибка'} — ${result.error ?? ''}`);
        }
      }
      return failed === 0 ? 0 : 1;
    });
  },
};
