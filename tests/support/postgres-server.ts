import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../../src-main/lan/embedded-postgres';

export interface RunningPostgres {
  /** postgres://…/postgres: connect here to create test databases. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
  /** Stops the server keeping its data (a host that went down)… */
  pause(): Promise<void>;
  /** …and starts it again on the same port. */
  resume(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A real PostgreSQL server in a temporary folder, on a free loopback port. */
export async function startPostgres(): Promise<RunningPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'zhurnal-pg-'));
  // As root, embedded-postgres runs the server as a 'postgres' user, who must reach the folder.
  chmodSync(dir, 0o777);
  const port = await freePort();
  const password = 'zhurnal-test';
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password,
    port,
    persistent: true, // stop() below removes the folder; pause() keeps it
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on'],
  });
  await server.initialise();
  await server.start();
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    pause: () => server.stop(),
    resume: () => server.start(),
  };
}
