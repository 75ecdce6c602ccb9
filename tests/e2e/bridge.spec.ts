import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { MAX_BODY_BYTES, startBridge, TOKEN_HEADER, type Bridge } from '../../src-main/bridge/server';
import type { CallRequest, Envelope } from '../../src-shared/contract/envelope';

// The loopback bridge's own guarantees: only its page, only this PC, nothing large.
// A recording core stands in so the test can tell whether a call ever reached it.

const staticDir = fileURLToPath(new URL('../../dist-renderer', import.meta.url));

let bridge: Bridge;
const received: CallRequest[] = [];

test.beforeAll(async () => {
  bridge = await startBridge({
    core: {
      async call(request): Promise<Envelope<unknown>> {
        received.push(request);
        return { ok: true, value: { echoed: request.method } };
      },
    },
    staticDir,
  });
});
test.afterAll(async () => bridge.close());
test.beforeEach(() => {
  received.length = 0;
});

/** A raw request: no client-side URL clean-up, any Host header. */
function raw(options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; host?: string }) {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = httpRequest(
      { host: options.host ?? '127.0.0.1', port: bridge.port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (options.body) req.write(options.body);
    req.end();
  });
}

const call = (headers: Record<string, string>, body: unknown) =>
  raw({ method: 'POST', path: '/call', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

test('the page address carries a per-start token in its hash', async () => {
  expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{40,}$/);
  const other = await startBridge({ core: { call: async () => ({ ok: true, value: null }) }, staticDir });
  expect(other.token).not.toBe(bridge.token);
  await other.close();
});

test('a call with the token reaches the core and returns its envelope', async () => {
  const response = await call({ [TOKEN_HEADER]: bridge.token }, { method: 'setup.status', input: {}, session: null });
  expect(response.status).toBe(200);
  expect(JSON.parse(response.body)).toEqual({ ok: true, value: { echoed: 'setup.status' } });
  expect(received).toHaveLength(1);
});

test('a missing or wrong token is refused with 403 and never reaches the core', async () => {
  const missing = await call({}, { method: 'setup.status', input: {} });
  const wrong = await call({ [TOKEN_HEADER]: `${bridge.token.slice(0, -1)}x` }, { method: 'setup.status', input: {} });
  for (const response of [missing, wrong]) {
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  }
  expect(received).toHaveLength(0);
});

test('a body over 2 MB is refused with 413', async () => {
  const huge = JSON.stringify({ method: 'auth.login', input: { login: 'a', password: 'x'.repeat(MAX_BODY_BYTES) } });
  const response = await raw({ method: 'POST', path: '/call', headers: { [TOKEN_HEADER]: bridge.token, 'content-type': 'application/json' }, body: huge });
  expect(response.status).toBe(413);
  expect(JSON.parse(response.body).error.message).toContain('больше 2 МБ');
  expect(received).toHaveLength(0);
});

test('a body that is not a call is refused with a Russian message', async () => {
  const response = await raw({ method: 'POST', path: '/call', headers: { [TOKEN_HEADER]: bridge.token }, body: '{"метод":' });
  expect(response.status).toBe(400);
  expect(JSON.parse(response.body).error).toMatchObject({ kind: 'validation', message: expect.stringContaining('Неверный запрос') });
  expect(received).toHaveLength(0);
});

test('the renderer is served, with a strict content security policy', async () => {
  const page = await raw({ path: '/' });
  expect(page.status).toBe(200);
  expect(page.body).toContain('<div id="root">');
  expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
  const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.body)?.[1];
  expect(script).toBeTruthy();
  const asset = await raw({ path: `/${script}` });
  expect(asset.status).toBe(200);
  expect(asset.headers['content-type']).toContain('javascript');
});

test('no file outside the renderer can be read', async () => {
  for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/..%5c..%5cpackage.json', '/%00index.html', '/%E0%A4%A']) {
    const response = await raw({ path });
    expect(response.status, path).toBe(404);
    expect(response.body, path).not.toContain('"name": "zhurnal"');
  }
});

test('another host name (DNS rebinding) is refused', async () => {
  const response = await raw({ path: '/', headers: { host: `evil.example:${bridge.port}` } });
  expect(response.status).toBe(403);
});

test('it listens on 127.0.0.1 only', async () => {
  const lanAddress = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
  test.skip(!lanAddress, 'this machine has no network address besides loopback');
  await expect(raw({ path: '/', host: lanAddress })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
});
