// A stand-in for `electron` (its binary cannot be downloaded on the build machines): just
// enough API for the bundled main process to start, recording what it was asked to do.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const userData = mkdtempSync(join(tmpdir(), 'zhurnal-shell-'));
const noop = () => {};
export const recorded = { handlers: {}, windows: [], userData, menu: null, permissionHandler: null, switches: [] };
globalThis.electronStub = recorded;

export const app = {
  getAppPath: () => process.env.ZHURNAL_APP_ROOT,
  getPath: () => userData,
  getVersion: () => '0.0.0-test',
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  on: noop,
  quit: noop,
  whenReady: () => Promise.resolve(),
  commandLine: { appendSwitch: (name, value) => recorded.switches.push([name, value]) },
};
export const ipcMain = { handle: (channel, handler) => (recorded.handlers[channel] = handler), on: noop };
export class BrowserWindow {
  constructor(options) {
    this.options = options;
    this.webContents = { on: noop, setWindowOpenHandler: (handler) => (this.openHandler = handler), print: noop };
    recorded.windows.push(this);
  }
  maximize() {}
  once() {}
  on() {}
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
    webRequest: { onHeadersReceived: noop },
  },
};
export const dialog = { showMessageBox: noop };
export const shell = {};
export default { app, ipcMain, BrowserWindow, Menu, session, dialog, shell };
