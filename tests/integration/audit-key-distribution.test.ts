import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phraseOf } from '../../src-main/audit/phrase';
import { createCore, type Core } from '../../src-main/app/core';
import { MemorySecretStore } from '../../src-main/settings/secret-store';
import { ADMIN, signIn, TestSession } from '../support/client';
import { engines, newestAuditId, startTestCore, type TestCore } from '../support/engines';
import { buildJournalSchool, PASSWORD, tomsk, type JournalSchool } from '../support/journal-fixture';

// D-26 on a LAN school: the first PC made the school's audit key; the administrator carries
// it to another PC with the recovery phrase. A PC given the phrase writes records that audit
// verify accepts; a wrong phrase is refused and changes nothing; a PC without the key says
// so, and what it writes is named by audit verify.

/** The school's key as a PC keeps it (the secret store's entry for the key id), or null. */
const keptKey = (secrets: MemorySecretStore, keyId: string | null) => secrets.get(`audit-key:${keyId}`);

describe.each(engines)('the audit key carried to another PC on %s', (engine) => {
  let t: TestCore;
  let s: JournalSchool;
  let lessonId: number;
  const others: Core[] = [];

  /** Another PC: a core of its own on the same database, with its own secret store. */
  async function anotherPc(secrets: MemorySecretStore): Promise<{ nobody: TestSession; signIn(login: 'admin' | 'math'): Promise<TestSession> }> {
    const core = await createCore({ databaseUrl: t.url, now: t.clock.now, secrets, poolSize: 2 });
    others.push(core);
    return {
      nobody: new TestSession(core),
      signIn: (login) => (login === 'admin' ? signIn(core, ADMIN.login, ADMIN.password) : signIn(core, s.math.login, PASSWORD)),
    };
  }

  beforeAll(async () => {
    t = await startTestCore(engine, { secrets: new MemorySecretStore() });
    s = await buildJournalSchool(t);
    await s.travel(tomsk('2026-10-14 10:00'));
    lessonId = (await s.math.session.ok('journal.saveLesson', { loadId: s.loads.math5A, date: '2026-10-14', topic: 'Дроби' })).id;
    await s.math.session.ok('journal.saveMark', { lessonId, studentId: s.students.belova, value: '3', workTypeId: s.workTypes.oral });
  }, 300_000);
  afterAll(async () => {
    for (const core of others) await core.close();
    await t?.close();
  });

  const schoolKeyId = async () => (await t.core.store.db.selectFrom('school').select('audit_key_id').executeTakeFirstOrThrow()).audit_key_id;

  it('a PC given the phrase writes records audit verify accepts; a wrong phrase is refused and changes nothing', async () => {
    const slip = await s.admin.ok('audit.keyPhrase', {});
    expect(slip.phrase).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){10}[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(slip.keyFile).toContain(slip.phrase);
    expect(slip.keyFile).toContain(`Школа: ${slip.schoolName}`);

    const secrets = new MemorySecretStore();
    const pc2 = await anotherPc(secrets);
    // At the new PC, before anyone signs in there (a sign-in is recorded too).
    expect(await pc2.nobody.ok('audit.keyStatus', {})).toEqual({ schoolHasKey: true, onThisPc: false, canHold: true });

    // A typo (one group's character changed) and another school's key: refused in Russian.
    const before = await newestAuditId(t);
    const typo = slip.phrase.slice(0, 6) + (slip.phrase[6] === '7' ? '8' : '7') + slip.phrase.slice(7);
    const typoError = await pc2.nobody.fails('audit.keyEnter', { phrase: typo });
    expect(typoError).toMatchObject({ kind: 'validation', message: 'Фраза ключа набрана с ошибкой (не сходится контрольная сумма). Сверьте каждую группу с листком.' });
    const foreign = await pc2.nobody.fails('audit.keyEnter', { phrase: phraseOf(randomBytes(32)) });
    expect(foreign).toMatchObject({ kind: 'validation', message: 'Эта фраза — не ключ журнала изменений этой школы (другой школы или набрана не та). Ничего не изменено.' });
    const short = await pc2.nobody.fails('audit.keyEnter', { phrase: slip.phrase.slice(0, 20) });
    expect(short.message).toBe('Фраза ключа — 55 букв и цифр (11 групп по 5), а введено 17. Проверьте, что она переписана целиком.');
    expect(await newestAuditId(t)).toBe(before);
    expect(keptKey(secrets, await schoolKeyId())).toBeNull();
    expect(await pc2.nobody.ok('audit.keyStatus', {})).toEqual({ schoolHasKey: true, onThisPc: false, canHold: true });

    // Typed from the slip in lower case with spaces: accepted, kept on this PC only.
    const typed = slip.phrase.toLowerCase().replaceAll('-', ' ');
    expect(await pc2.nobody.ok('audit.keyEnter', { phrase: typed })).toEqual({ schoolHasKey: true, onThisPc: true, canHold: true });
    expect(Buffer.from(keptKey(secrets, await schoolKeyId())!, 'base64')).toHaveLength(32);

    // The teacher's save on this PC is keyed with the school's key, and the history is whole.
    const teacher2 = await pc2.signIn('math');
    const mark = await teacher2.ok('journal.saveMark', { lessonId, studentId: s.students.volkov, value: '5', workTypeId: s.workTypes.oral });
    const record = await t.core.store.db
      .selectFrom('audit_log').select(['id', 'hash_scheme', 'key_id']).where('entity', '=', 'mark').where('entity_id', '=', `${lessonId}:${s.students.volkov}`)
      .orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(mark.value).toBe('5');
    expect(record).toMatchObject({ hash_scheme: 3, key_id: await schoolKeyId() });
    expect(await s.admin.ok('audit.verify', {})).toMatchObject({ ok: true, keyChecked: true, findings: [] });
  });

  it('a PC without the key says so, and what it writes is named by audit verify', async () => {
    const pc3 = await anotherPc(new MemorySecretStore());
    expect(await pc3.nobody.ok('audit.keyStatus', {})).toEqual({ schoolHasKey: true, onThisPc: false, canHold: true });
    const before = await newestAuditId(t);
    // The journal keeps working here; its records (the sign-in first) are unkeyed.
    const teacher3 = await pc3.signIn('math');
    await teacher3.ok('journal.saveMark', { lessonId, studentId: s.students.alekseev, value: '4', workTypeId: s.workTypes.oral });
    const id = before + 1;
    expect(await newestAuditId(t)).toBeGreaterThan(id);
    const verdict = await s.admin.ok('audit.verify', {});
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toEqual({ id, reason: `запись № ${id} добавлена без ключа журнала изменений школы (на компьютере, где ключа нет, или в обход программы)` });
    // It cannot sign a backup either: the signing key is wrapped with the audit key.
    expect((await (await pc3.signIn('admin')).fails('audit.keyPhrase', {})).message).toBe('На этом компьютере нет ключа журнала изменений школы: покажите фразу на компьютере, где он есть, или введите её здесь.');
  });
});
