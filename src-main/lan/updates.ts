import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Updates over the school's network (no internet in the school): the host serves the
 * installers of its version from a folder (the Windows installer copies itself there), in
 * the format of electron-updater's generic provider (latest.yml, latest-linux.yml); each
 * staff PC compares its version with the host's at start and offers the update. The
 * administrator updates the host; the others follow — and a PC too old for the database
 * (which it refuses to write) is shown the way forward.
 */

/** The updates are served one port above PostgreSQL's (5432 → 5433). */
export const updatePortOf = (postgresPort: number) => postgresPort + 1;

export interface UpdateFile {
  url: string;
  sha512: string;
  size: number;
}

export interface UpdateFeed {
  version: string;
  files: UpdateFile[];
}

/** Installer names electron-builder gives (electron-builder.yml artifactName), per feed. */
const FEEDS: Record<string, (version: string) => RegExp> = {
  'latest.yml': (version) => new RegExp(`^Zhurnal-${escape(version)}-setup\\.exe$`),
  'latest-linux.yml': (version) => new RegExp(`^zhurnal-${escape(version)}-[a-z0-9_]+\\.(AppImage|deb|rpm)$`),
};
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const feedNameOf = (platform: NodeJS.Platform | string) => (platform === 'win32' ? 'latest.yml' : 'latest-linux.yml');

async function sha512Of(file: string): Promise<string> {
  const hash = createHash('sha512');
  await pipeline(createReadStream(file), hash);
  return hash.digest('base64');
}

/** The feed as electron-updater's generic provider reads it. */
export function feedText(feed: UpdateFeed): string {
  const first = feed.files[0];
  return [
    `version: ${feed.version}`,
    'files:',
    ...feed.files.flatMap((file) => [`  - url: ${file.url}`, `    sha512: ${file.sha512}`, `    size: ${file.size}`]),
    ...(first ? [`path: ${first.url}`, `sha512: ${first.sha512}`] : []),
  ].join('\n');
}

/** Reads the fields of a feed this module needs (the subset of YAML electron-builder writes). */
export function parseFeed(text: string): UpdateFeed | null {
  const version = /^version:\s*['"]?([^'"\s]+)/m.exec(text)?.[1];
  if (!version) return null;
  const files: UpdateFile[] = [];
  for (const block of text.split(/^\s*-\s+url:/m).slice(1)) {
    const url = /^\s*['"]?([^'"\n]+?)['"]?\s*$/m.exec(block)?.[1];
    const sha512 = /^\s*sha512:\s*['"]?([A-Za-z0-9+/=]+)/m.exec(block)?.[1];
    const size = Number(/^\s*size:\s*(\d+)/m.exec(block)?.[1]);
    if (url && sha512) files.push({ url, sha512, size });
  }
  return { version, files };
}

/** 1.10.0 > 1.9.3; a pre-release (1.2.0-beta.1) is older than its release. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core = '', pre] = v.split('-', 2);
    return { parts: core.split('.').map((n) => Number(n) || 0), pre: pre ?? null };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.max(x.parts.length, y.parts.length); i++) {
    const diff = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

export interface UpdateServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the installers of `version` found in `folder`: GET /latest.yml, /latest-linux.yml
 * and the files they name, nothing else. Checksums are computed once per file and size/time.
 */
export async function startUpdateServer(options: { folder: string; version: string; address: string; port: number }): Promise<UpdateServer> {
  const checksums = new Map<string, { key: string; sha512: string }>();
  async function feed(name: string): Promise<UpdateFeed> {
    const pattern = FEEDS[name]!(options.version);
    const names = existsSync(options.folder) ? readdirSync(options.folder).filter((file) => pattern.test(file)).sort() : [];
    const files: UpdateFile[] = [];
    for (const file of names) {
      const path = join(options.folder, file);
      const stat = statSync(path);
      const key = `${stat.size}:${stat.mtimeMs}`;
      let known = checksums.get(file);
      if (known?.key !== key) checksums.set(file, (known = { key, sha512: await sha512Of(path) }));
      files.push({ url: file, sha512: known.sha512, size: stat.size });
    }
    return { version: options.version, files };
  }
  const server: Server = createServer((request, response) => {
    const name = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname.slice(1));
    void (async () => {
      if (request.method !== 'GET') return response.writeHead(405).end();
      if (name in FEEDS) {
        const served = await feed(name);
        if (served.files.length === 0) return response.writeHead(404).end();
        return response.writeHead(200, { 'content-type': 'text/yaml; charset=utf-8' }).end(feedText(served));
      }
      // Only an installer some feed lists; never a path.
      const listed = Object.keys(FEEDS).some((feedName) => FEEDS[feedName]!(options.version).test(name));
      const path = join(options.folder, name);
      if (!listed || name.includes('/') || name.includes('\\') || !existsSync(path)) return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': statSync(path).size });
      await pipeline(createReadStream(path), response);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.address, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.address}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface UpdateOffer {
  version: string;
  currentVersion: string;
  file: UpdateFile;
  fileUrl: string;
}

/**
 * Asks the host (`baseUrl`) for its version: an offer when it is newer than this PC's and
 * carries an installer for this platform; null when not, or when the host does not answer
 * in time (an update check never keeps the app from starting).
 */
export async function checkForUpdate(options: { baseUrl: string; currentVersion: string; platform?: NodeJS.Platform | string; timeoutMs?: number }): Promise<UpdateOffer | null> {
  const platform = options.platform ?? process.platform;
  try {
    const response = await fetch(new URL(feedNameOf(platform), options.baseUrl), { signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    if (!response.ok) return null;
    const feed = parseFeed(await response.text());
    if (!feed || compareVersions(feed.version, options.currentVersion) <= 0) return null;
    // On Linux the package of this PC's kind (deb, rpm, AppImage) is chosen by the shell; first is fine here.
    const file = feed.files[0];
    if (!file) return null;
    return { version: feed.version, currentVersion: options.currentVersion, file, fileUrl: new URL(file.url, options.baseUrl).href };
  } catch {
    return null;
  }
}

/** Downloads the offered installer into `folder`, checked against its SHA-512; returns its path. */
export async function downloadUpdate(offer: UpdateOffer, folder: string): Promise<string> {
  const target = join(folder, offer.file.url.split('/').pop()!);
  const partial = `${target}.partial`;
  const response = await fetch(offer.fileUrl);
  if (!response.ok || !response.body) throw new Error(`Сервер школы не отдал файл обновления (${response.status}).`);
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(partial));
  if ((await sha512Of(partial)) !== offer.file.sha512) {
    rmSync(partial, { force: true });
    throw new Error('Файл обновления повреждён при передаче (контрольная сумма не совпала). Попробуйте ещё раз.');
  }
  renameSync(partial, target);
  return target;
}
