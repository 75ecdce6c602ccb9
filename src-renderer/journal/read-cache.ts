import type { MethodInput, MethodOutput } from '../../src-shared/contract/index';
import { api, asApiError } from '../api/client';

// D-41: while the server cannot be reached, the journal pages this teacher opened today on
// this PC (and their list of pages) are shown from a copy kept here, marked with the time
// it was read; edits go to the outbox as usual. The copy holds only what the core gave this
// person, is kept for today only, and is erased at sign-out (another person at this PC
// never reads it: it is tagged with its owner).

type CachedMethod = 'journal.page' | 'journal.myLoads';

interface CachedRead {
  key: string;
  /** When the server gave it (ISO, this PC's clock). */
  savedAt: string;
  value: unknown;
}

interface ReadCacheFile {
  userId: number;
  /** This PC's local date the copies were read on: a new day starts empty. */
  day: string;
  reads: CachedRead[];
}

const STORAGE_KEY = 'zhurnal.readCache';
const MAX_READS = 30;

let currentUser: number | null = null;

const localDay = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

function readFile(): ReadCacheFile | null {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    const file = text ? (JSON.parse(text) as ReadCacheFile) : null;
    if (!file || file.userId !== currentUser || file.day !== localDay(new Date())) return null;
    return file;
  } catch {
    return null;
  }
}

function remember(key: string, value: unknown) {
  if (currentUser === null) return;
  const file = readFile() ?? { userId: currentUser, day: localDay(new Date()), reads: [] };
  file.reads = [{ key, savedAt: new Date().toISOString(), value }, ...file.reads.filter((read) => read.key !== key)].slice(0, MAX_READS);
  // A full storage drops the oldest copies first.
  while (file.reads.length > 0) {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(file));
      return;
    } catch {
      file.reads.pop();
    }
  }
}

/** Who is signed in (null: nobody); copies are read and kept only for them. */
export function setReadCacheUser(userId: number | null) {
  currentUser = userId;
}

/** Sign-out: nothing read by this person stays on the PC. */
export function clearReadCache() {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage unavailable: nothing was kept either.
  }
}

/** «Данные на 10:42»: the time of a copy, this PC's local time. */
export function cachedAtLabel(savedAt: string): string {
  const date = new Date(savedAt);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

export const OFFLINE_BANNER = (savedAt: string) => `Нет связи с сервером. Данные на ${cachedAtLabel(savedAt)}`;

/**
 * The core's answer, kept as today's copy; when the server cannot be reached, the copy with
 * the time it was read (`cachedAt`), or the refusal when there is none.
 */
export async function readWithCache<M extends CachedMethod>(method: M, input: MethodInput<M>): Promise<{ value: MethodOutput<M>; cachedAt: string | null }> {
  const key = `${method}:${JSON.stringify(input)}`;
  try {
    const value = await api.call(method, input);
    remember(key, value);
    return { value, cachedAt: null };
  } catch (thrown) {
    if (asApiError(thrown).kind !== 'unavailable') throw thrown;
    const copy = readFile()?.reads.find((read) => read.key === key);
    if (!copy) throw thrown;
    return { value: copy.value as MethodOutput<M>, cachedAt: copy.savedAt };
  }
}
