import { AppError } from '../../core/errors';
import type { CliCommand } from '../command';
import { cliPc, DB_HELP, parseOptions, PC_HELP, requireDb, UsageError } from '../options';
import { backupPassword, PASSWORD_ENV } from './backup';
import { printSummary, splitFileArgument } from './verify';

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'Восстановить базу из резервной копии (сначала полная проверка; всё или ничего)',
  usage: [
    'Использование: zhurnal restore ФАЙЛ --db D [--replace] [--pc DIR] [--other-school "Название школы"]',
    '',
    'Параметры:',
    DB_HELP,
    '                база должна быть новой или пустой (для PostgreSQL создайте пустую базу заранее)',
    '  --replace     только SQLite: заменить существующую базу; прежний файл сохраняется рядом',
    '                с отметкой времени (…before-restore-ГГГГММДД-ЧЧММСС)',
    PC_HELP,
    '  --other-school  копия подписана ключом другой школы: восстановить её, подтвердив',
    '                название этой другой школы так, как оно записано в копии',
    '',
    `Пароль резервных копий — из переменной ${PASSWORD_ENV} или будет запрошен.`,
    'Перед заменой закройте «Журнал» на всех компьютерах, работающих с этой базой.',
  ].join('\n'),
  async run(args, io) {
    const { restoreBackupFile, schoolSigners } = await import('../../backup/restore');
    const { file, rest } = splitFileArgument(args, ['--db']);
    const options = parseOptions(rest, { db: { type: 'string' }, replace: { type: 'boolean' }, pc: { type: 'string' }, 'other-school': { type: 'string' } });
    if (!file) throw new UsageError('Укажите файл резервной копии');
    const databaseUrl = requireDb(options.db);
    const password = await backupPassword(io);
    if (!password) throw new AppError('validation', `Нужен пароль резервных копий: задайте ${PASSWORD_ENV}.`);
    const pc = await cliPc(options.pc ?? io.env.ZHURNAL_PC_DIR);
    const report = await restoreBackupFile(file, password, databaseUrl, {
      replace: options.replace === true,
      signers: await schoolSigners(null, pc?.secrets ?? null),
      confirmOtherSchool: options['other-school'] ?? null,
      secrets: pc?.secrets ?? null,
    });
    printSummary(report.summary, io);
    if (report.safetyCopy) io.out(`Прежняя база сохранена: ${report.safetyCopy}`);
    if (report.auditKeyKept) io.out('Ключ журнала изменений школы из копии сохранён на этом компьютере.');
    io.out(`Восстановлено строк: ${report.restoredRows}. База готова: ${databaseUrl.startsWith('postgres') ? 'PostgreSQL' : databaseUrl}`);
    return 0;
  },
};
