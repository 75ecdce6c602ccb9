// The Electron shell (ARCHITECTURE.md): windows, menu, IPC. Thin on purpose — the core
// does the work and is the same one the CLI and the loopback bridge serve.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, session, type WebContents } from 'electron';
import type { Envelope } from '../../src-shared/contract/envelope';
import { startBackupScheduler, type BackupScheduler } from '../backup/scheduler';
import { createCore, type Core } from '../core/core';
import { AppError } from '../core/errors';
import { databaseUrlOf, type PcSettings, type WindowBounds } from '../settings/pc-settings';
import { CALL_CHANNEL } from './channel';
import { createErrorLog } from './log';
import { buildMenu } from './menu';
import { ElectronStorePcSettings } from './pc-settings-electron';
import { CONTENT_SECURITY_POLICY, toCallRequest } from './trust';

const appRoot = app.getAppPath();
const rendererIndex = join(appRoot, 'dist-renderer', 'index.html');
const rendererIndexUrl = pathToFileURL(rendererIndex).href;
const preloadPath = join(appRoot, 'dist', 'shell', 'preload.cjs');

const errorLog = createErrorLog(app.getPath('userData'));
process.on('uncaughtException', (error) => errorLog.write('uncaughtException', error));
process.on('unhandledRejection', (error) => errorLog.write('unhandledRejection', error));

let mainWindow: BrowserWindow | null = null;
let settings: PcSettings;
let core: Promise<Core>;
let backups: BackupScheduler | null = null;

// Russian date inputs (ДД.ММ.ГГГГ) and spell-checking, whatever the PC's locale.
app.commandLine.appendSwitch('lang', 'ru');

function openCore(): Promise<Core> {
  const defaultSqlite = join(app.getPath('userData'), 'zhurnal.sqlite');
  mkdirSync(app.getPath('userData'), { recursive: true });
  const databaseUrl = databaseUrlOf(settings.read(), defaultSqlite);
  // A packaged build trusts its own handlers' outputs (checked by the tests), for speed.
  return createCore({ databaseUrl, checkOutputs: !app.isPackaged, logError: (error, method) => errorLog.write(`core ${method}`, error) });
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
    let ready: Core;
    try {
      ready = await core;
    } catch (error) {
      return unavailable(error);
    }
    return ready.call(request);
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
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
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

// One window per PC user: a second launch brings the first one forward.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    backups?.stop();
    void core?.then((ready) => ready.close()).catch(() => {});
  });

  void app.whenReady().then(() => {
    settings = new ElectronStorePcSettings();
    core = openCore();
    // The weekly flash-drive backup (issue 6) runs in the main process, with the app.
    core.then(
      (ready) => (backups = startBackupScheduler(ready, { log: (line) => errorLog.write('backup', line) })),
      (error: unknown) => errorLog.write('core start', error),
    );
    hardenSession();
    registerIpc();
    Menu.setApplicationMenu(buildMenu(() => mainWindow));
    mainWindow = createWindow();
    mainWindow.on('closed', () => (mainWindow = null));
  });
}
