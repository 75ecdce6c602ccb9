import type { Envelope } from '../../src-shared/contract/envelope';

/** What the Electron preload exposes (see src-main/shell/preload.ts). */
export interface ZhurnalPreload {
  call(method: string, payload: { input: unknown; session: string | null }): Promise<Envelope<unknown>>;
  /** Shell only, no core: the native folder picker (null: closed without a choice). */
  chooseFolder?(title: string): Promise<Envelope<string | null>>;
  /** Shell only: a printed PDF in a viewer window that prints through the system dialog. */
  printPdf?(bytes: Uint8Array, title: string): Promise<Envelope<null>>;
  /** Shell only: the menu's «Печать…»; returns the unsubscribe. */
  onMenuPrint?(listener: () => void): () => void;
  /** Shell only: the journal outbox on this PC's disk. */
  outbox?: {
    load(): Promise<Envelope<unknown[]>>;
    put(entry: unknown): Promise<Envelope<null>>;
    remove(id: number): Promise<Envelope<null>>;
  };
}

declare global {
  interface Window {
    zhurnal?: ZhurnalPreload;
  }
}

export type Transport = (method: string, input: unknown, session: string | null) => Promise<Envelope<unknown>>;

const BRIDGE_TOKEN_KEY = 'zhurnal.bridgeToken';

const unreachable = (message: string): Envelope<never> => ({ ok: false, error: { kind: 'unavailable', message } });

/**
 * The bridge page is opened as http://127.0.0.1:PORT/#token=…; the token is kept for this
 * tab (so a reload works) and taken out of the address bar at once.
 */
export function takeBridgeTokenFromAddress(): string | null {
  const match = /^#token=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(BRIDGE_TOKEN_KEY, match[1]);
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
    return match[1];
  }
  return sessionStorage.getItem(BRIDGE_TOKEN_KEY);
}

function bridgeTransport(token: string | null): Transport {
  return async (method, input, session) => {
    if (!token) {
      return unreachable('Нет ключа доступа к журналу. Откройте адрес, который напечатала команда «npm run dev:web», целиком — вместе с #token=….');
    }
    let response: Response;
    try {
      response = await fetch('/call', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-zhurnal-token': token },
        body: JSON.stringify({ method, input, session }),
      });
    } catch {
      return unreachable('Нет связи с журналом. Проверьте, что сервер запущен, и повторите.');
    }
    try {
      return (await response.json()) as Envelope<unknown>;
    } catch {
      return unreachable(`Журнал ответил ошибкой ${response.status}. Повторите через минуту.`);
    }
  };
}

function electronTransport(preload: ZhurnalPreload): Transport {
  return async (method, input, session) => {
    try {
      return await preload.call(method, { input, session });
    } catch {
      return unreachable('Нет связи с ядром журнала. Перезапустите приложение.');
    }
  };
}

/** In Electron the preload; in a browser the loopback bridge. */
export const usesBridge = typeof window.zhurnal === 'undefined';

export function createTransport(): Transport {
  return window.zhurnal ? electronTransport(window.zhurnal) : bridgeTransport(takeBridgeTokenFromAddress());
}
