import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/app/core';
import { prepareApplicationRole, startHost, type RunningHost } from '../../src-main/lan/host';
import { createSchoolAndSignIn } from '../support/client';
import { freePort } from '../support/postgres-server';

describe('this PC as the host of the school database', () => {
  let dataDir: string;
  let host: RunningHost;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'zhurnal-host-'));
    chmodSync(dataDir, 0o777);
    host = await startHost({ dataDir, listenAddress: '127.0.0.1', allowedNetwork: '127.0.0.1/32', port: await freePort(), createSystemUser: true });
    // The owner applies the migrations (with the administrator's consent), then grants the app role.
    const ownerCore = await createCore({ databaseUrl: host.ownerUrl });
    await ownerCore.close();
    await prepareApplicationRole(host, dataDir);
  });

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('staff PCs work through the least-privilege role', async () => {
    expect(host.appUrl).toMatch(/^postgres:\/\/zhurnal_app:.+@127\.0\.0\.1:\d+\/zhurnal$/);
    const core = await createCore({ databaseUrl: host.appUrl });
    try {
      const admin = await createSchoolAndSignIn(core);
      await admin.ok('accounts.create', { login: 'teacher', fullName: 'Учитель Иван Иванович', roles: ['teacher'], temporaryPassword: 'Времен-123' });
      expect((await admin.ok('audit.verify', {})).ok).toBe(true);
    } finally {
      await core.close();
    }
  });

  it('D-26: the application role can only append to the audit log, never rewrite or delete it', async () => {
    const client = new pg.Client({ connectionString: host.appUrl });
    await client.connect();
    try {
      await expect(client.query(`update audit_log set reason = 'подделка' where id = 1`)).rejects.toThrow(/permission denied/);
      await expect(client.query('delete from audit_log')).rejects.toThrow(/permission denied/);
      await expect(client.query('drop table audit_log')).rejects.toThrow(/must be owner/);
      await expect(client.query('create table intruder (id int)')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });

  it('the cluster and its passwords survive a restart of the host PC', async () => {
    const before = host.appUrl;
    await host.stop();
    host = await startHost({ dataDir, listenAddress: '127.0.0.1', allowedNetwork: '127.0.0.1/32', port: host.port, createSystemUser: true });
    expect(host.appUrl).toBe(before);
    const core = await createCore({ databaseUrl: host.appUrl });
    try {
      const status = await core.call({ method: 'setup.status', input: {} });
      expect(status).toMatchObject({ ok: true, value: { initialized: true } });
    } finally {
      await core.close();
    }
  });
});
