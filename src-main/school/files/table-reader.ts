import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ErrorKind } from '../../../src-shared/contract/envelope';
import { AppError, invalid } from '../../core/errors';
import { parseTable, precheckTable, type RawTable } from './read-table';

// An imported file is read off the core's thread: in a worker with its own, capped heap and a
// time limit. The limits in read-table.ts refuse a bomb early (what needs no unpacking, here
// at once); the heap cap and the timeout are the last line should a file get past them. The
// worker is kept for the next file (a preview is followed by its import) and stopped when
// idle, when it fails or when a file takes too long.

export interface ToReadWorker {
  id: number;
  bytes: Uint8Array;
  fileName: string;
  sheet?: string;
}

export type FromReadWorker = { id: number } & (
  | { type: 'table'; table: RawTable }
  | { type: 'refused'; kind: ErrorKind; message: string; details?: unknown }
  | { type: 'failed'; message: string }
);

const READ_TIMEOUT_MS = 60_000;
const IDLE_MS = 30_000;
const WORKER_HEAP_MB = 256;

/** The worker script: beside this file in development (a loader that runs TypeScript), beside the shell bundle when packaged. */
function workerScript(): URL | null {
  const here = import.meta.url;
  const script = here.endsWith('.ts') ? new URL('./read-worker.mjs', here) : new URL('./school-read-worker.js', here);
  try {
    return existsSync(fileURLToPath(script)) ? script : null;
  } catch {
    return null;
  }
}

interface Reader {
  worker: Worker;
  idle: NodeJS.Timeout | null;
  /** The file being read: its id and how to answer (and how to fail it should the worker die). */
  current: { id: number; settle: (message: FromReadWorker | Error) => void } | null;
}

let reader: Reader | null = null;
let queue: Promise<unknown> = Promise.resolve();
let nextId = 0;

function stop(target: Reader, error: Error) {
  if (reader === target) reader = null;
  if (target.idle) clearTimeout(target.idle);
  void target.worker.terminate().catch(() => {});
  target.current?.settle(error);
  target.current = null;
}

function startReader(script: URL): Reader {
  const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  const started: Reader = { worker, idle: null, current: null };
  worker.on('message', (message: FromReadWorker) => {
    if (started.current?.id === message.id) started.current.settle(message);
  });
  worker.on('error', (error: Error & { code?: string }) =>
    stop(
      started,
      error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? invalid('Файл не импортирован: на его чтение не хватило отведённой памяти. Оставьте в файле только нужный список.') : error,
    ),
  );
  worker.on('exit', () => stop(started, new Error('Поток чтения файла завершился, не ответив.')));
  return started;
}

function readInWorker(script: URL, bytes: Buffer, fileName: string, sheet: string | undefined): Promise<RawTable> {
  let active: Reader;
  try {
    active = reader ?? (reader = startReader(script));
  } catch {
    return parseTable(bytes, fileName, sheet); // no thread to be had: read here, under the same limits
  }
  if (active.idle) clearTimeout(active.idle);
  active.idle = null;
  active.worker.ref(); // while a file is read, the worker keeps the process alive
  const id = nextId++;
  const own = new Uint8Array(bytes); // a buffer of its own, handed over without another copy
  return new Promise<RawTable>((resolve, reject) => {
    const timer = setTimeout(
      () => stop(active, invalid('Файл не импортирован: он читался дольше минуты и чтение остановлено. Оставьте в файле только нужный список.')),
      READ_TIMEOUT_MS,
    );
    active.current = {
      id,
      settle: (outcome) => {
        clearTimeout(timer);
        active.current = null;
        if (reader === active) {
          active.worker.unref();
          active.idle = setTimeout(() => stop(active, new Error('idle')), IDLE_MS);
          active.idle.unref();
        }
        if (outcome instanceof Error) reject(outcome);
        else if (outcome.type === 'table') resolve(outcome.table);
        else if (outcome.type === 'refused') reject(new AppError(outcome.kind, outcome.message, outcome.details));
        else reject(new Error(outcome.message));
      },
    };
    try {
      active.worker.postMessage({ id, bytes: own, fileName, sheet } satisfies ToReadWorker, [own.buffer]);
    } catch (error) {
      active.current.settle(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** One sheet of an XLSX (the first unless `sheet` names one) or a CSV given as base64, read in a worker thread. */
export async function readTable(content: string, fileName: string, sheet?: string): Promise<RawTable> {
  const bytes = Buffer.from(content, 'base64');
  precheckTable(bytes, fileName);
  const script = workerScript();
  // A packaging without the worker script reads here, under the same limits.
  if (!script) return parseTable(bytes, fileName, sheet);
  // One file at a time: a second waits for the first (imports are rare and one worker is enough).
  const turn = queue.then(() => readInWorker(script, bytes, fileName, sheet));
  queue = turn.catch(() => {});
  return turn;
}
