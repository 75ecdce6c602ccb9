// The sandboxed preload: the renderer's door to the core and to the few things only the
// shell can do (a folder picker, the system print dialog). Bundled as CommonJS
// (scripts/build-shell.mjs) because a sandboxed preload cannot load ES modules.
import { contextBridge, ipcRenderer } from 'electron';
import type { CallRequest, Envelope } from '../../src-shared/contract/envelope';
import { isMethodName } from '../../src-shared/contract/index';
import { CALL_CHANNEL, CHOOSE_FOLDER_CHANNEL, MENU_PRINT_CHANNEL, OUTBOX_CHANNEL, PRINT_PDF_CHANNEL } from './channel';

/** What `window.zhurnal.call(method, payload)` takes besides the method name. */
export type CallPayload = Omit<CallRequest, 'method'>;

export interface ZhurnalBridge {
  call(method: string, payload: CallPayload): Promise<Envelope<unknown>>;
  /** The native folder picker: the chosen folder's path, or null when closed. */
  chooseFolder(title: string): Promise<Envelope<string | null>>;
  /** Opens a printed PDF in a viewer window whose printer button opens the system dialog. */
  printPdf(bytes: Uint8Array, title: string): Promise<Envelope<null>>;
  /** The menu's «Печать…»; returns the unsubscribe. */
  onMenuPrint(listener: () => void): () => void;
  /** The journal outbox kept on this PC's disk (survives a crash of the window or the app). */
  outbox: {
    load(): Promise<Envelope<unknown[]>>;
    put(entry: unknown): Promise<Envelope<null>>;
    remove(id: number): Promise<Envelope<null>>;
  };
}

const notPdf: Envelope<never> = { ok: false, error: { kind: 'validation', message: 'Для печати передан не PDF-документ.' } };

const api: ZhurnalBridge = {
  call(method, payload) {
    // The allowlist is the contract: anything else never reaches the main process.
    if (typeof method !== 'string' || !isMethodName(method)) {
      return Promise.resolve({ ok: false, error: { kind: 'not_found', message: 'Неизвестное действие.' } });
    }
    return ipcRenderer.invoke(CALL_CHANNEL, method, payload) as Promise<Envelope<unknown>>;
  },
  chooseFolder(title) {
    return ipcRenderer.invoke(CHOOSE_FOLDER_CHANNEL, typeof title === 'string' ? title : '') as Promise<Envelope<string | null>>;
  },
  printPdf(bytes, title) {
    // Main checks again (size, %PDF- header, the sender's page).
    if (!(bytes instanceof Uint8Array)) return Promise.resolve(notPdf);
    return ipcRenderer.invoke(PRINT_PDF_CHANNEL, bytes, typeof title === 'string' ? title : '') as Promise<Envelope<null>>;
  },
  onMenuPrint(listener) {
    const handler = () => listener();
    ipcRenderer.on(MENU_PRINT_CHANNEL, handler);
    return () => ipcRenderer.removeListener(MENU_PRINT_CHANNEL, handler);
  },
  outbox: {
    load: () => ipcRenderer.invoke(OUTBOX_CHANNEL, 'load') as Promise<Envelope<unknown[]>>,
    put: (entry) => ipcRenderer.invoke(OUTBOX_CHANNEL, 'put', entry) as Promise<Envelope<null>>,
    remove: (id) => ipcRenderer.invoke(OUTBOX_CHANNEL, 'remove', id) as Promise<Envelope<null>>,
  },
};

contextBridge.exposeInMainWorld('zhurnal', api);
