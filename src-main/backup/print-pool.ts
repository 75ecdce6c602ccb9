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
/**
 * Classes a worker holds at once while the main thread reads the snapshot: its queries wait
 * for the main thread, so while one class waits for its rows the other is drawn. Once the
 * main thread prints too, its answers come at once and a worker holds one, so that at the
 * end no class waits in a busy worker while the main thread has nothing left.
 */
const CLASSES_IN_HAND = 2;
const WORKER_START_TIMEOUT_MS = 60_000;

/**
 * Prints the classes' journals. `classIds` may come later (a promise): the workers start
 * at once, since starting one costs about a second (modules, fonts, a cold JIT), and take
 * classes when the list comes. `printer` is the default one (printing-hook.ts): in `workers`
 * worker threads (default: one per core but the main thread's, at most four, no more than
 * one per eight classes), with the main thread helping once its own work is done
 * (`helpHere`). Any other printer (a test's) prints here, on the main thread, between the
 * snapshot's awaits.
 */
export function printJournals(store: Store, classIds: number[] | Promise<number[]>, printer: ClassJournalPrinter, options: { workers?: number } = {}): PrintJob {
  const results = new Map<number, Buffer | null>();
  const queue: number[] = [];
  let cancelled = false;
  let mainThreadHelps = false;
  let stopListing = () => {};
  const stopped = new Promise<number[]>((resolve) => (stopListing = () => resolve([])));
  /** How many classes there are to print, once known (none when the list fails or the job is cancelled). */
  const listed = Promise.race([Promise.resolve(classIds), stopped]).then(
    (ids) => {
      if (!cancelled) queue.push(...ids);
      return queue.length;
    },
    () => 0,
  );
  const printHere = async () => {
    await listed;
    for (let classId = queue.shift(); classId !== undefined && !cancelled; classId = queue.shift()) {
      results.set(classId, await printer(store, classId).catch(() => null));
    }
  };
  const script = printer === printCurrentPeriodJournal ? workerScript() : null;
  const workersFor = (classes: number) =>
    Math.min(classes, options.workers ?? Math.min(4, Math.max(1, availableParallelism() - 1), Math.ceil(classes / CLASSES_PER_WORKER)));
  // Not knowing the classes yet, as many workers as the cores allow; those not needed stop when the list comes.
  const count = Array.isArray(classIds) ? workersFor(classIds.length) : workersFor(Number.MAX_SAFE_INTEGER);
  if (!script || count < 1) {
    const here = printHere();
    const cancel = () => {
      cancelled = true;
      stopListing();
    };
    return { done: here.then(() => results), helpHere: () => here, cancel };
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
      const inHand = new Set<number>(); // back to the queue if the worker fails
      let closed = false;
      // A worker that never starts (a packaging that cannot load it) leaves its share to the main thread.
      const startup = setTimeout(() => close(), WORKER_START_TIMEOUT_MS);
      startup.unref();
      const close = () => {
        if (closed) return;
        closed = true;
        clearTimeout(startup);
        for (const classId of inHand) if (!results.has(classId)) queue.push(classId);
        void worker.terminate().catch(() => {});
        finished();
      };
      const next = () => {
        while (!cancelled && inHand.size < (mainThreadHelps ? 1 : CLASSES_IN_HAND) && queue.length > 0) {
          const classId = queue.shift()!;
          inHand.add(classId);
          worker.postMessage({ type: 'print', classId } satisfies ToPrintWorker);
        }
        if (inHand.size === 0) close();
      };
      worker.on('message', (message: FromPrintWorker) => {
        if (message.type === 'ready') {
          clearTimeout(startup);
          void listed.then((classes) => (n < workersFor(classes) ? next() : close()));
        }
        else if (message.type === 'printed') {
          inHand.delete(message.classId);
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
      mainThreadHelps = true;
      const helping = printHere();
      helpers.push(helping);
      return helping;
    },
    cancel() {
      cancelled = true;
      stopListing();
      queue.length = 0;
      for (const worker of workers) void worker.terminate().catch(() => {});
    },
  };
}
