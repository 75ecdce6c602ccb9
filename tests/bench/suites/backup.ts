import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { checkContainer } from '../../../src-main/backup/container';
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

interface Timed<T> {
  seconds: number;
  /** CPU of this process, every thread (workers and libuv's pool included). */
  cpuSeconds: number;
  /** CPU of the PostgreSQL server (its backends), when it runs on this machine. */
  serverCpuSeconds: number | null;
  value: T;
}

async function timed<T>(work: () => Promise<T> | T, label = '', server: (() => number | null) | null = null): Promise<Timed<T>> {
  const serverBefore = server?.() ?? null;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serverAfter = server?.() ?? null;
  const serverCpuSeconds = serverBefore !== null && serverAfter !== null ? serverAfter - serverBefore : null;
  if (label) {
    const serverText = serverCpuSeconds === null ? '' : `, сервер ${serverCpuSeconds.toFixed(1)} s CPU`;
    console.error(`  backup bench: ${label} — ${seconds.toFixed(1)} s, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU${serverText}`);
  }
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, serverCpuSeconds, value };
}

/**
 * CPU seconds used so far by the PostgreSQL server listening on `port` and its backends
 * (Linux /proc; null elsewhere): the postmaster's own, its children's, and the reaped ones'.
 */
function postgresServerCpu(port: number): () => number | null {
  const fields = (pid: string) => {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  };
  let postmaster: string | null = null;
  return () => {
    try {
      postmaster ??=
        readdirSync('/proc').find((pid) => {
          if (!/^\d+$/.test(pid)) return false;
          try {
            const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
            return args[0]!.endsWith('postgres') && args.includes('-D') && args.includes(String(port));
          } catch {
            return false;
          }
        }) ?? null;
      if (!postmaster) return null;
      const own = fields(postmaster);
      let ticks = own[11]! + own[12]! + own[13]! + own[14]!;
      for (const pid of readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        try {
          const child = fields(pid);
          if (String(child[1]) === postmaster) ticks += child[11]! + child[12]!;
        } catch {
          // gone meanwhile
        }
      }
      return ticks / 100; // USER_HZ
    } catch {
      return null;
    }
  };
}

async function setPassword(store: Store): Promise<void> {
  await writeEncryptionKey(store.db, { ...(await createEncryptionKey(PASSWORD)), setAt: new Date().toISOString() });
}

const fileSize = (path: string) => statSync(path).size;
/** The tables a backup holds, from its manifest (outside the encryption). */
const backupTables = (path: string) => Object.keys(checkContainer(readFileSync(path)).manifest.parts.find((p) => p.kind === 'database')!.counts);
const onlyBackup = (dir: string) => join(dir, readdirSync(dir).find((n) => n.endsWith('.zhb'))!);

function engineFigures(prefix: string, figures: {
  backup: Timed<unknown>;
  backupNoPdf: Timed<unknown>;
  fileBytes: number;
  databaseBytes: number;
  restore: Timed<unknown>;
  toolBackup: number | null;
  toolRestore: number | null;
  toolName: string;
}): Figure[] {
  const cpu = (name: string, run: Timed<unknown>): Figure[] => [
    { name: `${name}: время ЦП (все потоки процесса)`, value: round(run.cpuSeconds), unit: 's', target: '' },
    ...(run.serverCpuSeconds === null ? [] : [{ name: `${name}: время ЦП сервера PostgreSQL`, value: round(run.serverCpuSeconds), unit: 's', target: '' }]),
  ];
  const list: Figure[] = [
    { name: `${prefix}: резервная копия с проверкой (с PDF журналов)`, value: round(figures.backup.seconds), unit: 's', target: '≤ 15 s' },
    ...cpu(`${prefix}: копия с PDF`, figures.backup),
    { name: `${prefix}: резервная копия с проверкой, без PDF`, value: round(figures.backupNoPdf.seconds), unit: 's', target: '' },
    ...cpu(`${prefix}: копия без PDF`, figures.backupNoPdf),
    { name: `${prefix}: размер базы`, value: round(figures.databaseBytes / MB, 1), unit: 'MB', target: '' },
    { name: `${prefix}: размер файла копии (сжатый, зашифрованный)`, value: round(figures.fileBytes / MB, 1), unit: 'MB', target: '' },
    { name: `${prefix}: скорость копии (МБ базы в секунду)`, value: round(figures.databaseBytes / MB / figures.backup.seconds, 1), unit: 'MB/s', target: '' },
    { name: `${prefix}: восстановление в новую базу (с проверкой)`, value: round(figures.restore.seconds), unit: 's', target: '≤ 30 s' },
    ...cpu(`${prefix}: восстановление`, figures.restore),
    { name: `${prefix}: скорость восстановления`, value: round(figures.databaseBytes / MB / figures.restore.seconds, 1), unit: 'MB/s', target: '' },
  ];
  if (figures.toolBackup !== null) {
    list.push({ name: `${prefix}: ${figures.toolName} копия`, value: round(figures.toolBackup), unit: 's', target: '' });
    list.push({ name: `${prefix}: наша копия без PDF ÷ ${figures.toolName}`, value: round(figures.backupNoPdf.seconds / figures.toolBackup, 1), unit: '×', target: '' });
  }
  if (figures.toolRestore !== null) {
    list.push({ name: `${prefix}: ${figures.toolName} восстановление`, value: round(figures.toolRestore), unit: 's', target: '' });
    list.push({ name: `${prefix}: наше восстановление ÷ ${figures.toolName}`, value: round(figures.restore.seconds / figures.toolRestore, 1), unit: '×', target: '' });
  }
  return list;
}

/**
 * When pg_dump refuses the server (the system's client is older than the embedded server),
 * the engine's own floor instead: every table through `COPY … TO STDOUT` in psql, which is
 * what pg_dump does for the data, without its compression.
 */
function psqlCopyAll(url: string, tables: string[]): void {
  for (const table of tables) execFileSync('psql', ['-X', '-q', '-d', url, '-c', `copy "${table}" to stdout`], { stdio: ['ignore', 'ignore', 'pipe'] });
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
          backup,
          backupNoPdf: plain,
          fileBytes: fileSize(file),
          databaseBytes: fileSize(source),
          restore,
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
        const serverCpu = postgresServerCpu(server.port);
        const crossEngine = await timed(() => restoreBackupFile(file, PASSWORD, url('bench_source')), 'SQLite → PostgreSQL restore', serverCpu);
        figures.push({ name: 'SQLite → PostgreSQL: восстановление копии', value: round(crossEngine.seconds), unit: 's', target: '≤ 30 s' });
        const pgStore = await openStore(url('bench_source'));
        const size = await sql<{ size: number }>`select pg_database_size(current_database()) as size`.execute(pgStore.db);
        const databaseBytes = Number(size.rows[0]!.size);
        const pgDir = join(work, 'pg-with-pdf');
        const pgPlainDir = join(work, 'pg-no-pdf');
        const pgBackup = await timed(() => runBackup(pgStore, { trigger: 'cli', destinations: [{ kind: 'folder', path: pgDir, create: true }] }), 'PostgreSQL backup with PDFs', serverCpu);
        const pgPlain = await timed(() => runBackup(pgStore, { trigger: 'cli', destinations: [{ kind: 'folder', path: pgPlainDir, create: true }], printClassJournal: null }), 'PostgreSQL backup', serverCpu);
        await pgStore.close();
        const pgFile = onlyBackup(pgPlainDir);
        const pgRestore = await timed(() => restoreBackupFile(pgFile, PASSWORD, url('bench_restored')), 'PostgreSQL restore', serverCpu);
        // pg_dump refuses a server newer than itself: then psql's COPY of every table stands
        // in for it (the data part of pg_dump's work), and the restore ratio is left out.
        let toolBackup: number | null = null;
        let toolRestore: number | null = null;
        let toolName = 'pg_dump/pg_restore';
        const dump = join(work, 'tool.dump');
        try {
          toolBackup = (await timed(() => execFileSync('pg_dump', ['-Fc', '-f', dump, url('bench_source')], { stdio: 'pipe' }))).seconds;
          toolRestore = (await timed(() => execFileSync('pg_restore', ['-d', url('bench_tool'), dump], { stdio: 'pipe' }))).seconds;
        } catch (error) {
          console.log(`pg_dump/pg_restore недоступны для этого сервера: ${String((error as { stderr?: Buffer }).stderr ?? error).split('\n')[0]}`);
          try {
            const tables = backupTables(pgFile);
            toolBackup = (await timed(() => psqlCopyAll(url('bench_source'), tables))).seconds;
            toolName = 'psql COPY всех таблиц';
          } catch (copyError) {
            console.log(`psql недоступен: ${String((copyError as Error).message).split('\n')[0]}`);
          }
        }
        figures.push(
          ...engineFigures('PostgreSQL', {
            backup: pgBackup,
            backupNoPdf: pgPlain,
            fileBytes: fileSize(pgFile),
            databaseBytes,
            restore: pgRestore,
            toolBackup,
            toolRestore,
            toolName,
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
