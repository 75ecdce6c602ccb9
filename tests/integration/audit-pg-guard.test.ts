import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/app/core';
import { grantApplicationRole } from '../../src-main/lan/privileges';
import { MemorySecretStore } from '../../src-main/settings/secret-store';
import { signIn } from '../support/client';
import { newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, PASSWORD, tomsk, type JournalSchool } from '../support/journal-fixture';

// On PostgreSQL the staff PCs connect as the application role, which may write the
// journal's tables. A write made with a plain client (psql) and no audit record in the same
// transaction is refused at commit; the app's own saves, as that role, go through. On
// SQLite there is no role to hold back: there audit verify's state check finds such a
// write (tests/integration/audit-tamper.test.ts).

const REFUSED = 'Изменение журнала без записи в журнале изменений отклонено: отметки, пропуски, уроки и итоговые отметки меняются только через «Журнал».';

describe('writes outside the app on postgres', () => {
  let t: TestCore;
  let s: JournalSchool;
  let appCore: Core;
  let appUrl: string;
  let lessonId: number;
  let markId: number;

  /** A psql-like session as the application role: runs `statements` in one transaction. */
  async function asAppRole(statements: string[]): Promise<string | null> {
    const client = new pg.Client({ connectionString: appUrl });
    await client.connect();
    try {
      await client.query('begin');
      for (const statement of statements) await client.query(statement);
      await client.query('commit');
      return null;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      return (error as Error).message;
    } finally {
      await client.end();
    }
  }

  const markValue = async () => (await t.core.store.db.selectFrom('mark').select('value').where('id', '=', markId).executeTakeFirstOrThrow()).value;

  beforeAll(async () => {
    const secrets = new MemorySecretStore();
    t = await startTestCore('postgres', { secrets });
    s = await buildJournalSchool(t);
    await s.travel(tomsk('2026-10-14 10:00'));
    const role = { name: `zhurnal_app_${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('hex') };
    await grantApplicationRole(t.url, role);
    const url = new URL(t.url);
    url.username = role.name;
    url.password = role.password;
    appUrl = url.toString();
    // A staff PC: the app as the application role, with the school's key.
    appCore = await createCore({ databaseUrl: appUrl, now: t.clock.now, secrets, poolSize: 2 });
    const teacher = await signIn(appCore, s.math.login, PASSWORD);
    lessonId = (await teacher.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', topic: 'Дроби' })).id;
    markId = (await teacher.ok('journal.saveMark', { lessonId, studentId: s.students.belova, value: '3', workTypeId: s.workTypes.oral })).id;
    await teacher.ok('journal.setAttendance', { lessonId, studentId: s.students.volkov, code: 'ОТ', version: 0 });
  }, 300_000);
  afterAll(async () => {
    await appCore?.close();
    await t?.close();
  });

  it('the app, as the application role, saves lessons, marks and absences', async () => {
    expect(await markValue()).toBe('3');
    expect(await s.admin.ok('audit.verify', {})).toMatchObject({ ok: true, findings: [] });
  });

  it('a raw UPDATE of a mark, a DELETE of an absence and a forged token are refused; nothing changes', async () => {
    const before = await newestAuditId(t);
    expect(await asAppRole([`update mark set value = '5' where id = ${markId}`])).toBe(REFUSED);
    expect(await asAppRole([`delete from attendance where lesson_id = ${lessonId}`])).toBe(REFUSED);
    expect(await asAppRole([`update lesson set topic = 'Другая' where id = ${lessonId}`])).toBe(REFUSED);
    expect(await asAppRole([`set local zhurnal.audit_token = 'anything'`, `update mark set value = '5' where id = ${markId}`])).toBe(REFUSED);
    // The guard's secret and its bookkeeping are out of the role's reach.
    expect(await asAppRole(['select secret from zhurnal_guard.secret'])).toMatch(/permission denied/);
    expect(await markValue()).toBe('3');
    expect(await t.core.store.db.selectFrom('attendance').select('code').where('lesson_id', '=', lessonId).execute()).toEqual([{ code: 'ОТ' }]);
    expect(await newestAuditId(t)).toBe(before);
    expect(await s.admin.ok('audit.verify', {})).toMatchObject({ ok: true, findings: [] });
  });

  it('a write that slips in a record of its own gets through the guard, and audit verify names that record', async () => {
    const id = (await newestAuditId(t)) + 1000;
    const message = await asAppRole([
      `insert into audit_log (id, chain, prev_id, prev_hash, hash, hash_scheme, at, user_id, action, entity, entity_id, after_json)
       values (${id}, 1, 0, 'x', 'x', 2, '2026-10-14T04:00:00.000Z', null, 'mark.save', 'mark', '${lessonId}:${s.students.belova}', '{"value":"5"}')`,
      `update mark set value = '5' where id = ${markId}`,
    ]);
    expect(message).toBeNull();
    const verdict = await s.admin.ok('audit.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toEqual({ id, reason: `запись № ${id} не входит ни в одну цепочку (вписана в обход программы)` });
  });
});
