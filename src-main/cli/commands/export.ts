import { resolve } from 'node:path';
import type { CliCommand } from '../command';
import { DB_HELP, parseOptions, requireDb, requireOutputFolder, requireValue, withCore } from '../options';

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'Архив учебного года в открытых форматах (CSV, JSON, схема, подписанное оглавление)',
  usage: [
    'Использование: zhurnal export --db D --year 2025/2026 --to ПАПКА',
    '',
    'Параметры:',
    DB_HELP,
    '  --year Г      учебный год, например 2025/2026',
    '  --to ПАПКА    куда положить папку архива (флешка, сетевой диск)',
  ].join('\n'),
  async run(args, io) {
    const { exportYear } = await import('../../backup/export-year');
    const options = parseOptions(args, { db: { type: 'string' }, year: { type: 'string' }, to: { type: 'string' } });
    const databaseUrl = requireDb(options.db, { mustExist: true });
    const year = requireValue(options.year, 'year', 'учебный год, например 2025/2026');
    const to = resolve(requireOutputFolder(requireValue(options.to, 'to', 'папка для архива'), 'to'));
    return withCore(databaseUrl, async (core) => {
      const report = await exportYear(core.store, year, to);
      io.out(`Архив записан: ${report.folder}`);
      io.out(`Файлов: ${report.files}, строк: ${report.rows}.`);
      if (!report.yearClosed) io.out(`Внимание: учебный год ${year} ещё не закрыт — архив отражает данные на сегодня.`);
      return 0;
    });
  },
};
