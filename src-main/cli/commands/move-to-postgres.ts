import { isPostgresUrl } from '../../store/url';
import type { CliCommand } from '../command';
import { dbOption, parseOptions, requireDb, requireValue, UsageError } from '../options';

export const moveToPostgresCommand: CliCommand = {
  name: 'move-to-postgres',
  summary: 'Перенести школу из файла SQLite в PostgreSQL (файл SQLite сохраняется)',
  usage: [
    'Использование: zhurnal move-to-postgres --db ФАЙЛ.sqlite --to postgres://пользователь:пароль@сервер:5432/база',
    '',
    'Переносит все данные в пустую базу PostgreSQL и сверяет каждую таблицу (число строк и',
    'контрольная сумма SHA-256). Файл SQLite не изменяется и остаётся на месте.',
    '',
    'Параметры:',
    '  --db ФАЙЛ     файл SQLite, с которого школа начинала',
    '  --to АДРЕС    пустая база PostgreSQL (создайте её заранее)',
  ].join('\n'),
  async run(args, io) {
    const { moveToPostgres } = await import('../../lan/move-to-postgres');
    const options = parseOptions(args, { ...dbOption, to: { type: 'string' } });
    const sqlitePath = requireDb(options.db, { mustExist: true });
    if (isPostgresUrl(sqlitePath)) throw new UsageError('--db: укажите файл SQLite, из которого переносится школа');
    const target = requireValue(options.to, 'to', 'адрес базы PostgreSQL');
    if (!isPostgresUrl(target)) throw new UsageError('--to: адрес PostgreSQL начинается с postgres://');
    const report = await moveToPostgres(sqlitePath, target, (line) => io.out(line));
    io.out(`Перенесено и сверено: ${report.tables.length} таблиц, ${report.rows} строк.`);
    io.out(`Файл ${sqlitePath} сохранён без изменений. Укажите на компьютерах новый адрес базы данных.`);
    return 0;
  },
};
