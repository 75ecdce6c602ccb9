import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../src-main/app/core';
import type { Engine } from '../../src-main/store/database';

export const engines: Engine[] = ['sqlite', 'postgres'];

let counter = 0;

/** A new, empty database on the engine; removed by the returned cleanup. */
export async function freshDatabase(engine: Engine): Promise<{ url: string; drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'zhurnal-test-'));
    return { url: join(dir, 'zhurnal.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const adminUrl = inject('postgresAdminUrl');
  const name = `zt_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A clock tests can move: the core reads time only through it. */
export class TestClock {
  constructor(private current: Date = new Date('2026-10-14T07:30:00.000Z')) {}
  now = (): Date => new Date(this.current);
  set(iso: string) {
    this.current = new Date(iso);
  }
  advanceMinutes(minutes: number) {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
  advanceSeconds(seconds: number) {
    this.current = new Date(this.current.getTime() + seconds * 1_000);
  }
}

export interface TestCore {
  core: Core;
  clock: TestClock;
  url: string;
  close(): Promise<void>;
}

export async function startTestCore(engine: Engine, options: Partial<CoreOptions> = {}): Promise<TestCore> {
  const database = await freshDatabase(engine);
  const clock = new TestClock();
  const core = await createCore({ databaseUrl: database.url, now: clock.now, logError: (e) => console.error(e), ...options });
  return {
    core,
    clock,
    url: database.url,
    async close() {
      await core.close();
      await database.drop();
    },
  };
}

/** The newest audit record's id: unchanged means nothing was written. */
export async function newestAuditId(t: TestCore): Promise<number> {
  const row = await t.core.store.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return row?.id ?? 0;
}
