// Pure checks of the shell's security rules, kept free of `electron` so they are unit-tested.
import type { CallRequest, Envelope } from '../../src-shared/contract/envelope';
import { isMethodName } from '../../src-shared/contract/index';

/** The renderer's CSP (src-shared/content-security-policy.ts), sent as a header for http(s). */
export { CONTENT_SECURITY_POLICY } from '../../src-shared/content-security-policy';

/** Every window's web preferences: isolated, sandboxed, no Node, no webviews (docs/architecture.md). */
export const HARDENED_WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
} as const;

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

/** A printed journal of a whole year is a few MB; anything near this is not ours. */
export const MAX_PRINT_PDF_BYTES = 64 * 1024 * 1024;
const MAX_TITLE_LENGTH = 300;

function titleOf(value: unknown, fallback: string): string | null {
  if (value === undefined || value === null || value === '') return fallback;
  if (typeof value !== 'string' || value.length > MAX_TITLE_LENGTH) return null;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean || fallback;
}

/** The native folder picker: only for the app's own page, with a short title. */
export function toFolderRequest(frameUrl: string | undefined, rendererIndexUrl: string, title: unknown): { title: string } | Envelope<never> {
  if (!isOwnRenderer(frameUrl, rendererIndexUrl)) return refusal('forbidden', 'Запрос не из окна «Журнала».');
  const checked = titleOf(title, 'Выберите папку');
  if (checked === null) return refusal('validation', 'Неверный заголовок окна выбора папки.');
  return { title: checked };
}

/** A file name for the PDF shown by the print window: the document's title, made safe. */
export function printFileName(title: string): string {
  const safe = title
    .replace(/[\\/:*?"<>|]+/g, '-')
    .replace(/\s+/g, ' ')
    .slice(0, 120)
    .replace(/^[.\s-]+|[.\s]+$/g, '');
  return `${safe || 'Журнал'}.pdf`;
}

/**
 * A PDF to print: only from the app's own page, bytes (not a path or a URL) of a real PDF
 * under the size limit. The shell writes them to a file of its own naming.
 */
export function toPrintPdfRequest(
  frameUrl: string | undefined,
  rendererIndexUrl: string,
  bytes: unknown,
  title: unknown,
): { bytes: Uint8Array; title: string; fileName: string } | Envelope<never> {
  if (!isOwnRenderer(frameUrl, rendererIndexUrl)) return refusal('forbidden', 'Запрос не из окна «Журнала».');
  if (!(bytes instanceof Uint8Array) || bytes.length < 5) return refusal('validation', 'Для печати передан не PDF-документ.');
  if (bytes.length > MAX_PRINT_PDF_BYTES) return refusal('validation', 'Документ слишком большой для печати из окна: сохраните PDF и распечатайте файл.');
  if (String.fromCharCode(...bytes.subarray(0, 5)) !== '%PDF-') return refusal('validation', 'Для печати передан не PDF-документ.');
  const checked = titleOf(title, 'Журнал');
  if (checked === null) return refusal('validation', 'Неверное название документа.');
  return { bytes, title: checked, fileName: printFileName(checked) };
}
