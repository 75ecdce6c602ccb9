import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/app/core';
import { ZHURNAL_FROM_SOURCES } from '../support/cli';
import { freePort } from '../support/postgres-server';

// `zhurnal host`: the school's server in the foreground, as a system service runs it.

describe('zhurnal host', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'zhurnal-cli-host-'));
    // As root the server runs as a 'postgres' user, who must reach the folder.
    chmodSync(dir, 0o777);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('wrong arguments exit 2 with a Russian message', async () => {
    const child = spawn(process.execPath, [...ZHURNAL_FROM_SOURCES, 'host', '--data', dir, '--listen', '192.168.1.300', '--network', '192.168.1.0/24'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--listen: Укажите IPv4-адрес, например 192.168.1.10');
  });

  it('runs the server until stopped; other PCs connect with the application role, and a stop exits 0', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [...ZHURNAL_FROM_SOURCES, 'host', '--data', dir, '--listen', '127.0.0.1', '--network', '127.0.0.1/32', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('Остановить:')) resolve();
      });
      void exited.then((code) => reject(new Error(`zhurnal host exited ${code}: ${stderr}`)));
    });
    expect(stdout).toContain(`Сервер базы данных школы запущен: 127.0.0.1:${port}`);
    expect(stdout).toContain('Пользователь:  zhurnal_app');
    // Not a terminal (a service's log): the password is not printed, the file is named.
    expect(stdout).toContain(`в файле ${join(dir, 'postgres-credentials.json')}`);
    const { appPassword } = JSON.parse(readFileSync(join(dir, 'postgres-credentials.json'), 'utf8')) as { appPassword: string };
    expect(stdout).not.toContain(appPassword);

    const other = await createCore({ databaseUrl: `postgres://zhurnal_app:${encodeURIComponent(appPassword)}@127.0.0.1:${port}/zhurnal` });
    try {
      expect(await other.call({ method: 'setup.status', input: {} })).toMatchObject({ ok: true, value: { initialized: false } });
    } finally {
      await other.close();
    }

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('Сервер базы данных остановлен.');
  });
});
