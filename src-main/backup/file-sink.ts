import { promises as fs } from 'node:fs';

/**
 * The file layer a backup is written through. The real one is Node's fs; tests put a
 * failing one in its place to act out a full disk or a drive pulled mid-write.
 */
export interface WritableFile {
  write(chunk: Buffer): Promise<void>;
  /** fsync: the bytes are on the medium, not in a cache. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface FileSink {
  ensureDirectory(dir: string): Promise<void>;
  create(path: string): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  /** fsync of the directory, so the rename itself survives a power cut. */
  syncDirectory(dir: string): Promise<void>;
  read(path: string): Promise<Buffer>;
  list(dir: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  remove(path: string): Promise<void>;
}

export const nodeFileSink: FileSink = {
  async ensureDirectory(dir) {
    await fs.mkdir(dir, { recursive: true });
  },
  async create(path) {
    // 'wx': never overwrite; the temporary name is unique.
    const handle = await fs.open(path, 'wx', 0o600);
    return {
      async write(chunk) {
        let written = 0;
        while (written < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
          written += bytesWritten;
        }
      },
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  },
  rename: (from, to) => fs.rename(from, to),
  async syncDirectory(dir) {
    if (process.platform === 'win32') return; // Windows cannot open a directory for fsync.
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  read: (path) => fs.readFile(path),
  list: (dir) => fs.readdir(dir),
  async exists(path) {
    try {
      await fs.access(path);
      return true;
    } catch {
      return false;
    }
  },
  remove: (path) => fs.rm(path, { force: true }),
};
