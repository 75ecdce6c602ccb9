// A stand-in for `electron` (its binary cannot be downloaded on the build machines): just
// enough API for the bundled main process to start, recording what it was asked to do.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const appData = mkdtempSync(join(tmpdir(), 'zhurnal-shell-'));
const temp = mkdtempSync(join(tmpdir(), 'zhurnal-shell-temp-'));
const noop = () => {};
// Electron's default userData: appData/<package name>; the shell may set another.
const paths = { appData, userData: join(appData, 'zhurnal'), temp };
export const recorded = { handlers: {}, windows: [], appData, userData: paths.userData, temp, name: null, menu: null, permissionHandler: null, switches: [], dialogs: [], sent: [] };
globalThis.electronStub = recorded;

export const app = {
  getAppPath: () => process.env.ZHURNAL_APP_ROOT,
  getPath: (name) => paths[name] ?? paths.userData,
  setPath: (name, value) => {
    paths[name] = value;
    if (name === 'userData') recorded.userData = value;
  },
  setName: (name) => (recorded.name = name),
  getVersion: () => '0.0.0-test',
  isPackaged: false,
  requestSingleInstanceLock: () => {
    recorded.singleInstance = true;
    return true;
  },
  on: noop,
  exit: (code) => recorded.onExit?.(code),
  quit: noop,
  whenReady: () => Promise.resolve(),
  commandLine: { appendSwitch: (name, value) => recorded.switches.push([name, value]) },
};
export const ipcMain = { handle: (channel, handler) => (recorded.handlers[channel] = handler), on: noop };
export class BrowserWindow {
  constructor(options) {
    this.options = options;
    this.listeners = {};
    this.webContents = {
      on: noop,
      setWindowOpenHandler: (handler) => (this.openHandler = handler),
      print: () => recorded.printedUi = true,
      send: (channel, ...args) => recorded.sent.push([channel, ...args]),
    };
    recorded.windows.push(this);
  }
  static fromWebContents(contents) {
    return recorded.windows.find((window) => window.webContents === contents) ?? null;
  }
  maximize() {}
  once() {}
  on(event, listener) {
    (this.listeners[event] ??= []).push(listener);
  }
  emit(event, ...args) {
    for (const listener of this.listeners[event] ?? []) listener(...args);
  }
  setMenu(menu) {
    this.menu = menu;
  }
  loadFile(file) {
    this.loaded = file;
    return Promise.resolve();
  }
}
export const Menu = { buildFromTemplate: (template) => (recorded.menu = template), setApplicationMenu: noop };
export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler) => (recorded.permissionHandler = handler),
    setPermissionCheckHandler: noop,
    setSpellCheckerDictionaryDownloadURL: (url) => (recorded.dictionaryUrl = url),
    webRequest: { onHeadersReceived: noop },
  },
};
export const dialog = {
  showMessageBox: noop,
  showOpenDialog: async (...args) => {
    recorded.dialogs.push(args[args.length - 1]);
    return { canceled: false, filePaths: [join(temp, 'Журналы')] };
  },
};
export const shell = {};
// A reversible stand-in for the OS encryption: what it writes never shows the secret itself.
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (text) => Buffer.concat([Buffer.from('stub-os-key:'), Buffer.from(text, 'utf8').map((byte) => byte ^ 0x5a)]),
  decryptString: (buffer) => {
    const prefix = Buffer.from('stub-os-key:');
    if (!buffer.subarray(0, prefix.length).equals(prefix)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(buffer.subarray(prefix.length).map((byte) => byte ^ 0x5a)).toString('utf8');
  },
};
export default { app, ipcMain, BrowserWindow, Menu, session, dialog, shell, safeStorage };
