import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../core/errors';
import { parseTable } from './read-table';
import type { ReadWorkerData, FromReadWorker } from './table-reader';

// A worker thread that reads one imported file (table-reader.ts): a file built to exhaust
// memory or time costs this thread, which is stopped, and never the core's.

const { bytes, fileName } = workerData as ReadWorkerData;
const send = (message: FromReadWorker) => parentPort!.postMessage(message);

parseTable(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), fileName).then(
  (table) => send({ type: 'table', table }),
  (error: unknown) => {
    if (error instanceof AppError) send({ type: 'refused', kind: error.kind, message: error.message, details: error.details });
    else send({ type: 'failed', message: String((error as Error)?.message ?? error) });
  },
);
