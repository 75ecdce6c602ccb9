import { parentPort } from 'node:worker_threads';
import { AppError } from '../../core/errors';
import { parseTable } from './read-table';
import type { FromReadWorker, ToReadWorker } from './table-reader';

// A worker thread that reads imported files, one at a time (table-reader.ts): a file built to
// exhaust memory or time costs this thread, which is then stopped, and never the core's.

const port = parentPort!;
const send = (message: FromReadWorker) => port.postMessage(message);

port.on('message', ({ id, bytes, fileName, sheet }: ToReadWorker) => {
  parseTable(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), fileName, sheet).then(
    (table) => send({ id, type: 'table', table }),
    (error: unknown) => {
      if (error instanceof AppError) send({ id, type: 'refused', kind: error.kind, message: error.message, details: error.details });
      else send({ id, type: 'failed', message: String((error as Error)?.message ?? error) });
    },
  );
});
