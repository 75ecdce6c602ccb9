import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ErrorKind } from '../../../src-shared/contract/envelope';
import { AppError, invalid } from '../../core/errors';
import { parseTable, type RawTable } from './read-table';

// An imported file is read off the core's thread: in a worker with its own, capped heap and a
// time limit, stopped as soon as it answers. The limits in read-table.ts refuse a bomb early;
// the heap cap and the timeout are the last line should a file find a way around them.

export interface ReadWorkerData {
  bytes: Uint8Array;
  fileName: string;
}

export type FromReadWorker =
  | { type: 'table'; table: RawTable }
  | { type: 'refused'; kind: ErrorKind; message: string; details?: unknown }
  | { type: 'failed'; message: string };

const READ_TIMEOUT_MS = 60_000;
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

/** The first sheet of an XLSX or a CSV given as base64, read in a worker thread. */
export async function readTable(content: string, fileName: string): Promise<RawTable> {
  const bytes = Buffer.from(content, 'base64');
  const script = workerScript();
  // A packaging without the worker script reads here, under the same limits.
  if (!script) return parseTable(bytes, fileName);
  const own = new Uint8Array(bytes); // a buffer of its own, handed over to the worker without a copy
  let worker: Worker;
  try {
    worker = new Worker(script, {
      workerData: { bytes: own, fileName } satisfies ReadWorkerData,
      transferList: [own.buffer],
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
  } catch {
    return parseTable(bytes, fileName);
  }
  return new Promise<RawTable>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate().catch(() => {});
      outcome();
    };
    const timer = setTimeout(
      () => finish(() => reject(invalid('Файл не импортирован: он читался дольше минуты и чтение остановлено. Оставьте в файле только нужный список.'))),
      READ_TIMEOUT_MS,
    );
    worker.on('message', (message: FromReadWorker) =>
      finish(() => {
        if (message.type === 'table') resolve(message.table);
        else if (message.type === 'refused') reject(new AppError(message.kind, message.message, message.details));
        else reject(new Error(message.message));
      }),
    );
    worker.on('error', (error: Error & { code?: string }) =>
      finish(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? invalid('Файл не импортирован: на его чтение не хватило отведённой памяти. Оставьте в файле только нужный список.')
            : error,
        ),
      ),
    );
    worker.on('exit', () => finish(() => reject(new Error('Поток чтения файла завершился, не ответив.'))));
  });
}
