import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { AppErrorPayload, CallRequest, Envelope } from '../../src-shared/contract/envelope';
import { CONTENT_SECURITY_POLICY } from '../../src-shared/content-security-policy';

/**
 * The loopback bridge (docs/architecture.md principle 1): the same core Electron serves over IPC,
 * served over HTTP on 127.0.0.1 so the real renderer can run in a plain browser on machines
 * where Electron cannot. Dev and test only; never part of a packaged build.
 */

/** The part of the core the bridge needs: one call in, one envelope out. */
export interface BridgeCore {
  call(request: CallRequest): Promise<Envelope<unknown>>;
}

export interface BridgeOptions {
  core: BridgeCore;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built renderer (vite's output). */
  staticDir: string;
}

export interface Bridge {
  /** The page to open; the token travels in the hash, which browsers never send to a server. */
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-zhurnal-token';
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
};


function bridgeError(kind: AppErrorPayload['kind'], message: string): Envelope<never> {
  return { ok: false, error: { kind, message } };
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(text);
}

function tokenMatches(expected: Buffer, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false;
  const candidate = Buffer.from(given, 'utf8');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

class BodyTooLarge extends Error {}

/**
 * The body, or BodyTooLarge. An oversized body is drained rather than cut off, so the
 * client reliably reads the 413 instead of a reset connection.
 */
function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolveBody, rejectBody) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > MAX_BODY_BYTES;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => (tooLarge ? rejectBody(new BodyTooLarge()) : resolveBody(Buffer.concat(chunks))));
    request.on('error', rejectBody);
  });
}

function parseCallRequest(body: Buffer): CallRequest | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { method, input, session } = parsed as Record<string, unknown>;
  if (typeof method !== 'string') return null;
  if (session !== undefined && session !== null && typeof session !== 'string') return null;
  return { method, input, session: session ?? null };
}

/** A file under `root` for a URL path, or null when the path tries to leave it. */
function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = resolve(join(root, relative));
  return file === root || file.startsWith(root + sep) ? file : null;
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = randomBytes(32).toString('base64url');
  const expectedToken = Buffer.from(token, 'utf8');
  const root = resolve(options.staticDir);
  let port = 0;

  // Other sites' pages could reach 127.0.0.1 through a rebound DNS name: only our own host names pass.
  const hostAllowed = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  async function handleCall(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!tokenMatches(expectedToken, request.headers[TOKEN_HEADER])) {
      request.resume();
      sendJson(response, 403, bridgeError('forbidden', 'Доступ к журналу только из его окна: неверный ключ моста. Откройте адрес, который напечатал сервер.'));
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        response.setHeader('connection', 'close');
        sendJson(response, 413, bridgeError('validation', 'Слишком большой запрос (больше 2 МБ).'));
        return;
      }
      throw error;
    }
    const call = parseCallRequest(body);
    if (!call) {
      sendJson(response, 400, bridgeError('validation', 'Неверный запрос: ожидается JSON { method, input, session }.'));
      return;
    }
    sendJson(response, 200, await options.core.call(call));
  }

  async function handleStatic(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
    const file = resolveStaticPath(root, pathname);
    if (!file) {
      sendJson(response, 404, bridgeError('not_found', 'Нет такого файла.'));
      return;
    }
    let content: Buffer;
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      content = await readFile(file);
    } catch {
      sendJson(response, 404, bridgeError('not_found', 'Нет такого файла.'));
      return;
    }
    response.writeHead(200, {
      'content-type': contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': content.length,
      // Hashed asset names change with every build; the page itself must always be fresh.
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=31536000, immutable',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    response.end(request.method === 'HEAD' ? undefined : content);
  }

  const server = createServer((request, response) => {
    void (async () => {
      if (!hostAllowed(request.headers.host)) {
        request.resume();
        sendJson(response, 403, bridgeError('forbidden', 'Мост журнала отвечает только на 127.0.0.1.'));
        return;
      }
      const pathname = (request.url ?? '/').split('?')[0] ?? '/';
      if (pathname === '/call') {
        if (request.method !== 'POST') {
          request.resume();
          response.setHeader('allow', 'POST');
          sendJson(response, 405, bridgeError('validation', 'Только POST.'));
          return;
        }
        await handleCall(request, response);
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        request.resume();
        response.setHeader('allow', 'GET, HEAD');
        sendJson(response, 405, bridgeError('validation', 'Только GET.'));
        return;
      }
      await handleStatic(request, response, pathname);
    })().catch((error: unknown) => {
      console.error('Мост: ошибка обработки запроса', error);
      if (!response.headersSent) sendJson(response, 500, bridgeError('internal', 'Внутренняя ошибка моста.'));
      else response.destroy();
    });
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    // Loopback only: the bridge is never reachable from the school's network.
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
