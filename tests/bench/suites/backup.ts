import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { restoreBackupFile } from '../../../src-main/backup/restore';
import { runBackup } from '../../../src-main/backup/run';
import { createEncryptionKey } from '../../../src-main/backup/keys';
import { writeEncryptionKey } from '../../../src-main/backup/settings';
import { openStore, sql, type Store } from '../../../src-main/store/database';
import { startPostgres } from '../../support/postgres-server';
import type { BenchSuite, Figure } from '../figure';
import { ensureLargeDemoDatabase } from './demo';

// Backup with read-back verification and restore, on the large demo school (1200 students,
// 5 years; the demo suite's cached file),
// each beside the engine's own tool on the same database: `sqlite3 .backup`/`.restore`
// and `pg_dump -Fc`/`pg_restore`. Ratio = ours ÷ theirs (how many times slower).

const PASSWORD = 'Пароль-копий-замер-1';
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
const MB = 1024 * 1024;

async function timed<T>(work: () => Promise<T> | T, label = ''): Promise<{ seconds: number; value: T }> {
  const start = performance.now();
  const value = await work();
  const seconds = (performance.now() - start) / 1000;
  if (label) console.error(`  backup bench: ${label} — ${seconds.toFixed(1)} s`);
  return { seconds, value };
}

async function setPassword(store: Store): Promise<void> {
  await writeEncryptionKey(store.db, { ...(await createEncryptionKey(PASSWORD)), setAt: new Date().toISOString() });
}

const fileSize = (path: string) => statSync(path).size;
const onlyBackup = (dir: string) => join(dir, readdirSync(dir).find((n) => n.endsWith('.zhb'))!);

function engineFigures(prefix: string, figures: {
  backup: number;
  backupNoPdf: number;
  fileBytes: number;
  databaseBytes: number;
  restore: number;
  toolBackup: number | null;
  toolRestore: number | null;
  toolName: string;
}): Figure[] {
  const list: Figure[] = [
    { name: `${prefix}: резервная копия с проверкой (с PDF журналов)`, value: round(figures.backup), unit: 's', target: '≤ 15 s' },
    { name: `${prefix}: резервная копия с проверкой, без PDF`, value: round(figures.backupNoPdf), unit: 's', target: '' },
    { name: `${prefix}: размер базы`, value: round(figures.databaseBytes / MB, 1), unit: 'MB', target: '' },
    { name: `${prefix}: размер файла копии (сжатый, зашифрованный)`, value: round(figures.fileBytes / MB, 1), unit: 'MB', target: '' },
    { name: `${prefix}: скорость копии (МБ базы в секунду)`, value: round(figures.databaseBytes / MB / figures.backup, 1), unit: 'MB/s', target: '' },
    { name: `${prefix}: восстановление в новую базу (с проверкой)`, value: round(figures.restore), unit: 's', target: '≤ 30 s' },
    { name: `${prefix}: скорость восстановления`, value: round(figures.databaseBytes / MB / figures.restore, 1), unit: 'MB/s', target: '' },
  ];
  if (figures.toolBackup !== null) {
    list.push({ name: `${prefix}: ${figures.toolName} копия`, value: round(figures.toolBackup), unit: 's', target: '' });
    list.push({ name: `${prefix}: наша копия ÷ ${figures.toolName}`, value: round(figures.backupNoPdf / figures.toolBackup, 1), unit: '×', target: '' });
  }
  if (figures.toolRestore !== null) {
    list.push({ name: `${prefix}: ${figures.toolName} восстановление`, value: round(figures.toolRestore), unit: 's', target: '' });
    list.push({ name: `${prefix}: наше восстановление ÷ ${figures.toolName}`, value: round(figures.restore / figures.toolRestore, 1), unit: '×', target: '' });
  }
  return list;
}

export const backupSuite: BenchSuite = {
  name: 'backup',
  async run() {
    const work = mkdtempSync(join(tmpdir(), 'zhurnal-bench-backup-'));
    const figures: Figure[] = [];
    try {
      // ── SQLite ──
      const source = join(work, 'school.sqlite');
      execFileSync('cp', [await ensureLargeDemoDatabase(), source]);
      const store = await openStore(source);
      await setPassword(store);
      const withPdf = join(work, 'with-pdf');
      const noPdf = join(work, 'no-pdf');
      const backup = await timed(() => runBackup(store, { trigger: 'cli', destinations: [{ kind: 'folder', path: withPdf, create: true }] }), 'SQLite backup with PDFs');
      const plain = await timed(() => runBackup(store, { trigger: 'cli', destinations: [{ kind: 'folder', path: noPdf, create: true }], printClassJournal: null }), 'SQLite backup');
      await store.close();
      const file = onlyBackup(noPdf);
      const restored = join(work, 'restored.sqlite');
      const restore = await timed(() => restoreBackupFile(file, PASSWORD, restored), 'SQLite restore');
      const toolCopy = join(work, 'tool-copy.sqlite');
      const toolBackup = await timed(() => execFileSync('/usr/bin/sqlite3', [source, `.backup '${toolCopy}'`]));
      const toolRestored = join(work, 'tool-restored.sqlite');
      const toolRestore = await timed(() => execFileSync('/usr/bin/sqlite3', [toolRestored, `.restore '${toolCopy}'`]));
      figures.push({ name: 'Строк в базе (большая демо-школа, 5 лет)', value: backup.value.summary.totalRows, unit: 'rows', target: '' });
      figures.push(
        ...engineFigures('SQLite', {
          backup: backup.seconds,
          backupNoPdf: plain.seconds,
          fileBytes: fileSize(file),
          databaseBytes: fileSize(source),
          restore: restore.seconds,
          toolBackup: toolBackup.seconds,
          toolRestore: toolRestore.seconds,
          toolName: 'sqlite3 .backup/.restore',
        }),
      );

      // ── PostgreSQL: the same school, moved over by our own cross-engine restore ──
      const server = await startPostgres();
      try {
        const admin = new pg.Client({ connectionString: server.adminUrl });
        await admin.connect();
        for (const name of ['bench_source', 'bench_restored', 'bench_tool']) await admin.query(`create database ${name}`);
        await admin.end();
        const url = (name: string) => server.adminUrl.replace(/\/postgres$/, `/${name}`);
        const crossEngine = await timed(() => restoreBackupFile(file, PASSWORD, url('bench_source')), 'SQLite → PostgreSQL restore');
        figures.push({ name: 'SQLite → PostgreSQL: восстановление копии', value: round(crossEngine.seconds), unit: 's', target: '≤ 30 s' });
        const pgStore = await openStore(url('bench_source'));
        const size = await sql<{ size: number }>`select pg_database_size(current_database()) as size`.execute(pgStore.db);
        const databaseBytes = Number(size.rows[0]!.size);
        const pgDir = join(work, 'pg-with-pdf');
        const pgPlainDir = join(work, 'pg-no-pdf');
        const pgBackup = await timed(() => runBackup(pgStore, { trigger: 'cli', destinations: [{ kind: 'folder', path: pgDir, create: true }] }), 'PostgreSQL backup with PDFs');
        const pgPlain = await timed(() => runBackup(pgStore, { trigger: 'cli', destinations: [{ kind: 'folder', path: pgPlainDir, create: true }], printClassJournal: null }), 'PostgreSQL backup');
        await pgStore.close();
        const pgFile = onlyBackup(pgPlainDir);
        const pgRestore = await timed(() => restoreBackupFile(pgFile, PASSWORD, url('bench_restored')), 'PostgreSQL restore');
        // pg_dump refuses a server newer than itself: the figure is left out, with the reason.
        let toolBackup: number | null = null;
        let toolRestore: number | null = null;
        const dump = join(work, 'tool.dump');
        try {
          toolBackup = (await timed(() => execFileSync('pg_dump', ['-Fc', '-f', dump, url('bench_source')], { stdio: 'pipe' }))).seconds;
          toolRestore = (await timed(() => execFileSync('pg_restore', ['-d', url('bench_tool'), dump], { stdio: 'pipe' }))).seconds;
        } catch (error) {
          console.log(`pg_dump/pg_restore недоступны для этого сервера: ${String((error as { stderr?: Buffer }).stderr ?? error).split('\n')[0]}`);
        }
        figures.push(
          ...engineFigures('PostgreSQL', {
            backup: pgBackup.seconds,
            backupNoPdf: pgPlain.seconds,
            fileBytes: fileSize(pgFile),
            databaseBytes,
            restore: pgRestore.seconds,
            toolBackup,
            toolRestore,
            toolName: 'pg_dump/pg_restore',
          }),
        );
      } finally {
        await server.stop();
      }
      return figures;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
};
