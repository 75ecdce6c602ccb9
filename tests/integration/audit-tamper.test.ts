import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ANCHOR_FILE } from '../../src-main/audit/anchors';
import { GENESIS_HASH, hashRecord } from '../../src-main/audit/chain';
import { MemorySecretStore } from '../../src-main/settings/secret-store';
import { sql, type Db } from '../../src-main/store/database';
import type { MethodOutput } from '../../src-shared/contract/index';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, tomsk, type JournalSchool } from '../support/journal-fixture';

// D-26: someone with write access to the database (the SQLite file, or the server as its
// owner) tries to rewrite the history. Each attack is made with raw SQL on the database the
// app uses; audit verify must find it and say where.

type Verdict = MethodOutput<'audit.verify'>;

/** What an attacker without the audit key can do: re-chain every record with the unkeyed scheme. */
async function rechainWithoutKey(db: Db): Promise<void> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
  const last = new Map<number, { id: number; hash: string }>();
  for (const row of rows) {
    const prev = last.get(row.chain) ?? { id: 0, hash: GENESIS_HASH };
    const forged = { ...row, prev_id: prev.id, prev_hash: prev.hash, hash_scheme: 2, key_id: null };
    const hash = hashRecord(forged);
    await db.updateTable('audit_log').set({ prev_id: prev.id, prev_hash: prev.hash, hash_scheme: 2, key_id: null, hash }).where('id', '=', row.id).execute();
    last.set(row.chain, { id: row.id, hash });
  }
  for (const [chain, head] of last) await db.updateTable('audit_head').set({ last_id: head.id, last_hash: head.hash }).where('id', '=', chain).execute();
}

describe.each(engines)('tampering with the history on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  let pcDir: string;
  let lessonId: number;
  let markId: number;

  // One school per engine; each attack is undone afterwards from a copy of the rows it touches.
  const TOUCHED = ['audit_log', 'audit_head', 'mark', 'attendance'] as const;
  const saved = new Map<string, Record<string, unknown>[]>();

  beforeAll(async () => {
    pcDir = mkdtempSync(join(tmpdir(), 'zhurnal-pc-'));
    t = await startTestCore(engine, { secrets: new MemorySecretStore(), pcDir });
    s = await buildJournalSchool(t);
    await s.travel(tomsk('2026-10-14 10:00'));
    const lesson = await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', topic: 'Дроби' });
    lessonId = lesson.id;
    const mark = await s.math.session.ok('journal.saveMark', { lessonId, studentId: s.students.belova, value: '3', workTypeId: s.workTypes.oral });
    markId = mark.id;
    await s.math.session.ok('journal.saveMark', { lessonId, studentId: s.students.belova, markId, version: mark.version, value: '4', workTypeId: s.workTypes.oral });
    await s.math.session.ok('journal.setAttendance', { lessonId, studentId: s.students.volkov, code: 'ОТ', version: 0 });
    // The history is whole and anchored on this PC.
    const verdict = await s.admin.ok('audit.verify', {});
    expect(verdict).toMatchObject({ ok: true, keyChecked: true, findings: [] });
    expect(readFileSync(join(pcDir, ANCHOR_FILE), 'utf8').trim().split('\n').length).toBeGreaterThanOrEqual(1);
    for (const table of TOUCHED) saved.set(table, (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.core.store.db)).rows);
  }, 300_000);
  afterEach(async () => {
    for (const table of TOUCHED) {
      await sql`delete from ${sql.table(table)}`.execute(t.core.store.db);
      const rows = saved.get(table)!;
      if (rows.length > 0) await t.core.store.db.insertInto(table as never).values(rows as never).execute();
    }
    expect((await s.admin.ok('audit.verify', {})).ok).toBe(true);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(pcDir, { recursive: true, force: true });
  });

  const db = () => t.core.store.db;
  const verify = () => s.admin.ok('audit.verify', {}) as Promise<Verdict>;
  const markRecord = async (value: string) => {
    const rows = await db().selectFrom('audit_log').select(['id', 'after_json']).where('entity', '=', 'mark').where('entity_id', '=', `${lessonId}:${s.students.belova}`).orderBy('id').execute();
    return rows.find((r) => JSON.parse(r.after_json!).value === value)!;
  };

  it('new records are keyed with the school key, which is not in the database', async () => {
    const records = await db().selectFrom('audit_log').select(['hash_scheme', 'key_id']).execute();
    const school = await db().selectFrom('school').selectAll().executeTakeFirstOrThrow();
    expect(school.audit_key_id).toMatch(/^[0-9a-f]{16}$/);
    expect(records.filter((r) => r.hash_scheme === 3).length).toBeGreaterThan(5);
    expect(records.every((r) => r.hash_scheme !== 3 || r.key_id === school.audit_key_id)).toBe(true);
  });

  it('a mark changed together with its record, every hash recomputed, is found', async () => {
    const record = await markRecord('4');
    await sql`update mark set value = '5' where id = ${markId}`.execute(db());
    await sql`update audit_log set after_json = ${record.after_json!.replace('"value":"4"', '"value":"5"')} where id = ${record.id}`.execute(db());
    await rechainWithoutKey(db());

    const verdict = await verify();
    expect(verdict.ok).toBe(false);
    // Every record now chains without the key, so the chain alone looks whole: the anchor on this PC does not match.
    expect(verdict.findings).toContainEqual(expect.stringMatching(/^запись № \d+ не совпадает с меткой «файл меток этого компьютера, \d\d\.\d\d\.2026 \d\d:\d\d \(UTC\)»: изменена одна из записей/));
  });

  it('a mark changed and its record re-hashed without the key, the rest left keyed, is named by number', async () => {
    const record = await markRecord('4');
    await sql`update mark set value = '5' where id = ${markId}`.execute(db());
    const edited = record.after_json!.replace('"value":"4"', '"value":"5"');
    await sql`update audit_log set after_json = ${edited} where id = ${record.id}`.execute(db());
    const verdict = await verify();
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toEqual({ id: record.id, reason: `запись № ${record.id} изменена после создания` });
  });

  it('the newest records deleted and the heads moved back are named as missing', async () => {
    const newest = await db().selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(3).execute();
    for (const record of newest) {
      await sql`delete from audit_log where id = ${record.id}`.execute(db());
      await sql`update audit_head set last_id = ${record.prev_id}, last_hash = ${record.prev_hash} where id = ${record.chain}`.execute(db());
    }
    const verdict = await verify();
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toBeUndefined(); // what is left is a whole chain …
    // … but this PC's anchor named a record that is gone.
    expect(verdict.findings.some((f) => new RegExp(`^запись № ${newest[0]!.id} отсутствует \\(удалена\\)`).test(f))).toBe(true);
  });

  it('a record appended under another person\'s name without the key is refused as forged', async () => {
    const head = (await db().selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow());
    const id = ((await db().selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id ?? 0) + 1000;
    const forged = {
      id, chain: 1, prev_id: head.last_id, prev_hash: head.last_hash, hash_scheme: 2, key_id: null,
      at: '2026-10-14T04:00:00.000Z', user_id: s.deputy.id, action: 'change.approve', entity: 'change_request', entity_id: '1',
      before_json: null, after_json: '{"status":"approved"}', reason: 'задним числом',
    };
    const hash = hashRecord(forged);
    await db().insertInto('audit_log').values({ ...forged, hash }).execute();
    await db().updateTable('audit_head').set({ last_id: id, last_hash: hash }).where('id', '=', 1).execute();
    const unkeyed = await verify();
    expect(unkeyed.ok).toBe(false);
    expect(unkeyed.firstBroken).toEqual({ id, reason: `запись № ${id} добавлена без ключа журнала изменений школы (на компьютере, где ключа нет, или в обход программы)` });

    // Claiming the keyed scheme with a key of one's own does not pass either.
    await sql`update audit_log set hash_scheme = 3, key_id = ${'0123456789abcdef'} where id = ${id}`.execute(db());
    expect((await verify()).firstBroken).toEqual({ id, reason: `запись № ${id} подписана не ключом журнала изменений этой школы (подделана или вписана в обход программы)` });
  });

  it('a direct UPDATE of a mark and DELETE of an absence, with no record, are found and named', async () => {
    await sql`update mark set value = '5' where id = ${markId}`.execute(db());
    await sql`delete from attendance where lesson_id = ${lessonId} and student_id = ${s.students.volkov}`.execute(db());
    const verdict = await verify();
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toBeUndefined();
    expect(verdict.findings).toEqual([
      `Белова Дарья, 5А, Математика, урок 14.10.2026: отметка «5» не совпадает с журналом изменений: там «4» (запись № ${(await markRecord('4')).id})`,
      expect.stringMatching(/^Волков [^,]+, 5А, Математика, урок 14\.10\.2026: пропуск «ОТ» снят, но в журнале изменений об этом нет записи \(последняя — № \d+\)$/),
    ]);
  });
});
