import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isCalendarDate } from '../../src-shared/rules/dates';
import type { Core } from '../app/core';
import type { Store } from '../store/database';
import { isPostgresUrl } from '../store/url';
import type { CliCommand } from './command';
import type { SecretStore } from '../settings/secret-store';

/** Wrong or missing arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

// node:util speaks English; an administrator at a school server reads Russian.
function russianParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const option = /'([^']+)'/.exec(message ?? '')?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Неизвестный параметр ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Лишний аргумент ${option ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `Параметру ${option ?? ''} нужно значение`.replace('  ', ' ');
    default:
      return `Неверные аргументы: ${message ?? String(error)}`;
  }
}

/** Strict parsing of a command's options: anything unknown is a usage error. */
export function parseOptions<T extends OptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(russianParseError(error));
  }
}

export const dbOption = { db: { type: 'string' } } as const;

export const DB_HELP =
  '  --db D        база данных: путь к файлу SQLite или адрес postgres://пользователь:пароль@сервер:5432/база';

/** The required `--db`, checked. `mustExist` refuses to create an empty SQLite file by accident. */
export function requireDb(value: string | undefined, options: { mustExist?: boolean } = {}): string {
  if (!value || value.trim() === '') throw new UsageError('Не указана база данных: добавьте --db');
  if (!isPostgresUrl(value) && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new UsageError(`Неизвестный вид адреса базы данных: ${value}. Укажите путь к файлу SQLite или адрес postgres://`);
  }
  if (options.mustExist && !isPostgresUrl(value) && !existsSync(value)) {
    throw new UsageError(`Файл базы данных не найден: ${value}`);
  }
  return value;
}

export function requireValue(value: string | undefined, option: string, what: string): string {
  if (!value || value.trim() === '') throw new UsageError(`Не указан параметр --${option} (${what})`);
  return value;
}

export const PC_HELP =
  '  --pc DIR      папка этого компьютера: ключ журнала изменений школы и файл меток (по умолчанию — из ZHURNAL_PC_DIR)';

/**
 * This PC's folder for the CLI: the audit key (secrets.json, as the bridge keeps it) and
 * the anchor file. From `--pc` or ZHURNAL_PC_DIR; without it the CLI writes unkeyed records.
 */
export async function cliPc(value?: string): Promise<{ pcDir: string; secrets: SecretStore } | null> {
  const dir = value ?? process.env.ZHURNAL_PC_DIR;
  if (!dir || dir.trim() === '') return null;
  const pcDir = resolve(dir);
  const { FileSecretStore } = await import('../settings/secret-store-file');
  return { pcDir, secrets: new FileSecretStore(join(pcDir, 'secrets.json')) };
}

/** A calendar date given as `--option`, checked against the calendar (no 30 February). */
export function requireDate(value: string, option: string): string {
  if (!isCalendarDate(value)) throw new UsageError(`Параметр --${option}: ${value} — такой даты нет; нужна дата в виде ГГГГ-ММ-ДД, например 2026-09-01`);
  return value;
}

function kindOfPath(path: string): 'file' | 'folder' | 'other' | 'missing' {
  try {
    const stats = statSync(path);
    return stats.isDirectory() ? 'folder' : stats.isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}

/**
 * A file the command will write, named by `--option`: checked before any work starts, so a
 * wrong path costs nothing and leaves nothing behind. Its folder must exist; it is not a folder.
 */
export function requireOutputFile(path: string, option: string, example: string): string {
  const full = resolve(path);
  if (kindOfPath(full) === 'folder') throw new UsageError(`--${option}: ${path} — это папка. Укажите имя файла, например ${join(path, example)}`);
  const folder = dirname(full);
  const folderKind = kindOfPath(folder);
  if (folderKind === 'missing') throw new UsageError(`--${option}: папки ${folder} нет. Создайте её или укажите другую.`);
  if (folderKind !== 'folder') throw new UsageError(`--${option}: ${folder} — не папка.`);
  return path;
}

/** A folder the command will write into (created if missing), named by `--option`: not a file. */
export function requireOutputFolder(path: string, option: string): string {
  const full = resolve(path);
  let probe = full;
  // The folder itself or its nearest existing parent must be a folder (the rest is created).
  while (kindOfPath(probe) === 'missing' && dirname(probe) !== probe) probe = dirname(probe);
  const kind = kindOfPath(probe);
  if (kind !== 'folder') throw new UsageError(probe === full ? `--${option}: ${path} — это файл, а нужна папка.` : `--${option}: ${probe} — не папка.`);
  return path;
}

/** Runs `work` with the core on the database and always closes it. */
export async function withCore<T>(databaseUrl: string, work: (core: Core) => Promise<T>): Promise<T> {
  // Loaded here, not at the top: `zhurnal --help` must not load the core and its drivers.
  const { createCore } = await import('../app/core');
  const core = await createCore({ databaseUrl, poolSize: 2, logError: (error) => console.error(error), ...((await cliPc()) ?? {}) });
  try {
    return await work(core);
  } finally {
    await core.close();
  }
}

/** Runs `work` on the bare store (no migration at open) and always closes it. */
export async function withStore<T>(databaseUrl: string, work: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await import('../store/database');
  const store = await openStore(databaseUrl, { poolSize: 2 });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function helpOf(command: CliCommand): string {
  return `${command.summary}\n\n${command.usage}`;
}
