import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run';
import type { JournalSchool } from '../support/journal-fixture';
import { engines, startTestCore, type TestCore } from '../support/engines';
import { schoolWithJournal, tempDir } from './backup-helpers';
import { runJobDone } from '../support/jobs';

describe.each(engines)('the year-end archive on %s', (engine) => {
  let t: TestCore;
  let school: JournalSchool;
  let dir: string;
  beforeEach(async () => {
    t = await startTestCore(engine);
    school = await schoolWithJournal(t);
    dir = tempDir('zhurnal-archive-');
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the year in CSV and JSON with a schema and a signed manifest, without secrets', async () => {
    const job = await runJobDone(school.admin, 'backup.exportYear', { year: '2026/2027', to: dir });
    const folder = join(dir, 'zhurnal-archive-2026-2027');
    // A step per part, each class's journal its own; the year is still open, and it says so.
    expect(job.items.map((item) => [item.label, item.status])).toEqual([
      ['Чтение данных года', 'ok'],
      ['Таблицы CSV и JSON', 'ok'],
      ['Журнал 1А', 'ok'],
      ['Журнал 5А', 'ok'],
      ['Сводная ведомость', 'ok'],
      ['Оглавление и подпись', 'ok'],
    ]);
    expect(job).toMatchObject({ done: 6, total: 6, title: 'Архив учебного года 2026/2027', target: dir });
    expect(job.result).toContain(`Архив записан в ${folder}: файлов `);
    expect(job.result).toContain('Год ещё не закрыт: после закрытия года выгрузите архив ещё раз — этот не окончательный.');

    const marks = readFileSync(join(folder, 'csv', 'mark.csv'));
    expect([...marks.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // BOM: Excel reads UTF-8
    const lines = marks.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]!.split(';')).toEqual(expect.arrayContaining(['id', 'lesson_id', 'student_id', 'value']));
    const markCount = await t.core.store.db.selectFrom('mark').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(lines).toHaveLength(Number(markCount.n) + 1);
    expect(marks.toString('utf8')).toContain('"устно; у доски"');

    // Lessons' awkward text survives in JSON exactly.
    const lessons = JSON.parse(readFileSync(join(folder, 'json', 'lesson.json'), 'utf8')) as { topic: string }[];
    expect(lessons[0]!.topic).toBe('Дроби; часть 1 — «кавычки», "двойные" и перевод\nстроки 🙂');

    // Staff are there by name; their password hashes are not. The school's private key neither.
    const users = readFileSync(join(folder, 'csv', 'app_user.csv'), 'utf8');
    expect(users).toContain(school.math.fullName);
    expect(users).not.toContain('password_hash');
    expect(users).not.toContain('$argon2');
    expect(readFileSync(join(folder, 'csv', 'school.csv'), 'utf8')).not.toContain('PRIVATE KEY');
    expect(readFileSync(join(folder, 'schema.txt'), 'utf8')).toContain('mark — Текущие отметки');
    // The journals per class and the summary sheet as PDF (D-35, D-36).
    for (const pdf of ['journal-5А.pdf', 'journal-1А.pdf', 'summary-sheets.pdf']) {
      expect(readFileSync(join(folder, 'pdf', pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }

    // The manifest is signed with the school's key and lists every file's SHA-256.
    const manifestBytes = readFileSync(join(folder, 'manifest.json'));
    const key = createPublicKey(readFileSync(join(folder, 'public-key.pem'), 'utf8'));
    expect(verify(null, manifestBytes, key, readFileSync(join(folder, 'manifest.sig')))).toBe(true);
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as { files: { path: string; sha256: string }[]; year: { name: string } };
    expect(manifest.year.name).toBe('2026/2027');
    for (const file of manifest.files) {
      expect(createHash('sha256').update(readFileSync(join(folder, file.path))).digest('hex')).toBe(file.sha256);
    }
    expect((await school.admin.ok('backup.publicKey', {})).publicKeyPem).toBe(readFileSync(join(folder, 'public-key.pem'), 'utf8'));
  });

  it('an unknown year is refused; the CLI explains its arguments in Russian', async () => {
    const error = await school.admin.fails('backup.exportYear', { year: '1999/2000', to: dir });
    expect(error).toMatchObject({ kind: 'not_found', message: 'Учебный год 1999/2000 не найден в базе данных.' });
    const err: string[] = [];
    const code = await runCli(['export', '--db', t.url, '--to', dir], { out: () => {}, err: (l) => err.push(l), env: {}, askSecret: async () => null });
    expect(code).toBe(2);
    expect(err[0]).toContain('Не указан параметр --year');
  });
});
