import { existsSync, readdirSync } from 'node:fs';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreBackupFile } from '../../src-main/backup/restore';
import { runBackup } from '../../src-main/backup/run';
import { openStore } from '../../src-main/store/database';
import type { JournalSchool } from '../support/journal-fixture';
import { engines, freshDatabase, startTestCore, type TestCore } from '../support/engines';
import { BACKUP_PASSWORD, backupNow, everyTable, schoolWithJournal, tempDir } from './backup-helpers';
import { runJob } from '../support/jobs';

describe.each(engines)('backup and restore on %s', (engine) => {
  let t: TestCore;
  let school: JournalSchool;
  let dir: string;
  const cleanups: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    t = await startTestCore(engine);
    school = await schoolWithJournal(t);
    await school.admin.ok('backup.setPassword', { newPassword: BACKUP_PASSWORD });
    dir = tempDir();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function fresh(on: typeof engine) {
    const database = await freshDatabase(on);
    cleanups.push(database.drop);
    return database.url;
  }

  it('a backup restores row for row into the same engine', async () => {
    const before = await everyTable(t.core.store);
    const { job, files } = await backupNow(school.admin, dir);
    expect(job.items.map((item) => item.status)).toEqual(['ok', 'ok']);
    expect(files).toEqual([expect.stringMatching(/zhurnal-2026-10-14-\d{4}\.zhb$/)]);
    const summary = await school.admin.ok('backup.inspect', { file: files[0]!, password: BACKUP_PASSWORD });
    expect(summary.schoolName).toBe('МАОУ «Средняя общеобразовательная школа № 7»');
    // D-37: a part per class of the current year, with the class's own journal data.
    // and the class's current-period journal as PDF, printed by «Printing».
    expect(summary.parts.map((p) => p.title)).toEqual(['База данных целиком', 'Класс 1А', 'Класс 5А', 'Журнал класса 1А (PDF)', 'Журнал класса 5А (PDF)']);
    expect(summary.parts[2]!.counts).toMatchObject({ students: 6, lessons: 4, finalMarks: 6 });

    const target = await fresh(engine);
    const report = await restoreBackupFile(files[0]!, BACKUP_PASSWORD, target);
    expect(report.restoredRows).toBe(summary.totalRows);
    const restored = await openStore(target);
    try {
      expect(await everyTable(restored)).toEqual(before);
      // Sequences moved past the restored ids: a new row gets a fresh id, not a clash.
      const next = await restored.db.insertInto('subject').values({ name: 'Астрономия', short_name: 'Астр', grade_from: 11, grade_to: 11, sort_order: 99 }).returning('id').executeTakeFirstOrThrow();
      const max = await restored.db.selectFrom('subject').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow();
      expect(next.id).toBe(Number(max.max));
    } finally {
      await restored.close();
    }
  });

  it('across engines: SQLite → PostgreSQL → SQLite (or back), every table equal', async () => {
    const before = await everyTable(t.core.store);
    const first = (await backupNow(school.admin, dir)).files[0]!;
    const other = engine === 'sqlite' ? 'postgres' : 'sqlite';
    const middleUrl = await fresh(other);
    await restoreBackupFile(first, BACKUP_PASSWORD, middleUrl);
    const middle = await openStore(middleUrl);
    let second: string;
    try {
      expect(await everyTable(middle)).toEqual(before);
      // The restored school backs up without the password: its public key came along.
      const report = await runBackup(middle, { trigger: 'cli', destinations: [{ kind: 'folder', path: join(dir, 'second'), create: true }], printClassJournal: null });
      expect(report.results[0]!.status).toBe('ok');
      expect(report.manifest.sourceEngine).toBe(other);
      second = report.results[0]!.file!;
    } finally {
      await middle.close();
    }
    const lastUrl = await fresh(engine);
    await restoreBackupFile(second, BACKUP_PASSWORD, lastUrl);
    const last = await openStore(lastUrl);
    try {
      expect(await everyTable(last)).toEqual(before);
    } finally {
      await last.close();
    }
  });

  it('restore refuses a database that already holds a school, and changes nothing', async () => {
    const file = (await backupNow(school.admin, dir)).files[0]!;
    const error = await school.admin.fails('backup.restore', {
      file,
      password: BACKUP_PASSWORD,
      target: engine === 'sqlite' ? { kind: 'sqlite', path: t.url } : { kind: 'postgres', url: t.url },
    });
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain('не пуста');
    expect(readdirSync(dir).filter((n) => n.endsWith('.zhb'))).toHaveLength(1);
  });

  it('the admin restores into a new database through the contract; the restore is audited', async () => {
    const file = (await backupNow(school.admin, dir)).files[0]!;
    const target = await fresh(engine);
    const result = await runJob(school.admin, 'backup.restore', {
      file,
      password: BACKUP_PASSWORD,
      target: engine === 'sqlite' ? { kind: 'sqlite', path: target } : { kind: 'postgres', url: target },
    });
    const { totalRows } = await school.admin.ok('backup.inspect', { file, password: BACKUP_PASSWORD });
    expect(result).toMatchObject({ state: 'done', done: 4, total: 4, error: null });
    expect(result.result).toContain(`Копия восстановлена: ${totalRows.toLocaleString('ru-RU')} строк`);
    const audit = await school.admin.ok('audit.list', { entity: 'backup' });
    expect(audit.map((a) => a.action)).toContain('backup.restore');
    if (engine === 'sqlite') expect(existsSync(target)).toBe(true);
  });
});
