import { AppError } from '../core/errors';
import type { CliCommand, CliIo } from './command';
import { commands } from './commands/index';
import { helpOf, UsageError } from './options';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export function generalHelp(list: readonly CliCommand[] = commands): string {
  const width = Math.max(...list.map((c) => c.name.length), 10);
  return [
    'zhurnal — командная строка электронного классного журнала «Журнал»',
    '',
    'Использование: zhurnal <команда> [параметры]',
    '',
    'Команды:',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Справка по команде: zhurnal <команда> --help',
    'Коды выхода: 0 — успешно, 1 — ошибка, 2 — неверные аргументы.',
  ].join('\n');
}

/** The command named by the first words of argv: 'audit verify' takes two. */
function findCommand(argv: string[], list: readonly CliCommand[]): { command: CliCommand; rest: string[] } | null {
  const byLength = [...list].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of byLength) {
    const words = command.name.split(' ');
    if (words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(words.length) };
  }
  return null;
}

/** Errors of the environment an administrator can act on, in Russian; null for anything else. */
export function describeEnvironmentError(error: unknown): string | null {
  const { code, message = '' } = (error ?? {}) as { code?: string; message?: string; address?: string; port?: number };
  if (code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
    return 'Нативные модули (better-sqlite3, argon2) собраны для другой среды (вероятно, для Electron). Выполните: node scripts/native-abi.mjs node';
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT') {
    return `Сервер PostgreSQL недоступен (${code}). Проверьте адрес в --db и что сервер запущен.`;
  }
  if (code === '28P01') return 'PostgreSQL отклонил имя пользователя или пароль из --db.';
  if (code === '3D000') return 'На сервере PostgreSQL нет базы данных с именем из --db.';
  if (code === 'SQLITE_CANTOPEN' || /unable to open database file|directory does not exist/i.test(message)) {
    return 'Не удалось открыть файл базы данных SQLite: проверьте путь в --db и права на папку.';
  }
  if (code === 'SQLITE_NOTADB') return 'Файл из --db — не база данных SQLite.';
  const file = describeFileError(error);
  if (file) return file;
  return null;
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'нет такого файла или папки',
  ENOTDIR: 'часть пути — не папка',
  EISDIR: 'это папка, а не файл',
  EEXIST: 'на этом месте уже есть файл',
  EACCES: 'нет прав доступа',
  EPERM: 'действие не разрешено',
  ENOSPC: 'на диске нет места',
  EROFS: 'диск доступен только для чтения',
  EDQUOT: 'превышена квота на диске',
  EBUSY: 'файл занят другой программой',
};

/** A file system error (a path the command could not write or read), in Russian. */
function describeFileError(error: unknown): string | null {
  const { code, path } = (error ?? {}) as { code?: string; path?: unknown };
  if (!code || !(code in FILE_ERRORS) || typeof path !== 'string') return null;
  // A temporary `.part` name is the command's own business: the administrator named the file.
  return `Не удалось записать или прочитать ${path.replace(/\.part$/, '')}: ${FILE_ERRORS[code]}.`;
}

/**
 * The installed app started with CLI arguments (`Zhurnal.exe host …`, `/usr/bin/zhurnal
 * --help`): the arguments, when the first one names a command or asks for help; null for an
 * ordinary start (no arguments, or only Chromium's switches and a file to open).
 */
export function cliArgumentsIn(args: string[], list: readonly CliCommand[] = commands): string[] | null {
  const first = args[0];
  if (first === undefined) return null;
  if (['--help', '-h', 'help'].includes(first)) return args;
  return findCommand(args, list) ? args : null;
}

/** Runs one CLI invocation and returns its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo, list: readonly CliCommand[] = commands): Promise<number> {
  if (argv.length === 0) {
    io.err(generalHelp(list));
    return EXIT_USAGE;
  }
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    const named = argv[0] === 'help' ? findCommand(argv.slice(1), list) : null;
    io.out(named ? helpOf(named.command) : generalHelp(list));
    return EXIT_OK;
  }
  const found = findCommand(argv, list);
  if (!found) {
    io.err(`Неизвестная команда: ${argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ')}`);
    io.err('');
    io.err(generalHelp(list));
    return EXIT_USAGE;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(helpOf(command));
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`Ошибка: ${error.message}`);
      io.err('');
      io.err(command.usage);
      return EXIT_USAGE;
    }
    if (error instanceof AppError) {
      io.err(error.message);
      return EXIT_FAILURE;
    }
    const known = describeEnvironmentError(error);
    if (known) {
      io.err(known);
    } else {
      io.err(`Непредвиденная ошибка: ${(error as Error)?.message ?? String(error)}`);
      if (io.env.ZHURNAL_DEBUG) io.err(String((error as Error)?.stack ?? ''));
    }
    return EXIT_FAILURE;
  }
}
