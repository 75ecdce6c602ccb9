import type { BackupSummary } from '../../../src-shared/contract/backup';
import type { CliCommand, CliIo } from '../command';
import { cliPc, parseOptions, PC_HELP, requireDb, UsageError, withStore } from '../options';
import { PASSWORD_ENV } from './backup';

/** The one positional argument (the file) and the options around it, in any order. */
export function splitFileArgument(args: string[], valuedOptions: string[]): { file: string | undefined; rest: string[] } {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (valuedOptions.includes(arg)) {
      i += 1;
      continue;
    }
    if (!arg.startsWith('-')) return { file: arg, rest: [...args.slice(0, i), ...args.slice(i + 1)] };
  }
  return { file: undefined, rest: args };
}

export function printSummary(summary: BackupSummary, io: CliIo): void {
  io.out(`Школа: ${summary.schoolName}`);
  io.out(`Создана: ${summary.createdAt} (версия программы ${summary.appVersion}, база ${summary.sourceEngine})`);
  io.out(`Структура базы: ${summary.migrations.at(-1) ?? '—'} (${summary.migrations.length} миграций)`);
  io.out(`Отпечаток ключа подписи: ${summary.fingerprint}`);
  io.out(`Строк в базе: ${summary.totalRows}`);
  io.out('Части:');
  for (const part of summary.parts) {
    const counts = Object.entries(part.counts)
      .filter(([, n]) => n > 0)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
    io.out(`  ${part.title}: ${part.rows} строк${counts ? ` (${counts})` : ''}`);
  }
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Проверить файл резервной копии (подпись, контрольные суммы) и показать, что в нём',
  usage: [
    'Использование: zhurnal verify ФАЙЛ [--fingerprint "ABCD 1234 …"] [--db D] [--pc DIR]',
    '',
    'Без пароля проверяются подпись и контрольная сумма всего файла: любое изменение или порча',
    `обнаруживается. С паролем (переменная ${PASSWORD_ENV}) каждая часть ещё и расшифровывается`,
    'и сверяется со своей контрольной суммой и числом строк.',
    '  --fingerprint  отпечаток ключа школы (из раздела «Резервные копии»): подпись должна быть им',
    '  --db D        база школы: копия должна быть подписана её ключом',
    PC_HELP,
    '                (ключи школ, чьи копии подписывал этот компьютер, тоже сверяются)',
    '',
    'Код выхода 1 и причина — если с файлом что-то не так.',
  ].join('\n'),
  async run(args, io) {
    const { inspectBackupFile, fingerprintBySchool, schoolSigners } = await import('../../backup/restore');
    const { file, rest } = splitFileArgument(args, ['--fingerprint']);
    const options = parseOptions(rest, { fingerprint: { type: 'string' }, db: { type: 'string' }, pc: { type: 'string' } });
    if (!file) throw new UsageError('Укажите файл резервной копии');
    const password = io.env[PASSWORD_ENV];
    const summary = await inspectBackupFile(file, password || undefined);
    printSummary(summary, io);
    // D-39: the signer against the school's key — in the given database and on this PC.
    const pc = await cliPc(options.pc ?? io.env.ZHURNAL_PC_DIR);
    const databaseSigners = options.db ? await withStore(requireDb(options.db, { mustExist: true }), (store) => schoolSigners(store, null)) : [];
    const signers = [...databaseSigners, ...(await schoolSigners(null, pc?.secrets ?? null))];
    if (fingerprintBySchool(summary.fingerprint, signers) === false) {
      io.err(`Копия подписана ключом другой школы — «${summary.schoolName}» (отпечаток ${summary.fingerprint}), а не ключом этой школы.`);
      return 1;
    }
    if (options.fingerprint) {
      const normalize = (text: string) => text.replace(/\s+/g, '').toUpperCase();
      if (normalize(options.fingerprint) !== normalize(summary.fingerprint)) {
        io.err('Копия подписана не ключом этой школы: отпечаток не совпадает.');
        return 1;
      }
    }
    io.out(summary.contentVerified ? 'Копия цела: подпись, контрольные суммы и содержимое всех частей сходятся.' : `Копия цела: подпись и контрольная сумма сходятся (содержимое частей проверяется с паролем в ${PASSWORD_ENV}).`);
    return 0;
  },
};
