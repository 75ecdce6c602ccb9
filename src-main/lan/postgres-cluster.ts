import { spawn, execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../core/errors';
import type { PostgresBinaries } from './postgres-binaries';

/**
 * One PostgreSQL cluster run through its own tools: `initdb` creates it, `pg_ctl` starts and
 * stops it. pg_ctl waits until the server accepts connections, and on Windows it drops a
 * full administrator token before starting `postgres.exe` (which refuses to run under one:
 * UAC off, the built-in Administrator, «Запуск от имени администратора»). Every step has a
 * time limit, and every failure is told in Russian.
 */

/** As root (some Linux servers, the tests) PostgreSQL runs as the 'postgres' system user. */
export interface RunAs {
  uid: number;
  gid: number;
}

interface ToolResult {
  code: number | null;
  output: string;
}

/** Windows NTSTATUS of a process whose DLL could not be found: the VC++ runtime is missing. */
const DLL_NOT_FOUND = [0xc0000135, -1073741515];

export const VC_RUNTIME_MISSING =
  'Не установлен распространяемый пакет Microsoft Visual C++ 2015–2022 (x64), нужный серверу базы данных. Установите «Журнал» заново (установщик добавит пакет) или установите пакет «vc_redist.x64.exe» с сайта Microsoft.';

/**
 * Runs one of PostgreSQL's tools. Settles on the process's exit (not on its pipes closing: a
 * server that pg_ctl leaves running may inherit them on Windows), on a failure to start, or
 * when `timeLimitMs` passes (the tool is then killed).
 */
function runTool(file: string, args: string[], options: { timeLimitMs: number; runAs?: RunAs; cwd?: string; signal?: AbortSignal }): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    let output = '';
    let settled = false;
    const child = spawn(file, args, {
      cwd: options.cwd,
      // English messages: the reasons below are recognised by their text.
      env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      // The caller gave up (the host's overall time limit): the tool is killed.
      signal: options.signal,
      ...(options.runAs ?? {}),
    });
    const collect = (chunk: Buffer) => {
      if (output.length < 64_000) output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const finish = (work: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      work();
    };
    const timer = setTimeout(() => {
      child.kill();
      finish(() => reject(new ToolTimeout(file, options.timeLimitMs)));
    }, options.timeLimitMs);
    child.once('error', (error) => finish(() => reject(error)));
    child.once('exit', (code) => {
      // Whatever is still in the pipes comes within a moment; a pipe held open by the server is let go.
      const done = () =>
        finish(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          resolve({ code, output });
        });
      const grace = setTimeout(done, 1000);
      child.once('close', () => {
        clearTimeout(grace);
        done();
      });
    });
  });
}

class ToolTimeout extends Error {
  constructor(
    readonly file: string,
    readonly timeLimitMs: number,
  ) {
    super(`${file} did not finish within ${timeLimitMs} ms`);
  }
}

const seconds = (ms: number) => Math.max(1, Math.round(ms / 1000));

/** The last lines of the server's log, for the error log and the message's tail. */
function logTail(logFile: string, lines = 8): string {
  try {
    return readFileSync(logFile, 'utf8').trim().split(/\r?\n/).slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export interface ClusterOptions {
  binaries: PostgresBinaries;
  /** The cluster's folder (PG_VERSION, postgresql.conf, …). */
  clusterDir: string;
  runAs?: RunAs;
  /** Aborted when the whole start is given up: a tool still running is killed. */
  signal?: AbortSignal;
}

export interface StartOptions {
  port: number;
  listenAddresses: string[];
  maxConnections: number;
  timeLimitMs: number;
}

export function clusterExists(clusterDir: string): boolean {
  return existsSync(join(clusterDir, 'PG_VERSION'));
}

export const serverLogOf = (clusterDir: string) => join(clusterDir, 'server.log');

/** Why a tool could not even be started. */
function spawnFailure(error: unknown): AppError {
  if (error instanceof ToolTimeout) return new AppError('unavailable', `Сервер базы данных не ответил за ${seconds(error.timeLimitMs)} с. Перезагрузите компьютер и попробуйте ещё раз.`);
  const code = (error as { code?: string })?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new AppError('unavailable', 'Не найдены программы сервера базы данных (PostgreSQL), входящие в «Журнал». Переустановите «Журнал».');
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppError('unavailable', 'Системе не удалось запустить программу сервера базы данных (нет разрешения на запуск). Проверьте антивирус и права на папку «Журнала».');
  }
  return new AppError('unavailable', `Не удалось запустить программу сервера базы данных: ${(error as Error)?.message ?? String(error)}.`);
}

/** A tool ran and failed: its reason in Russian, from its exit code and what it and the server wrote. */
export function describeServerFailure(code: number | null, text: string, context: { port?: number; listenAddresses?: string[]; clusterDir: string }): string {
  if (code !== null && DLL_NOT_FOUND.includes(code)) return VC_RUNTIME_MISSING;
  if (/administrative permissions|must not be run as root|cannot be run as root/i.test(text)) {
    return 'Сервер базы данных не запускается с правами администратора системы. Запустите «Журнал» от имени обычного пользователя.';
  }
  if (/Address already in use|could not bind|could not create any TCP\/IP sockets/i.test(text) && /already in use/i.test(text)) {
    return `Порт ${context.port ?? ''} уже занят другой программой (возможно, другим сервером PostgreSQL). Выберите другой порт или остановите ту программу.`;
  }
  if (/Cannot assign requested address|could not bind/i.test(text)) {
    return `У этого компьютера нет сетевого адреса ${(context.listenAddresses ?? []).filter((a) => a !== '127.0.0.1').join(', ')}, на котором должен работать сервер. Проверьте подключение к сети или выберите адрес заново в «Где хранить данные».`;
  }
  if (/lock file .* already exists/i.test(text)) {
    return `Папку данных сервера (${context.clusterDir}) уже использует другой запущенный сервер базы данных. Остановите его (например, службу «Журнала») и попробуйте ещё раз.`;
  }
  if (/incompatible with server|database files are incompatible/i.test(text)) {
    return `Данные сервера в папке ${context.clusterDir} созданы другой версией PostgreSQL. Восстановите школу из резервной копии в новую папку или обратитесь к тому, кто устанавливал «Журнал».`;
  }
  if (/Permission denied|Access is denied/i.test(text)) {
    return `Нет доступа к папке данных сервера (${context.clusterDir}). Проверьте права на эту папку.`;
  }
  if (/No space left on device|There is not enough space/i.test(text)) {
    return `На диске с папкой данных сервера (${context.clusterDir}) закончилось место.`;
  }
  if (/out of memory|could not map anonymous shared memory/i.test(text)) {
    return 'Серверу базы данных не хватает оперативной памяти. Закройте другие программы и попробуйте ещё раз.';
  }
  const last = text.trim().split(/\r?\n/).filter(Boolean).pop();
  return `Сервер базы данных не запустился${last ? ` (${last.slice(0, 300)})` : ''}. Подробности в файле ${serverLogOf(context.clusterDir)}.`;
}

/** Creates the cluster: UTF-8 on every OS (a Russian Windows would pick WIN1251), C locale (sorting is done in JavaScript). */
export async function initCluster(options: ClusterOptions & { superuser: string; password: string; timeLimitMs: number }): Promise<void> {
  const { clusterDir, runAs } = options;
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(clusterDir, runAs.uid, runAs.gid);
  // The password reaches initdb in a file only its user can read, removed right after.
  const passwordFile = join(clusterDir, `..`, `.initdb-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${options.password}\n`, { mode: 0o600 });
  if (runAs) chownSync(passwordFile, runAs.uid, runAs.gid);
  let result: ToolResult;
  try {
    result = await runTool(
      options.binaries.initdb,
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${options.superuser}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
        '--no-instructions',
      ],
      { timeLimitMs: options.timeLimitMs, runAs, cwd: clusterDir, signal: options.signal },
    );
  } catch (error) {
    throw spawnFailure(error);
  } finally {
    rmSync(passwordFile, { force: true });
  }
  if (result.code !== 0) {
    // A half-made cluster would stop every later attempt ("directory is not empty").
    if (!clusterExists(clusterDir)) rmSync(clusterDir, { recursive: true, force: true });
    throw new AppError('unavailable', `Не удалось создать базу данных сервера: ${describeServerFailure(result.code, result.output, { clusterDir })}`);
  }
}

async function pgCtl(options: ClusterOptions, args: string[], timeLimitMs: number): Promise<ToolResult> {
  try {
    return await runTool(options.binaries.pgCtl, [...args, '-D', options.clusterDir], { timeLimitMs, runAs: options.runAs, cwd: options.clusterDir, signal: options.signal });
  } catch (error) {
    throw spawnFailure(error);
  }
}

/** pg_ctl status: 0 — running, 3 — not running. */
export async function isRunning(options: ClusterOptions): Promise<boolean> {
  return (await pgCtl(options, ['status'], 30_000)).code === 0;
}

export async function startCluster(options: ClusterOptions & StartOptions): Promise<void> {
  // A server left behind by an app that did not close (a crash, a power cut) is stopped first:
  // it may listen on an address the administrator has changed since.
  if (await isRunning(options)) await stopCluster(options, 60_000);
  const serverOptions = ['-p', String(options.port), '-c', `listen_addresses=${options.listenAddresses.join(',')}`, '-c', `max_connections=${options.maxConnections}`];
  const logFile = serverLogOf(options.clusterDir);
  const result = await pgCtl(options, ['start', '-w', '-t', String(seconds(options.timeLimitMs)), '-l', logFile, '-o', serverOptions.join(' ')], options.timeLimitMs + 10_000);
  if (result.code === 0) return;
  const reason = describeServerFailure(result.code, `${result.output}\n${logTail(logFile)}`, { port: options.port, listenAddresses: options.listenAddresses, clusterDir: options.clusterDir });
  // pg_ctl gave up waiting; a server that comes up later must not stay behind.
  await stopCluster(options, 30_000).catch(() => {});
  throw new AppError('unavailable', reason);
}

/** Fast shutdown (sessions ended, everything committed kept); immediate if that does not finish. */
export async function stopCluster(options: ClusterOptions, timeLimitMs = 60_000): Promise<void> {
  const fast = await pgCtl(options, ['stop', '-m', 'fast', '-w', '-t', String(seconds(timeLimitMs))], timeLimitMs + 10_000).catch(() => null);
  if (fast?.code === 0 || !(await isRunning(options).catch(() => true))) return;
  const immediate = await pgCtl(options, ['stop', '-m', 'immediate', '-w', '-t', '30'], 40_000);
  if (immediate.code !== 0 && (await isRunning(options))) {
    throw new AppError('unavailable', `Сервер базы данных не останавливается: ${describeServerFailure(immediate.code, immediate.output, { clusterDir: options.clusterDir })}`);
  }
}

/** The 'postgres' system user PostgreSQL runs as when the app runs as root; created if asked. */
export async function postgresSystemUser(create: boolean): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const run = promisify(execFile);
  const ids = async () => ({ uid: Number((await run('id', ['-u', 'postgres'])).stdout), gid: Number((await run('id', ['-g', 'postgres'])).stdout) });
  try {
    return await ids();
  } catch {
    if (!create) throw new AppError('unavailable', 'Сервер базы данных нельзя запускать от имени root, а системного пользователя postgres нет.');
    await run('groupadd', ['-f', 'postgres']).catch(() => {});
    await run('useradd', ['-g', 'postgres', 'postgres']).catch(() => {});
    return ids();
  }
}
