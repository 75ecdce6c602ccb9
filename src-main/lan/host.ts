import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from './embedded-postgres';
import pg from 'pg';
import { openStore } from '../store/database';
import { migrateToLatest, type MigrationReport } from '../store/migrate';
import { grantApplicationRole } from './privileges';

/**
 * «Make this PC the host» (issue «The school LAN» §1): the app runs a real PostgreSQL
 * (the embedded-postgres package, also on Windows) with its data in the app's folder,
 * listening on the LAN interface the administrator picked.
 */
export interface HostOptions {
  /** The app's data folder; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** The LAN address to listen on (plus loopback), e.g. '192.168.1.10'. */
  listenAddress: string;
  port?: number;
  /** Which clients may connect: a CIDR such as '192.168.1.0/24'. */
  allowedNetwork: string;
  /** As root (tests, some servers) embedded-postgres needs a 'postgres' system user. */
  createSystemUser?: boolean;
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

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const port = options.port ?? 5432;
  const clusterDir = join(options.dataDir, 'postgres');
  const credentials = loadOrCreateCredentials(options.dataDir);
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: OWNER,
    password: credentials.ownerPassword,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: options.createSystemUser ?? false,
    onLog: () => {},
    onError: () => {},
    // Forty classroom PCs with a few connections each, plus the host's own app and backups.
    postgresFlags: ['-c', `listen_addresses=127.0.0.1,${options.listenAddress}`, '-c', 'max_connections=300'],
  });
  const fresh = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (fresh) await server.initialise();
  // Other PCs may reach only the journal database, with a password, from the school's network.
  // Checked on every start: the administrator may have chosen another network since.
  const hba = join(clusterDir, 'pg_hba.conf');
  const rule = `host ${HOST_DATABASE} all ${options.allowedNetwork} scram-sha-256`;
  const rules = readFileSync(hba, 'utf8');
  if (!rules.split('\n').includes(rule)) writeFileSync(hba, `${rules.endsWith('\n') ? rules : `${rules}\n`}${rule}\n`);
  await server.start();
  const ownerUrl = `postgres://${OWNER}:${encodeURIComponent(credentials.ownerPassword)}@127.0.0.1:${port}/${HOST_DATABASE}`;
  const admin = new pg.Client({ connectionString: ownerUrl.replace(`/${HOST_DATABASE}`, '/postgres') });
  try {
    await admin.connect();
    const hasDatabase = (await admin.query('select 1 from pg_database where datname = $1', [HOST_DATABASE])).rowCount! > 0;
    if (!hasDatabase) await admin.query(`create database ${HOST_DATABASE}`);
  } catch (error) {
    // A server that started but cannot be used is not left running behind the app.
    await server.stop().catch(() => {});
    throw error;
  } finally {
    await admin.end().catch(() => {});
  }
  return {
    ownerUrl,
    appUrl: `postgres://${credentials.appRole}:${encodeURIComponent(credentials.appPassword)}@${options.listenAddress}:${port}/${HOST_DATABASE}`,
    address: options.listenAddress,
    port,
    stop: () => server.stop(),
  };
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
