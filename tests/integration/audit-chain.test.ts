import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreBackupFile } from '../../src-main/backup/restore';
import { createCore, type Core } from '../../src-main/app/core';
import { sql } from '../../src-main/store/database';
import { ADMIN, signIn } from '../support/client';
import { engines, freshDatabase, TestClock } from '../support/engines';
import { BACKUP_PASSWORD } from './backup-helpers';

// Migration 0009 changed how a new audit record is hashed (on PostgreSQL the hash is finished
// inside the statement that appends the record). A school that upgrades keeps its older
// records as they were: both kinds must verify, and tampering with either must be found.

const FIXTURE = fileURLToPath(new URL('../fixtures/backup/format-1.zhb', import.meta.url));

describe.each(engines)('audit chain across the hash schemes on %s', (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function upgradedSchool(): Promise<Core> {
    // A school whose audit was written before 0009 (the backup fixture, migrations to 0007).
    const database = await freshDatabase(engine);
    cleanups.push(database.drop);
    await restoreBackupFile(FIXTURE, BACKUP_PASSWORD, database.url);
    const core = await createCore({ databaseUrl: database.url, now: new TestClock().now });
    cleanups.push(() => core.close());
    return core;
  }

  it('older and newer records verify together, and an edit of either is reported by number', async () => {
    const core = await upgradedSchool();
    const admin = await signIn(core, ADMIN.login, ADMIN.password);
    await admin.ok('accounts.create', { login: 'novikova', fullName: 'Новикова Ирина Львовна', roles: ['teacher'], temporaryPassword: 'Временный-2' });
    await admin.ok('accounts.create', { login: 'fomin', fullName: 'Фомин Олег Ильич', roles: ['teacher'], temporaryPassword: 'Временный-3' });

    const db = core.store.db;
    const records = await db.selectFrom('audit_log').select(['id', 'hash_scheme', 'reason', 'after_json']).orderBy('id').execute();
    const older = records.filter((r) => r.hash_scheme === 1);
    const newer = records.filter((r) => r.hash_scheme === 2);
    expect(older.length).toBeGreaterThan(10);
    expect(newer.length).toBeGreaterThanOrEqual(2);
    expect(await admin.ok('audit.verify', {})).toMatchObject({ ok: true, checked: records.length });

    const expectReported = async (id: number) => {
      const verdict = await admin.ok('audit.verify', {});
      expect(verdict.ok).toBe(false);
      expect(verdict.firstBroken).toEqual({ id, reason: `запись № ${id} изменена после создания` });
    };
    const olderOne = older[3]!;
    await db.updateTable('audit_log').set({ reason: 'исправлено задним числом' }).where('id', '=', olderOne.id).execute();
    await expectReported(olderOne.id);
    await db.updateTable('audit_log').set({ reason: olderOne.reason }).where('id', '=', olderOne.id).execute();

    const newerOne = newer[0]!;
    await db.updateTable('audit_log').set({ after_json: '{"login":"podmena"}' }).where('id', '=', newerOne.id).execute();
    await expectReported(newerOne.id);
    await db.updateTable('audit_log').set({ after_json: newerOne.after_json }).where('id', '=', newerOne.id).execute();

    // Claiming the older scheme for a newer record does not pass either.
    await sql`update audit_log set hash_scheme = 1 where id = ${newerOne.id}`.execute(db);
    await expectReported(newerOne.id);
    await sql`update audit_log set hash_scheme = 2 where id = ${newerOne.id}`.execute(db);

    expect(await admin.ok('audit.verify', {})).toMatchObject({ ok: true, checked: records.length });
  });
});
