import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { CompiledQuery } from 'kysely';
import { fontsDirectory } from '../printing/pdf';
import type { Engine, Store } from '../store/database';
import { printCurrentPeriodJournal, type ClassJournalPrinter } from './printing-hook';

/**
 * D-37's journal PDFs, printed while the snapshot is read. Printing a class is pure
 * JavaScript (layout, font shaping, compression) and was most of a backup's time, so the
 * school's own printer runs in worker threads, a class at a time. A worker reads through
 * the main thread: its queries run on the store's own connection or pool, so it needs no
 * address or password and sees what the app sees. Anything a worker could not print —
 * no worker script (an unusual packaging), a worker that failed — is printed here, on the
 * main thread, as before. Printing never stops a backup: a class whose PDF fails has none.
 */

export interface PrintWorkerData {
  engine: Engine;
}

/** Main thread → worker. */
export type ToPrintWorker =
  | { type: 'print'; classId: number }
  | { type: 'result'; id: number; rows: unknown[]; numAffectedRows?: bigint }
  | { type: 'error'; id: number; message: string };

/** Worker → main thread. */
export type FromPrintWorker =
  | { type: 'ready' }
  | { type: 'query'; id: number; sql: string; parameters: readonly unknown[] }
  | { type: 'printed'; classId: number; pdf: Uint8Array | null };

/** The worker script: beside this file in development (a loader that runs TypeScript), beside the shell bundle when packaged. */
function workerScript(): URL | null {
  const here = import.meta.url;
  const script = here.endsWith('.ts') ? new URL('./print-worker.mjs', here) : new URL('./backup-print-worker.js', here);
  try {
    return existsSync(fileURLToPath(script)) ? script : null;
  } catch {
    return null;
  }
}

export interface PrintJob {
  /** One entry per class asked for: its PDF, or null. Never rejects. */
  done: Promise<Map<number, Buffer | null>>;
  /** The main thread, its own work done, prints from the same queue until it is empty. */
  helpHere(): Promise<void>;
  /** Stops the workers (the backup failed); `done` then settles with what was printed. */
  cancel(): void;
}

const CLASSES_PER_WORKER = 8;
const WORKER_START_TIMEOUT_MS = 60_000;

/**
 * Prints the classes' journals. `printer` is the default one (printing-hook.ts): in
 * `workers` worker threads (default: one per core but the main thread's, at most four, no
 * more than one per eight classes — a worker costs about a second to start: modules, fonts,
 * a cold JIT), with the main thread helping once its own work is done (`helpHere`). Any
 * other printer (a test's) prints here, on the main thread, between the snapshot's awaits.
 */
export function printJournals(store: Store, classIds: number[], printer: ClassJournalPrinter, options: { workers?: number } = {}): PrintJob {
  const results = new Map<number, Buffer | null>();
  const queue = [...classIds];
  let cancelled = false;
  const printHere = async () => {
    for (let classId = queue.shift(); classId !== undefined && !cancelled; classId = queue.shift()) {
      results.set(classId, await printer(store, classId).catch(() => null));
    }
  };
  const script = printer === printCurrentPeriodJournal ? workerScript() : null;
  const count = Math.min(
    classIds.length,
    options.workers ?? Math.min(4, Math.max(1, availableParallelism() - 1), Math.ceil(classIds.length / CLASSES_PER_WORKER)),
  );
  if (!script || count < 1) {
    const here = printHere();
    return { done: here.then(() => results), helpHere: () => here, cancel: () => void (cancelled = true) };
  }

  const workers: Worker[] = [];
  const helpers: Promise<void>[] = [];
  let fontsDir: string | undefined;
  try {
    fontsDir = fontsDirectory();
  } catch {
    fontsDir = undefined; // the workers fail the same way the main thread would: no PDFs
  }
  const inWorkers = new Promise<void>((resolveAll) => {
    let running = 0;
    const finished = () => {
      running -= 1;
      if (running === 0) resolveAll();
    };
    for (let n = 0; n < count; n++) {
      let worker: Worker;
      try {
        worker = new Worker(script, {
          workerData: { engine: store.engine } satisfies PrintWorkerData,
          env: { ...process.env, ...(fontsDir ? { ZHURNAL_FONTS_DIR: fontsDir } : {}) },
        });
      } catch {
        continue;
      }
      running += 1;
      workers.push(worker);
      let current: number | undefined; // back to the queue if the worker fails
      let closed = false;
      // A worker that never starts (a packaging that cannot load it) leaves its share to the main thread.
      const startup = setTimeout(() => close(), WORKER_START_TIMEOUT_MS);
      startup.unref();
      const close = () => {
        if (closed) return;
        closed = true;
        clearTimeout(startup);
        if (current !== undefined && !results.has(current)) queue.push(current);
        void worker.terminate().catch(() => {});
        finished();
      };
      const next = () => {
        current = cancelled ? undefined : queue.shift();
        if (current === undefined) close();
        else worker.postMessage({ type: 'print', classId: current } satisfies ToPrintWorker);
      };
      worker.on('message', (message: FromPrintWorker) => {
        if (message.type === 'ready') {
          clearTimeout(startup);
          next();
        }
        else if (message.type === 'printed') {
          results.set(message.classId, message.pdf ? Buffer.from(message.pdf.buffer, message.pdf.byteOffset, message.pdf.byteLength) : null);
          next();
        } else if (message.type === 'query') {
          store.db.executeQuery(CompiledQuery.raw(message.sql, [...message.parameters])).then(
            (result) => {
              if (!closed) worker.postMessage({ type: 'result', id: message.id, rows: result.rows, numAffectedRows: result.numAffectedRows } satisfies ToPrintWorker);
            },
            (error: unknown) => {
              if (!closed) worker.postMessage({ type: 'error', id: message.id, message: String((error as Error)?.message ?? error) } satisfies ToPrintWorker);
            },
          );
        }
      });
      // A worker that fails leaves its class (and the queue) to the others or to the main thread.
      worker.on('error', close);
      worker.on('exit', close);
    }
    if (running === 0) resolveAll();
  });
  const done = (async () => {
    await inWorkers;
    await Promise.all(helpers);
    await printHere(); // whatever a failed worker left
    return results;
  })();
  return {
    done,
    helpHere() {
      const helping = printHere();
      helpers.push(helping);
      return helping;
    },
    cancel() {
      cancelled = true;
      queue.length = 0;
      for (const worker of workers) void worker.terminate().catch(() => {});
    },
  };
}
