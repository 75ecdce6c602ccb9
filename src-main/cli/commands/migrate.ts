import type { CliCommand } from '../command';
import { DB_HELP, dbOption, parseOptions, requireDb, withStore } from '../options';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Создать или обновить структуру базы данных до этой версии программы',
  usage: ['Использование: zhurnal migrate --db D', '', 'Параметры:', DB_HELP].join('\n'),
  async run(args, io) {
    const { migrateToLatest } = await import('../../store/migrate');
    const options = parseOptions(args, dbOption);
    const databaseUrl = requireDb(options.db);
    const report = await withStore(databaseUrl, migrateToLatest);
    if (report.applied.length === 0) {
      io.out(`Структура базы данных актуальна (последняя миграция: ${report.current}).`);
    } else {
      io.out(`Применены миграции (${report.applied.length}):`);
      for (const name of report.applied) io.out(`  ${name}`);
      io.out(`Структура базы данных актуальна (последняя миграция: ${report.current}).`);
    }
    return 0;
  },
};
