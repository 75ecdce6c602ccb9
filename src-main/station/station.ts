import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CurrentUser } from '../../src-shared/contract/auth';
import type { AppErrorPayload, CallRequest, Envelope } from '../../src-shared/contract/envelope';
import { contract, type MethodName, type MethodOutput, type ParsedInput } from '../../src-shared/contract/index';
import type { DataLocation, PostgresCheck, PostgresTarget } from '../../src-shared/contract/pc';
import { hasPermission } from '../../src-shared/roles';
import { createCore, type Core, type CoreOptions } from '../app/core';
import { AppError } from '../core/errors';
import { validationFailure } from '../core/router';
import { lanAddresses, loopbackAppUrl, prepareHostDatabase, startHost, type HostOptions, type RunningHost } from '../lan/host';
import { moveToPostgres } from '../lan/move-to-postgres';
import { startUpdateServer, updatePortOf } from '../lan/updates';
import type { DatabaseChoice, PcSettings } from '../settings/pc-settings';
import type { SecretStore } from '../settings/secret-store';
import { describeTarget, networkOf, postgresUrlOf, secretKeyOf, splitPassword, targetOfUrl, withPassword } from './connection';
import { checkPostgres, connectionError } from './postgres-check';

/**
 * This PC's station: owns the one core the PC serves and can
 * switch it between the three places the data may live — this PC's SQLite file, an
 * existing PostgreSQL server, or a PostgreSQL this PC runs itself (host mode, started with
 * the station). The `pc.*` methods are answered here; everything else goes to the current
 * core. When the database cannot be opened, the station still answers: `pc.*` work (so the
 * administrator can fix the connection) and every other method says why.
 *
 * Switching opens the new core first; only when it is open are the settings (and the
 * password, in the SecretStore) written and the old core closed — a failed switch changes
 * nothing. Sessions belong to a core, so a switch signs everybody out.
 *
 * With `moveData` the school in this PC's SQLite file moves into the new database first
 * (`moveToPostgres`): the file's core is closed for the move, so
 * nothing is saved to the file after its snapshot, and the file is kept as it is. If the
 * move or the switch fails, the PC opens its file again.
 */

export interface StationOptions {
  pcSettings: PcSettings;
  secrets: SecretStore;
  /** The «на этом компьютере» file, used when the settings name no database. */
  defaultSqlitePath: string;
  /** The app's data folder: in host mode the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** How host mode starts its server (tests: other binaries, a shorter time limit). */
  host?: Pick<HostOptions, 'binaries' | 'timeLimitMs'>;
  /** In host mode, the installers of `version` in `folder` are served to staff PCs (updates.ts). */
  updates?: { folder: string; version: string };
  /** Passed to every core the station opens. */
  core?: Omit<CoreOptions, 'databaseUrl'>;
  /** After every change of the core (null: the database is unavailable); the shell re-attaches its backup scheduler. */
  onCoreChanged?(core: Core | null): void;
  log?(message: string, error?: unknown): void;
}

export interface Station {
  call(request: CallRequest): Promise<Envelope<unknown>>;
  /** The open core, or null while the database is unavailable. */
  current(): Core | null;
  /** Closes the core and stops this PC's server in host mode. */
  close(): Promise<void>;
}

type State =
  | { state: 'open'; core: Core; host: RunningHost | null }
  | { state: 'unavailable'; reason: string; host: RunningHost | null }
  /**
   * A switch has closed the core and is under way (the server restarting, the school
   * moving): every call is answered at once with the reason instead of waiting for the
   * switch, and nobody may choose meanwhile.
   */
  | { state: 'busy'; reason: string; host: null };

const MOVING = 'Идёт перенос данных школы на сервер. Подождите несколько минут.';

type PcMethod = Extract<MethodName, `pc.${string}`>;
type PcHandlers = { [M in PcMethod]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> };

const isPcMethod = (method: string): method is PcMethod => method.startsWith('pc.') && Object.prototype.hasOwnProperty.call(contract, method);
const isRoot = () => process.getuid?.() === 0;

/** Why a database could not be opened, for the person at this PC. */
function describeOpenError(error: unknown, choice: DatabaseChoice | null, defaultSqlitePath: string): string {
  if (error instanceof AppError) return error.message;
  const { code, message = '' } = (error ?? {}) as { code?: string; message?: string };
  if (!choice || choice.kind === 'sqlite') {
    const path = choice?.path ?? defaultSqlitePath;
    if (code === 'SQLITE_NOTADB') return `Файл ${path} — не база данных «Журнала».`;
    return `Не удалось открыть файл базы данных ${path}: ${message || code}. Проверьте, что папка существует и доступна.`;
  }
  if (choice.kind === 'postgres') return connectionError(error, targetOfUrl(choice.url)).message;
  return `Не удалось запустить сервер базы данных на этом компьютере (${choice.listenAddress}:${choice.port}): ${message || code}.`;
}

export async function createStation(options: StationOptions): Promise<Station> {
  const { pcSettings, secrets, defaultSqlitePath, dataDir } = options;
  const log = options.log ?? (() => {});
  const checkOutputs = options.core?.checkOutputs ?? true;
  let state: State = { state: 'unavailable', reason: 'База данных ещё не открыта.', host: null };
  let closed = false;
  /** Switches and re-openings run one at a time. */
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => {});
    return run;
  };
  /** Calls in flight per core: a core is closed only after they are answered. */
  const inFlight = new Map<Core, Set<Promise<unknown>>>();

  const openCore = (databaseUrl: string) => createCore({ secrets, pcDir: dataDir, ...options.core, databaseUrl });

  function startOwnHost(choice: Extract<DatabaseChoice, { kind: 'host' }>): Promise<RunningHost> {
    return startHost({ ...options.host, dataDir, listenAddress: choice.listenAddress, allowedNetwork: choice.allowedNetwork, port: choice.port, createSystemUser: isRoot() });
  }

  /**
   * Host mode: the server, its database at this version, and a core as the application role.
   * `beforeOpen` fills the prepared database (the school moving in) before the core opens it.
   */
  async function openAsHost(
    choice: Extract<DatabaseChoice, { kind: 'host' }>,
    beforeOpen?: (host: RunningHost) => Promise<void>,
  ): Promise<{ core: Core; host: RunningHost }> {
    const host = await startOwnHost(choice);
    let core: Core;
    try {
      await prepareHostDatabase(host, dataDir);
      await beforeOpen?.(host);
      core = await openCore(loopbackAppUrl(host));
    } catch (error) {
      await host.stop().catch(() => {});
      throw error;
    }
    // Staff PCs take this version's installers from here; without it the journal still works.
    const updates = options.updates
      ? await startUpdateServer({ ...options.updates, address: choice.listenAddress, port: updatePortOf(choice.port) }).catch((error: unknown) => {
          log('Не удалось начать раздачу обновлений', error);
          return null;
        })
      : null;
    if (!updates) return { core, host };
    return { core, host: { ...host, stop: () => updates.close().then(() => host.stop()) } };
  }

  /** Older settings kept the password in the address: it moves to the SecretStore. */
  function moveLegacyPassword(): void {
    const choice = pcSettings.read().database;
    if (choice?.kind !== 'postgres') return;
    const { url, password } = splitPassword(choice.url);
    if (password === null) return;
    secrets.set(secretKeyOf(url), password);
    pcSettings.update({ database: { kind: 'postgres', url } });
  }

  /** Opens what the settings name; never throws — a failure becomes the `unavailable` state. */
  async function openFromSettings(): Promise<State> {
    let choice: DatabaseChoice | null = null;
    try {
      moveLegacyPassword();
      choice = pcSettings.read().database;
    } catch (error) {
      log('Не удалось прочитать настройки компьютера', error);
      return { state: 'unavailable', reason: error instanceof Error ? error.message : String(error), host: null };
    }
    try {
      if (!choice || choice.kind === 'sqlite') {
        const path = choice?.path ?? defaultSqlitePath;
        mkdirSync(dirname(path), { recursive: true });
        return { state: 'open', core: await openCore(path), host: null };
      }
      if (choice.kind === 'postgres') {
        const password = secrets.get(secretKeyOf(choice.url));
        if (password === null) {
          return {
            state: 'unavailable',
            reason: `Пароль подключения к серверу ${describeTarget(targetOfUrl(choice.url))} не сохранён на этом компьютере. Введите его заново в «Где хранить данные».`,
            host: null,
          };
        }
        return { state: 'open', core: await openCore(withPassword(choice.url, password)), host: null };
      }
      return { state: 'open', ...(await openAsHost(choice)) };
    } catch (error) {
      log('Не удалось открыть базу данных', error);
      return { state: 'unavailable', reason: describeOpenError(error, choice, defaultSqlitePath), host: null };
    }
  }

  async function closeState(previous: State): Promise<void> {
    if (previous.state === 'open') {
      await Promise.allSettled([...(inFlight.get(previous.core) ?? [])]);
      inFlight.delete(previous.core);
      await previous.core.close().catch((error: unknown) => log('Ошибка при закрытии базы данных', error));
    }
    await previous.host?.stop().catch((error: unknown) => log('Ошибка при остановке сервера базы данных', error));
  }

  async function become(next: State): Promise<void> {
    const previous = state;
    state = next;
    options.onCoreChanged?.(next.state === 'open' ? next.core : null);
    if (previous !== next) await closeState(previous);
  }

  /** Closes the core (and stops this PC's server) for a switch; calls meanwhile are told `reason`. */
  async function standDown(reason: string): Promise<void> {
    const previous = state;
    state = { state: 'busy', reason, host: null };
    options.onCoreChanged?.(null);
    await closeState(previous);
  }

  /** Runs the rest of a switch; if it fails after `standDown`, the PC opens what its settings still name. */
  async function orBackToSettings<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (state.state !== 'open') {
        const back = await openFromSettings();
        if (back.state === 'open') await become(back);
        else state = back;
      }
      throw error;
    }
  }

  /** The SecretStore key of the connection in the settings now, if it is a PostgreSQL server. */
  function currentSecretKey(): string | null {
    const choice = pcSettings.read().database;
    return choice?.kind === 'postgres' ? secretKeyOf(choice.url) : null;
  }

  /**
   * Writes the new choice, then forgets the password of the connection it replaces (after
   * the write: a failed write leaves the old choice whole).
   */
  function choose(database: DatabaseChoice | null, newSecret?: { key: string; password: string }): void {
    const oldKey = currentSecretKey();
    if (newSecret) secrets.set(newSecret.key, newSecret.password);
    pcSettings.update({ database });
    if (oldKey && oldKey !== newSecret?.key) {
      try {
        secrets.delete(oldKey);
      } catch (error) {
        log('Не удалось удалить старый пароль подключения', error);
      }
    }
  }

  async function schoolStatus(): Promise<{ open: true; schoolName: string | null } | { open: false; reason: string }> {
    if (state.state !== 'open') return { open: false, reason: state.reason };
    const status = await state.core.call({ method: 'setup.status', input: {} });
    if (!status.ok) return { open: false, reason: status.error.message };
    return { open: true, schoolName: (status.value as MethodOutput<'setup.status'>).schoolName };
  }

  async function describe(): Promise<DataLocation> {
    const choice = pcSettings.read().database;
    const status = await schoolStatus();
    const base = {
      status: status.open ? ({ state: 'open', schoolName: status.schoolName } as const) : ({ state: 'unavailable', reason: status.reason } as const),
      sqlitePath: defaultSqlitePath,
      openToAnyone: !status.open || status.schoolName === null,
      postgres: null,
      host: null,
    };
    if (!choice || choice.kind === 'sqlite') {
      return { ...base, kind: 'sqlite', summary: `На этом компьютере, в файле ${choice?.path ?? defaultSqlitePath}` };
    }
    if (choice.kind === 'postgres') {
      const target = targetOfUrl(choice.url);
      const warning = secrets.warning?.() ?? null;
      return { ...base, kind: 'postgres', summary: `На сервере PostgreSQL ${describeTarget(target)}${warning ? `. ${warning}` : ''}`, postgres: target };
    }
    const running = state.host;
    const app = running ? new URL(running.appUrl) : null;
    return {
      ...base,
      kind: 'host',
      summary: `Этот компьютер — сервер базы данных школы (адрес ${choice.listenAddress}, порт ${choice.port}, доступ из сети ${choice.allowedNetwork})`,
      host: app
        ? {
            listenAddress: choice.listenAddress,
            allowedNetwork: choice.allowedNetwork,
            forOtherPcs: {
              host: choice.listenAddress,
              port: choice.port,
              database: decodeURIComponent(app.pathname.replace(/^\//, '')),
              user: decodeURIComponent(app.username),
              password: decodeURIComponent(app.password),
            },
          }
        : null,
    };
  }

  /**
   * The school to move into the new database: this PC's SQLite file, open and holding one.
   * Null when the file holds no school yet (nothing to move).
   */
  async function schoolToMove(): Promise<{ sqlitePath: string; schoolName: string } | null> {
    const choice = pcSettings.read().database;
    if (choice && choice.kind !== 'sqlite') {
      throw new AppError('conflict', 'Перенести на сервер можно только данные из файла на этом компьютере, а сейчас они хранятся не в нём.');
    }
    const status = await schoolStatus();
    if (!status.open) throw new AppError('conflict', `Данные из файла на этом компьютере перенести нельзя: ${status.reason}`);
    return status.schoolName === null ? null : { sqlitePath: choice?.path ?? defaultSqlitePath, schoolName: status.schoolName };
  }

  /** Data moves only into a database without a school; `where` names it for the person. */
  function refuseIfHoldsSchool(check: PostgresCheck, where: string): void {
    if (check.schoolName === null) return;
    throw new AppError(
      'conflict',
      `${where} уже есть школа «${check.schoolName}». Данные переносятся только в базу без школы. Журнал по-прежнему работает с файлом на этом компьютере, данные в нём не изменены.`,
    );
  }

  /** The school from the file into `targetUrl` (the core on the file already closed), checked table by table. */
  async function moveSchool(sqlitePath: string, targetUrl: string): Promise<void> {
    try {
      const report = await moveToPostgres(sqlitePath, targetUrl, (line) => log(line));
      log(`Данные школы перенесены из ${sqlitePath}: ${report.rows} строк, ${report.tables.length} таблиц сверены`);
    } catch (error) {
      log('Перенос данных школы не удался', error);
      if (error instanceof AppError) throw error;
      const { code, message } = (error ?? {}) as { code?: string; message?: string };
      throw new AppError('unavailable', `Перенос данных не удался: ${message || code || 'неизвестная ошибка'}. Файл на этом компьютере не изменён.`);
    }
  }

  async function reopen(): Promise<void> {
    await exclusive(async () => {
      if (state.state === 'open' || closed) return;
      const next = await openFromSettings();
      if (next.state === 'open') await become(next);
      else state = next;
    });
  }

  const handlers: PcHandlers = {
    'pc.dataLocation': async () => describe(),

    'pc.lanAddresses': async () => ({
      addresses: lanAddresses().map((entry) => ({ interface: entry.interface, address: entry.address, network: networkOf(entry.cidr) })),
    }),

    'pc.checkPostgres': async (input) => checkPostgres(postgresUrlOf(input, input.password), input),

    'pc.usePostgres': (input) =>
      exclusive(async () => {
        const target: PostgresTarget = { host: input.host, port: input.port, database: input.database, user: input.user, tls: input.tls };
        const url = postgresUrlOf(target, input.password);
        const check = await checkPostgres(url, target);
        if (check.state === 'foreign' || check.state === 'newer') throw new AppError('conflict', check.message);
        const moving = input.moveData ? await schoolToMove() : null;
        if (moving) refuseIfHoldsSchool(check, `В базе «${target.database}» на сервере ${target.host}:${target.port}`);
        if (check.pendingMigrations > 0 && !input.applyMigrations) {
          throw new AppError('conflict', `${check.message} Подтвердите обновление структуры базы, чтобы подключиться.`, { pendingMigrations: check.pendingMigrations });
        }
        if (moving) await standDown(MOVING);
        return orBackToSettings(async () => {
          if (moving) await moveSchool(moving.sqlitePath, url);
          let core: Core;
          try {
            core = await openCore(url);
          } catch (error) {
            throw error instanceof AppError ? error : connectionError(error, target);
          }
          const stored = postgresUrlOf(target);
          try {
            choose({ kind: 'postgres', url: stored }, { key: secretKeyOf(stored), password: input.password });
          } catch (error) {
            await core.close();
            throw error;
          }
          await become({ state: 'open', core, host: null });
          return describe();
        });
      }),

    'pc.useSqlite': () =>
      exclusive(async () => {
        mkdirSync(dirname(defaultSqlitePath), { recursive: true });
        const core = await openCore(defaultSqlitePath);
        try {
          choose(null);
        } catch (error) {
          await core.close();
          throw error;
        }
        await become({ state: 'open', core, host: null });
        return describe();
      }),

    'pc.becomeHost': (input) =>
      exclusive(async () => {
        const choice = { kind: 'host', listenAddress: input.listenAddress, allowedNetwork: input.allowedNetwork, port: input.port } as const;
        const addresses = lanAddresses().map((entry) => entry.address);
        if (input.listenAddress !== '127.0.0.1' && !addresses.includes(input.listenAddress)) {
          throw new AppError('validation', `У этого компьютера нет адреса ${input.listenAddress}.`, [{ path: 'listenAddress', message: 'Нет такого адреса' }]);
        }
        const moving = input.moveData ? await schoolToMove() : null;
        // One cluster per data folder: a running one stops before it starts again with the new choice.
        if (state.host) await standDown('Сервер базы данных перезапускается.');
        else if (moving) await standDown(MOVING);
        return orBackToSettings(async () => {
          let opened: { core: Core; host: RunningHost };
          try {
            opened = await openAsHost(
              choice,
              moving
                ? async (host) => {
                    // The owner fills the database; the application role may only read and write rows.
                    refuseIfHoldsSchool(await checkPostgres(host.ownerUrl, targetOfUrl(host.ownerUrl)), 'В базе сервера на этом компьютере');
                    await moveSchool(moving.sqlitePath, host.ownerUrl);
                  }
                : undefined,
            );
          } catch (error) {
            log('Не удалось сделать компьютер сервером', error);
            throw error instanceof AppError ? error : new AppError('unavailable', describeOpenError(error, choice, defaultSqlitePath));
          }
          try {
            choose(choice);
          } catch (error) {
            await opened.core.close();
            await opened.host.stop().catch(() => {});
            throw error;
          }
          await become({ state: 'open', ...opened });
          return describe();
        });
      }),
  };

  /** Anyone may choose while there is no school or no database; otherwise an administrator only. */
  async function authorize(session: string | null | undefined): Promise<AppErrorPayload | null> {
    const status = await schoolStatus();
    if (!status.open || status.schoolName === null || state.state !== 'open') return null;
    if (!session) return { kind: 'unauthenticated', message: 'Войдите как администратор журнала.' };
    const who = await state.core.call({ method: 'auth.whoami', input: {}, session });
    if (!who.ok) return who.error;
    const user = who.value as CurrentUser;
    if (user.mustChangePassword) return { kind: 'forbidden', message: 'Сначала смените временный пароль.' };
    if (!hasPermission(user.roles, 'pc.manage')) {
      return { kind: 'forbidden', message: 'Где хранить данные, выбирает только администратор журнала.' };
    }
    return null;
  }

  async function callPc(method: PcMethod, request: CallRequest): Promise<Envelope<unknown>> {
    try {
      const refusal = await authorize(request.session);
      if (refusal) return { ok: false, error: refusal };
      const definition = contract[method];
      const parsed = definition.input.safeParse(request.input ?? {});
      if (!parsed.success) return { ok: false, error: validationFailure(parsed.error).toPayload() };
      const value = await (handlers[method] as (input: unknown) => Promise<unknown>)(parsed.data);
      if (!checkOutputs) return { ok: true, value };
      const checked = definition.output.safeParse(value);
      if (!checked.success) {
        log(`Ответ ${method} не соответствует контракту`, checked.error);
        return { ok: false, error: { kind: 'internal', message: 'Внутренняя ошибка: ответ не соответствует контракту.' } };
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.toPayload() };
      log(`Ошибка в ${method}`, error);
      return { ok: false, error: { kind: 'internal', message: 'Внутренняя ошибка. Сообщите администратору.' } };
    }
  }

  async function call(request: CallRequest): Promise<Envelope<unknown>> {
    if (closed) return { ok: false, error: { kind: 'unavailable', message: 'Журнал закрывается.' } };
    if (state.state === 'busy') return { ok: false, error: { kind: 'unavailable', message: state.reason } };
    if (typeof request.method === 'string' && isPcMethod(request.method)) return callPc(request.method, request);
    if (state.state === 'unavailable') await reopen();
    const current = state;
    if (current.state !== 'open') return { ok: false, error: { kind: 'unavailable', message: current.reason } };
    const calls = inFlight.get(current.core) ?? new Set<Promise<unknown>>();
    inFlight.set(current.core, calls);
    const answer = current.core.call(request);
    calls.add(answer);
    try {
      return await answer;
    } finally {
      calls.delete(answer);
    }
  }

  state = await openFromSettings();
  options.onCoreChanged?.(state.state === 'open' ? state.core : null);

  return {
    call,
    current: () => (state.state === 'open' ? state.core : null),
    async close() {
      await exclusive(async () => {
        closed = true;
        await closeState(state);
        state = { state: 'unavailable', reason: 'Журнал закрыт.', host: null };
      });
    },
  };
}
