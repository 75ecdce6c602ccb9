import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBackupAnchor, restoreBackupFile } from '../../src-main/backup/restore';
import { createCore } from '../../src-main/app/core';
import { runCli } from '../../src-main/cli/run';
import { MemorySecretStore } from '../../src-main/settings/secret-store';
import { ADMIN, signIn, TestSession } from '../support/client';
import { engines, freshDatabase, startTestCore, type TestCore } from '../support/engines';
import { BACKUP_PASSWORD, backupNow, tempDir } from './backup-helpers';
import { runJob } from '../support/jobs';

// D-39: a backup signed by another school's key must not replace this school's data
// unnoticed — neither through the admin screen's restore nor from the command line — and
// verify must say whose key signed it.

const OTHER_SCHOOL = 'МБОУ «Гимназия № 3»';

async function schoolNamed(t: TestCore, name: string): Promise<TestSession> {
  await new TestSession(t.core).ok('setup.createSchool', { schoolName: name, timeZone: 'Asia/Tomsk', adminLogin: ADMIN.login, adminFullName: ADMIN.fullName, adminPassword: ADMIN.password });
  const admin = await signIn(t.core, ADMIN.login, ADMIN.password);
  await admin.ok('backup.setPassword', { newPassword: BACKUP_PASSWORD });
  return admin;
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (line) => out.push(line), err: (line) => err.push(line), env: { ...env }, askSecret: async () => null });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe.each(engines)('another school\'s backup on %s', (engine) => {
  let ours: TestCore;
  let theirs: TestCore;
  let admin: TestSession;
  let ourFile: string;
  let theirFile: string;
  const dir = tempDir();
  const drops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    ours = await startTestCore(engine, { secrets: new MemorySecretStore() });
    theirs = await startTestCore(engine);
    admin = await schoolNamed(ours, 'МАОУ «Средняя общеобразовательная школа № 7»');
    const theirAdmin = await schoolNamed(theirs, OTHER_SCHOOL);
    ourFile = (await backupNow(admin, join(dir, 'ours'))).files[0]!;
    theirFile = (await backupNow(theirAdmin, join(dir, 'theirs'))).files[0]!;
  }, 300_000);
  afterAll(async () => {
    for (const drop of drops) await drop();
    await ours?.close();
    await theirs?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function target() {
    const database = await freshDatabase(engine);
    drops.push(database.drop);
    return { url: database.url, spec: engine === 'sqlite' ? { kind: 'sqlite' as const, path: database.url } : { kind: 'postgres' as const, url: database.url } };
  }

  const tablesIn = async (url: string) => {
    if (engine === 'sqlite') return existsSync(url) ? 'есть файл' : 'нет файла';
    const { openStore, sql } = await import('../../src-main/store/database');
    const store = await openStore(url);
    try {
      return (await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public'`.execute(store.db)).rows[0]!.n;
    } finally {
      await store.close();
    }
  };

  it('the admin screen shows the other school and refuses to restore it unless that school is confirmed by name', async () => {
    const inspected = await admin.ok('backup.inspect', { file: theirFile });
    expect(inspected).toMatchObject({ schoolName: OTHER_SCHOOL, signedByThisSchool: false });
    expect((await admin.ok('backup.inspect', { file: ourFile })).signedByThisSchool).toBe(true);

    const before = (await admin.ok('audit.list', { limit: 1 }))[0]!.id;
    const into = await target();
    const refused = await admin.fails('backup.restore', { file: theirFile, password: BACKUP_PASSWORD, target: into.spec });
    expect(refused.kind).toBe('conflict');
    expect(refused.message).toContain(`Копия подписана ключом другой школы — «${OTHER_SCHOOL}»`);
    expect(refused.details).toMatchObject({ reason: 'foreignSchool', schoolName: OTHER_SCHOOL });
    const wrongName = await admin.fails('backup.restore', { file: theirFile, password: BACKUP_PASSWORD, target: into.spec, confirmOtherSchool: 'Школа № 7' });
    expect(wrongName.kind).toBe('conflict');
    // Nothing was made and nothing audited.
    expect(await tablesIn(into.url)).toBe(engine === 'sqlite' ? 'нет файла' : 0);
    expect((await admin.ok('audit.list', { limit: 1 }))[0]!.id).toBe(before);

    const restored = await runJob(admin, 'backup.restore', { file: theirFile, password: BACKUP_PASSWORD, target: into.spec, confirmOtherSchool: OTHER_SCHOOL });
    expect(restored).toMatchObject({ state: 'done', error: null });
    const audit = await admin.ok('audit.list', { entity: 'backup' });
    expect(audit[0]).toMatchObject({ action: 'backup.restore', after: expect.objectContaining({ otherSchool: OTHER_SCHOOL }) });
  });

  it('the command line: verify names the foreign signer, restore needs --other-school', async () => {
    const verified = await cli(['verify', theirFile, '--db', ours.url]);
    expect(verified.code).toBe(1);
    expect(verified.err).toContain(`Копия подписана ключом другой школы — «${OTHER_SCHOOL}»`);
    expect((await cli(['verify', ourFile, '--db', ours.url])).code).toBe(0);

    if (engine !== 'sqlite') return; // --replace (a school in the target) is SQLite's
    const env = { ZHURNAL_BACKUP_PASSWORD: BACKUP_PASSWORD };
    const copy = await target();
    expect((await cli(['restore', ourFile, '--db', copy.url], env)).code).toBe(0);
    const files = () => readdirSync(join(copy.url, '..')).sort();
    const before = files();
    const refused = await cli(['restore', theirFile, '--db', copy.url, '--replace'], env);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`«${OTHER_SCHOOL}»`);
    expect(files()).toEqual(before); // no safety copy, no temporary file: nothing changed
    const confirmed = await cli(['restore', theirFile, '--db', copy.url, '--replace', '--other-school', OTHER_SCHOOL], env);
    expect(confirmed.code).toBe(0);
    expect(confirmed.out).toContain(`Школа: ${OTHER_SCHOOL}`);
  });

  it('the signing key is not kept in plain text, and the backup\'s manifest anchors the history', async () => {
    const school = await ours.core.store.db.selectFrom('school').select('signing_key_private').executeTakeFirstOrThrow();
    expect(school.signing_key_private).toMatch(/^wrapped1:[0-9a-f]{16}:/);
    expect(school.signing_key_private).not.toContain('PRIVATE KEY');

    expect((await cli(['audit', 'verify', '--db', ours.url, '--backup', ourFile])).out).toContain('Сверено с метками вне базы: 1.');
    // Cut a chain back past the record the backup named as its head, and move the head back.
    const db = ours.core.store.db;
    const [chain, anchoredId] = (await readBackupAnchor(ourFile)).heads.find(([, id]) => id > 0)!;
    const newest = await db.selectFrom('audit_log').selectAll().where('id', '=', anchoredId).executeTakeFirstOrThrow();
    await db.deleteFrom('audit_log').where('chain', '=', chain).where('id', '>=', anchoredId).execute();
    await db.updateTable('audit_head').set({ last_id: newest.prev_id, last_hash: newest.prev_hash }).where('id', '=', chain).execute();
    const truncated = await cli(['audit', 'verify', '--db', ours.url, '--backup', ourFile]);
    expect(truncated.code).toBe(1);
    expect(truncated.err).toContain(`запись № ${newest.id} отсутствует (удалена): она была в журнале изменений по метке «резервная копия ${ourFile.split('/').at(-1)}`);
  });
  it('a password-protected backup carries the school\'s audit key: restored on a new PC, that PC holds it and can sign', async () => {
    const keyId = (await ours.core.store.db.selectFrom('school').select('audit_key_id').executeTakeFirstOrThrow()).audit_key_id;
    expect(keyId).not.toBeNull();
    const newPc = new MemorySecretStore();
    expect(newPc.get(`audit-key:${keyId}`)).toBeNull();
    const into = await target();
    const report = await restoreBackupFile(ourFile, BACKUP_PASSWORD, into.url, { secrets: newPc });
    expect(report.auditKeyKept).toBe(true);
    expect(newPc.get(`audit-key:${keyId}`)).not.toBeNull();

    // A core opened on the restored database with that PC's secrets writes keyed records:
    // it can take a backup signed by the school (a PC without the key cannot).
    const restored = await createCore({ databaseUrl: into.url, now: ours.clock.now, secrets: newPc });
    try {
      const again = await signIn(restored, ADMIN.login, ADMIN.password);
      expect(await again.ok('audit.keyStatus', {})).toMatchObject({ schoolHasKey: true, onThisPc: true });
      const made = await backupNow(again, join(dir, 'restored'));
      expect(made.files).toHaveLength(1);
      expect((await again.ok('backup.inspect', { file: made.files[0]! })).signedByThisSchool).toBe(true);
    } finally {
      await restored.close();
    }
  });
});
