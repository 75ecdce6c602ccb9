import type { Envelope } from '../../src-shared/contract/envelope';
import type { ZhurnalPreload } from '../api/transport';
import type { OutboxEntry, OutboxStorage } from './outbox';

// Where this PC keeps its outbox: in the app, a file in the app's data folder written by the
// main process (src-main/outbox/file-store.ts); in the browser build, IndexedDB — both
// outlive the page, a reload and a crash.

function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new Error(envelope.error.message);
}

export function shellStorage(outbox: NonNullable<ZhurnalPreload['outbox']>): OutboxStorage {
  return {
    load: async () => unwrap(await outbox.load()) as OutboxEntry[],
    put: async (entry) => void unwrap(await outbox.put(entry)),
    remove: async (id) => void unwrap(await outbox.remove(id)),
  };
}

const DATABASE = 'zhurnal-outbox';
const STORE = 'entries';

function request<T>(work: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    work.onsuccess = () => resolve(work.result);
    work.onerror = () => reject(work.error ?? new Error('IndexedDB'));
  });
}

export function indexedDbStorage(): OutboxStorage {
  let opened: Promise<IDBDatabase> | null = null;
  const database = () => {
    opened ??= new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(DATABASE, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'id' });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error ?? new Error('IndexedDB'));
    });
    return opened;
  };
  /** Resolves when the write is committed (durable), not merely accepted. */
  const write = async (work: (store: IDBObjectStore) => void) => {
    const transaction = (await database()).transaction(STORE, 'readwrite', { durability: 'strict' });
    work(transaction.objectStore(STORE));
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB'));
    });
  };
  return {
    load: async () => request((await database()).transaction(STORE).objectStore(STORE).getAll()) as Promise<OutboxEntry[]>,
    put: (entry) => write((store) => store.put(entry)),
    remove: (id) => write((store) => store.delete(id)),
  };
}

/** Nowhere to keep it (a browser without IndexedDB): this run only. */
export function memoryStorage(): OutboxStorage {
  return { load: async () => [], put: async () => {}, remove: async () => {} };
}
