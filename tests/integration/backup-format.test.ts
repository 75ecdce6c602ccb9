import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBackup } from '../../src-main/backup/container';
import { printJournals } from '../../src-main/backup/print-pool';
import { printCurrentPeriodJournal } from '../../src-main/backup/printing-hook';
import { restoreBackupFile } from '../../src-main/backup/restore';
import { runBackup } from '../../src-main/backup/run';
import { snapshotTuning } from '../../src-main/backup/snapshot';
import { openStore, sql, type Store } from '../../src-main/store/database';
import type { JournalSchool } from '../support/journal-fixture';
import { engines, freshDatabase, startTestCore, type TestCore } from '../support/engines';
import { BACKUP_PASSWORD, everyTable, schoolWithJournal, tempDir } from './backup-helpers';

// The speed work on backups changed how the snapshot is written and read,
// not what it holds: these check what the round-trip tests cannot see with a small school.

const FIXTURES = fileURLToPath(new URL('../fixtures/backup/', import.meta.url));

/** Rows of every table, only the columns in `columns` (later migrations add some), sorted. */
async function projectedRows(store: Store, expected: Record<string, Record<string, unknown>[]>): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const [table, rows] of Object.entries(expected)) {
    const columns = Object.keys(rows[0] ?? {});
    const restored = await store.db.selectFrom(table as never).selectAll().execute();
    result[table] = restored.map((row) => JSON.stringify(columns.map((c) => (row as Record<string, unknown>)[c]))).sort();
  }
  return result;
}

describe.each(engines)('backup format on %s', (engine) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  async function fresh(on = engine) {
    const database = await freshDatabase(on);
    cleanups.push(database.drop);
    return database.url;
  }

  it('a backup written by the first version of the format (before the speed work) still restores, row for row', async () => {
    // tests/fixtures/backup/format-1.zhb: written by the code of commit c709406 (migrations up
    // to 0007) from the journal school of backup-helpers.ts; format-1.rows.json: that school's
    // rows as SQLite held them at the moment of the snapshot.
    const expected = JSON.parse(readFileSync(join(FIXTURES, 'format-1.rows.json'), 'utf8')) as Record<string, Record<string, unknown>[]>;
    delete expected.kysely_migration;
    delete expected.kysely_migration_lock;
    const target = await fresh();
    const report = await restoreBackupFile(join(FIXTURES, 'format-1.zhb'), BACKUP_PASSWORD, target);
    expect(report.summary.migrations.at(-1)).toBe('0007_printing');
    expect(report.restoredRows).toBe(Object.values(expected).reduce((n, rows) => n + rows.length, 0));
    const store = await openStore(target);
    try {
      const restored = await projectedRows(store, expected);
      for (const [table, rows] of Object.entries(expected)) {
        const columns = Object.keys(rows[0] ?? {});
        // Every row of the backup, value for value; later migrations may add rows of their
        // own (0008 seeds audit chains), never change these.
        for (const row of rows) expect(restored[table], table).toContain(JSON.stringify(columns.map((c) => row[c])));
      }
    } finally {
      await store.close();
    }
  });

  describe('with a school', () => {
    let t: TestCore;
    let school: JournalSchool;
    let dir: string;
    const tuning = { ...snapshotTuning };
    beforeEach(async () => {
      t = await startTestCore(engine);
      school = await schoolWithJournal(t);
      await school.admin.ok('backup.setPassword', { newPassword: BACKUP_PASSWORD });
      dir = tempDir();
    });
    afterEach(async () => {
      Object.assign(snapshotTuning, tuning);
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('pages of a few rows: every table crosses many pages and batches, and comes back whole, on both engines', async () => {
      // Keyset pages (one-column and two-column keys), short batches, the SQLite multi-row
      // insert's remainder, several COPY writes per table.
      Object.assign(snapshotTuning, { rowsPerQuery: 3, rowsPerBatch: 7 });
      if (engine === 'sqlite') {
        // Any SQLite column can hold a blob; it must come back a blob, not text or JSONB.
        await sql`update lesson set material = ${Buffer.from([0, 255, 16, 0x5b])} where id = (select min(id) from lesson)`.execute(t.core.store.db);
      }
      const before = await everyTable(t.core.store);
      const report = await runBackup(t.core.store, { trigger: 'cli', destinations: [{ kind: 'folder', path: dir, create: true }], printClassJournal: null, now: t.clock.now });
      expect(report.results[0]!.status).toBe('ok');
      for (const on of engine === 'sqlite' ? engines : [engine]) {
        const target = await fresh(on);
        await restoreBackupFile(report.results[0]!.file!, BACKUP_PASSWORD, target);
        const restored = await openStore(target);
        try {
          if (on === engine) expect(await everyTable(restored)).toEqual(before);
          else expect(Object.keys(await everyTable(restored)).sort()).toEqual(Object.keys(before).sort());
        } finally {
          await restored.close();
        }
      }
    });

    it('the journals printed in worker threads are byte for byte the ones the main thread prints', async () => {
      const report = await runBackup(t.core.store, { trigger: 'cli', destinations: [{ kind: 'folder', path: dir, create: true }], printWorkers: 2, now: t.clock.now });
      const pdfParts = report.manifest.parts.filter((p) => p.kind === 'class-pdf');
      expect(pdfParts.length).toBe(report.manifest.parts.filter((p) => p.kind === 'class').length);
      for (const part of pdfParts) {
        const here = await printCurrentPeriodJournal(t.core.store, part.classId!);
        expect(part.sha256).toBe(createHash('sha256').update(here!).digest('hex'));
      }
      // And the file holds them: a full check with the password.
      const opened = await openBackup(readFileSync(report.results[0]!.file!), { password: BACKUP_PASSWORD });
      expect(opened.manifest.parts.map((p) => p.name)).toEqual(report.manifest.parts.map((p) => p.name));
    });

    it('the print workers start before the class list and print it when it comes; a backup failing before the list comes prints nothing', async () => {
      const classIds = (await t.core.store.db.selectFrom('school_class').select('id').execute()).map((c) => c.id);
      let list: (ids: number[]) => void = () => {};
      const listed = printJournals(t.core.store, new Promise<number[]>((resolve) => (list = resolve)), printCurrentPeriodJournal, { workers: 2 });
      list(classIds);
      await listed.helpHere();
      const printed = await listed.done;
      expect([...printed.keys()].sort()).toEqual([...classIds].sort());
      for (const [classId, pdf] of printed) expect(pdf!.equals((await printCurrentPeriodJournal(t.core.store, classId))!)).toBe(true);

      const never = printJournals(t.core.store, new Promise<number[]>(() => {}), printCurrentPeriodJournal, { workers: 2 });
      never.cancel();
      expect((await never.done).size).toBe(0);
    });

    it('a damaged database part found while restoring leaves nothing behind', async () => {
      // The database part is checked as it loads, inside the one transaction: a row count
      // that does not match the manifest rolls everything back (SQLite: no file at all).
      const report = await runBackup(t.core.store, { trigger: 'cli', destinations: [{ kind: 'folder', path: dir, create: true }], printClassJournal: null, now: t.clock.now });
      const target = await fresh();
      const { loadDatabasePart } = await import('../../src-main/backup/restore');
      const opened = await openBackup(readFileSync(report.results[0]!.file!), { password: BACKUP_PASSWORD });
      const entry = opened.manifest.parts.find((p) => p.kind === 'database')!;
      const part = {
        compressed: opened.plain.subarray(entry.offset, entry.offset + entry.length),
        migrations: opened.manifest.migrations,
        tables: Object.keys(entry.counts),
        expected: { title: entry.title, sha256: entry.sha256, plainBytes: entry.plainBytes, rows: entry.rows + 1 },
      };
      const store = await openStore(target);
      try {
        await expect(loadDatabasePart(store, part, engine === 'postgres' ? { url: target } : {})).rejects.toThrow('Файл резервной копии повреждён или изменён');
        const counts = await sql<{ n: number }>`select count(*) as n from mark`.execute(store.db);
        expect(Number(counts.rows[0]!.n)).toBe(0);
      } finally {
        await store.close();
      }
    });
  });
});
