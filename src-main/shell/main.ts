// The Electron shell (docs/architecture.md): windows, menu, IPC. Thin on purpose — the core
// does the work and is the same one the CLI and the loopback bridge serve.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type OpenDialogOptions, type WebContents } from 'electron';
import type { Envelope } from '../../src-shared/contract/envelope';
import { startBackupScheduler, type BackupScheduler } from '../backup/scheduler';
import type { Core } from '../app/core';
import { cliArgumentsIn, runCli } from '../cli/run';
import { processIo } from '../cli/terminal';
import { AppError } from '../core/errors';
import type { PcSettings, WindowBounds } from '../settings/pc-settings';
import { OutboxFileStore } from '../outbox/file-store';
import { createStation, type Station } from '../station/station';
import { DATA_FOLDER_NAME, hostDataDir, updatesFolder, withTimeLimit } from '../station/app-folders';
import { offerUpdateFromHost } from './update';
import { CALL_CHANNEL, CHOOSE_FOLDER_CHANNEL, MENU_PRINT_CHANNEL, OUTBOX_CHANNEL, PRINT_PDF_CHANNEL } from './channel';
import { createErrorLog } from './log';
import { buildMenu } from './menu';
import { ElectronStorePcSettings } from './pc-settings-electron';
import { openPdfForPrinting, sweepPrintFolders } from './print-window';
import { SafeStorageSecretStore } from './secret-store-electron';
import { CONTENT_SECURITY_POLICY, HARDENED_WEB_PREFERENCES, isOwnRenderer, toCallRequest, toFolderRequest, toPrintPdfRequest } from './trust';

// Folders and files are named in ASCII (PostgreSQL's and some installers' file APIs fail on
// Cyrillic paths); what people see is «Журнал». Set before anything reads userData.
app.setName('Журнал');
app.setPath('userData', join(app.getPath('appData'), DATA_FOLDER_NAME));

const appRoot = app.getAppPath();
const rendererIndex = join(appRoot, 'dist-renderer', 'index.html');
const rendererIndexUrl = pathToFileURL(rendererIndex).href;
const preloadPath = join(appRoot, 'dist', 'shell', 'preload.cjs');

const errorLog = createErrorLog(app.getPath('userData'));
process.on('uncaughtException', (error) => errorLog.write('uncaughtException', error));
process.on('unhandledRejection', (error) => errorLog.write('unhandledRejection', error));

let mainWindow: BrowserWindow | null = null;
let settings: PcSettings;
let station: Promise<Station> | undefined; // undefined until the app is ready
let backups: BackupScheduler | null = null;

// Russian date inputs (ДД.ММ.ГГГГ) and spell-checking, whatever the PC's locale.
app.commandLine.appendSwitch('lang', 'ru');
// The test suites' light password hashing is never the app's (src-main/accounts/passwords.ts).
delete process.env.ZHURNAL_ARGON2_PROFILE;

/** The weekly flash-drive backup runs in the main process, on whichever core is open. */
function attachBackups(core: Core | null): void {
  backups?.stop();
  backups = core ? startBackupScheduler(core, { log: (line) => errorLog.write('backup', line) }) : null;
}

/**
 * This PC's station: opens the database the PC settings name — the SQLite file in userData,
 * a PostgreSQL server (its password encrypted by safeStorage), or, in host mode, the
 * PostgreSQL this PC runs itself, started here before the core — and switches it when the
 * administrator chooses another place («Где хранить данные»).
 */
function openStation(): Promise<Station> {
  const userData = app.getPath('userData');
  mkdirSync(userData, { recursive: true });
  return createStation({
    pcSettings: settings,
    secrets: new SafeStorageSecretStore(join(userData, 'secrets.json')),
    defaultSqlitePath: join(userData, 'zhurnal.sqlite'),
    dataDir: hostDataDir(process.platform, process.env, userData),
    updates: { folder: updatesFolder(process.platform, process.env, userData), version: app.getVersion() },
    // A packaged build trusts its own handlers' outputs (checked by the tests), for speed.
    core: { checkOutputs: !app.isPackaged, logError: (error, method) => errorLog.write(`core ${method}`, error) },
    onCoreChanged: attachBackups,
    log: (message, error) => errorLog.write(message, error ?? ''),
  });
}

/** When the database cannot be opened the window still answers, with the reason. */
function unavailable(error: unknown): Envelope<never> {
  const message =
    error instanceof AppError
      ? error.message
      : 'Не удалось открыть базу данных. Проверьте настройки подключения этого компьютера или обратитесь к администратору.';
  return { ok: false, error: { kind: 'unavailable', message } };
}

function registerIpc(): void {
  ipcMain.handle(CALL_CHANNEL, async (event, method: unknown, payload: unknown) => {
    const request = toCallRequest(event.senderFrame?.url, rendererIndexUrl, method, payload);
    if ('ok' in request) return request;
    let ready: Station;
    try {
      if (!station) throw new Error('the core has not started yet');
      ready = await station;
    } catch (error) {
      return unavailable(error);
    }
    return ready.call(request);
  });

  // The native folder picker (the whole school printed into a folder): the chosen path, or
  // null when the person closed the dialog.
  ipcMain.handle(CHOOSE_FOLDER_CHANNEL, async (event, title: unknown): Promise<Envelope<string | null>> => {
    const request = toFolderRequest(event.senderFrame?.url, rendererIndexUrl, title);
    if ('ok' in request) return request;
    const options: OpenDialogOptions = { title: request.title, properties: ['openDirectory', 'createDirectory'] };
    const owner = BrowserWindow.fromWebContents(event.sender);
    const chosen = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return { ok: true, value: chosen.canceled ? null : (chosen.filePaths[0] ?? null) };
  });

  // The journal outbox of this PC (src-main/outbox/file-store.ts), opened at the first use.
  let outbox: OutboxFileStore | null = null;
  ipcMain.handle(OUTBOX_CHANNEL, (event, operation: unknown, argument: unknown): Envelope<unknown> => {
    if (!isOwnRenderer(event.senderFrame?.url, rendererIndexUrl)) return { ok: false, error: { kind: 'forbidden', message: 'Недоступно для этой страницы.' } };
    try {
      outbox ??= new OutboxFileStore(join(app.getPath('userData'), 'outbox.jsonl'));
      if (operation === 'load') return { ok: true, value: outbox.load() };
      if (operation === 'put') outbox.put(argument);
      else if (operation === 'remove') outbox.remove(argument);
      else return { ok: false, error: { kind: 'validation', message: 'Неизвестная операция.' } };
      return { ok: true, value: null };
    } catch (error) {
      errorLog.write('outbox', error);
      return { ok: false, error: { kind: 'internal', message: 'Не удалось записать неотправленные изменения на диск этого компьютера.' } };
    }
  });
  // The last group of queued edits reaches the disk before the app ends.
  app.on('will-quit', () => outbox?.close());

  // A printed PDF in a viewer window that prints it through the system dialog (print-window.ts).
  ipcMain.handle(PRINT_PDF_CHANNEL, async (event, bytes: unknown, title: unknown): Promise<Envelope<null>> => {
    const request = toPrintPdfRequest(event.senderFrame?.url, rendererIndexUrl, bytes, title);
    if ('ok' in request) return request;
    try {
      await openPdfForPrinting(request, (error) => errorLog.write('print window', error));
      return { ok: true, value: null };
    } catch (error) {
      errorLog.write('print window', error);
      return { ok: false, error: { kind: 'internal', message: 'Не удалось открыть документ для печати. Сохраните PDF и распечатайте файл.' } };
    }
  });
}

/** Navigation, new windows, webviews and device permissions are all refused. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function hardenSession(): void {
  const defaultSession = session.defaultSession;
  // Schools are offline: spell-check dictionaries (Hunspell, on Linux) are never fetched from
  // the internet, only from the package's own resources/dictionaries if it carries them.
  defaultSession.setSpellCheckerDictionaryDownloadURL(`${pathToFileURL(join(process.resourcesPath ?? appRoot, 'dictionaries')).href}/`);
  defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  defaultSession.setPermissionCheckHandler(() => false);
  // Applies to http(s) responses; the file:// page carries the same policy in a meta tag.
  defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

function rememberBounds(window: BrowserWindow): void {
  const save = () => {
    const bounds = window.getNormalBounds();
    const next: WindowBounds = { ...bounds, maximized: window.isMaximized() };
    try {
      settings.update({ windowBounds: next });
    } catch (error) {
      errorLog.write('window bounds', error);
    }
  };
  window.on('close', save);
}

function createWindow(): BrowserWindow {
  const saved = settings.read().windowBounds;
  const window = new BrowserWindow({
    width: saved?.width ?? 1280,
    height: saved?.height ?? 800,
    ...(saved?.x !== undefined && saved?.y !== undefined ? { x: saved.x, y: saved.y } : {}),
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Журнал',
    backgroundColor: '#ffffff',
    webPreferences: {
      ...HARDENED_WEB_PREFERENCES,
      preload: preloadPath,
      spellcheck: true,
    },
  });
  if (saved?.maximized) window.maximize();
  lockDown(window.webContents);
  rememberBounds(window);
  window.once('ready-to-show', () => window.show());
  window.webContents.on('render-process-gone', (_event, details) => errorLog.write('renderer gone', details));
  void window.loadFile(rendererIndex);
  return window;
}

function openMainWindow(): void {
  mainWindow = createWindow();
  mainWindow.on('closed', () => (mainWindow = null));
}

/** Closing the database and stopping this PC's server (pg_ctl waits up to a minute) may take this long. */
const QUIT_TIME_LIMIT_MS = 90_000;
let quitting = false;

/**
 * The installed app as the `zhurnal` command (`zhurnal host …` from a service, `zhurnal
 * backup …` from a scheduled task): the CLI runs in this process, no window opens, and the
 * app exits with the command's code. Not single-instance: the server runs beside the window.
 */
function runAsCli(args: string[]): void {
  let finished = false;
  // A stop signal quits Electron; the command (e.g. stopping the server) finishes first.
  app.on('will-quit', (event) => {
    if (!finished) event.preventDefault();
  });
  void runCli(args, processIo)
    .catch((error: unknown) => {
      errorLog.write('cli', error);
      return 1;
    })
    .then((code) => {
      finished = true;
      // Output piped to a service's log is flushed before the exit.
      process.stdout.write('', () => app.exit(code));
    });
}

// Electron's own first argument is the app folder when run as `electron .`.
const cliArgs = cliArgumentsIn(process.argv.slice(app.isPackaged ? 1 : 2));

// One window per PC user: a second launch brings the first one forward.
if (cliArgs) {
  runAsCli(cliArgs);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (quitting) return;
    // The window may have been closed while the app stayed (e.g. the host's server still stopping).
    if (!mainWindow) {
      openMainWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => app.quit());
  // The core closes and, in host mode, this PC's PostgreSQL stops before the app exits —
  // within a time limit, so a server that does not answer never keeps the app from closing.
  app.on('will-quit', (event) => {
    if (quitting || !station) return;
    event.preventDefault();
    quitting = true;
    backups?.stop();
    void withTimeLimit(
      station.then((ready) => ready.close()),
      QUIT_TIME_LIMIT_MS,
    )
      .then((finished) => {
        if (!finished) errorLog.write('quit', `the database did not close within ${QUIT_TIME_LIMIT_MS} ms`);
      })
      .catch((error: unknown) => errorLog.write('quit', error))
      .finally(() => app.quit());
  });

  void app.whenReady().then(() => {
    settings = new ElectronStorePcSettings();
    station = openStation();
    const secretsWarning = new SafeStorageSecretStore(join(app.getPath('userData'), 'secrets.json')).warning();
    if (secretsWarning) errorLog.write('secrets', secretsWarning);
    station.catch((error: unknown) => errorLog.write('station start', error));
    // A staff PC follows the host's version (also the way forward when the database is newer).
    void offerUpdateFromHost(settings, () => mainWindow, (error) => errorLog.write('update', error));
    hardenSession();
    registerIpc();
    // «Печать…» asks the page to print the document on screen (never the app's own window).
    Menu.setApplicationMenu(buildMenu(() => mainWindow, () => mainWindow?.webContents.send(MENU_PRINT_CHANNEL)));
    void sweepPrintFolders((error) => errorLog.write('print folders', error));
    openMainWindow();
  });
}
