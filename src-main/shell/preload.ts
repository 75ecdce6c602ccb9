// The sandboxed preload: the renderer's one door to the core. Bundled as CommonJS
// (scripts/build-shell.mjs) because a sandboxed preload cannot load ES modules.
import { contextBridge, ipcRenderer } from 'electron';
import type { CallRequest, Envelope } from '../../src-shared/contract/envelope';
import { isMethodName } from '../../src-shared/contract/index';
import { CALL_CHANNEL } from './channel';

/** What `window.zhurnal.call(method, payload)` takes besides the method name. */
export type CallPayload = Omit<CallRequest, 'method'>;

export interface ZhurnalBridge {
  call(method: string, payload: CallPayload): Promise<Envelope<unknown>>;
}

const api: ZhurnalBridge = {
  call(method, payload) {
    // The allowlist is the contract: anything else never reaches the main process.
    if (typeof method !== 'string' || !isMethodName(method)) {
      return Promise.resolve({ ok: false, error: { kind: 'not_found', message: 'Неизвестное действие.' } });
    }
    return ipcRenderer.invoke(CALL_CHANNEL, method, payload) as Promise<Envelope<unknown>>;
  },
};

contextBridge.exposeInMainWorld('zhurnal', api);
