// Pure checks of the shell's security rules, kept free of `electron` so they are unit-tested.
import type { CallRequest, Envelope } from '../../src-shared/contract/envelope';
import { isMethodName } from '../../src-shared/contract/index';

/** The renderer's CSP (src-shared/content-security-policy.ts), sent as a header for http(s). */
export { CONTENT_SECURITY_POLICY } from '../../src-shared/content-security-policy';

/** True only for the app's own renderer page (any #route or ?query on it). */
export function isOwnRenderer(frameUrl: string | undefined, rendererIndexUrl: string): boolean {
  if (!frameUrl) return false;
  let frame: URL;
  let own: URL;
  try {
    frame = new URL(frameUrl);
    own = new URL(rendererIndexUrl);
  } catch {
    return false;
  }
  return frame.protocol === 'file:' && own.protocol === 'file:' && frame.host === own.host && frame.pathname === own.pathname;
}

const refusal = (kind: 'forbidden' | 'not_found' | 'validation', message: string): Envelope<never> => ({ ok: false, error: { kind, message } });

/**
 * Turns what arrived over IPC into a core request, or a refusal. The preload already
 * filters by the contract; main checks again because a compromised renderer skips preload.
 */
export function toCallRequest(frameUrl: string | undefined, rendererIndexUrl: string, method: unknown, payload: unknown): CallRequest | Envelope<never> {
  if (!isOwnRenderer(frameUrl, rendererIndexUrl)) return refusal('forbidden', 'Запрос не из окна «Журнала».');
  if (typeof method !== 'string' || !isMethodName(method)) return refusal('not_found', 'Неизвестное действие.');
  const { input, session } = (payload && typeof payload === 'object' ? payload : {}) as { input?: unknown; session?: unknown };
  if (session !== undefined && session !== null && typeof session !== 'string') return refusal('validation', 'Неверный сеанс.');
  return { method, input, session: session ?? null };
}
