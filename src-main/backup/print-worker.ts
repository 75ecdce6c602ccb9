import { parentPort, workerData } from 'node:worker_threads';
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { Store } from '../store/database';
import type { Database } from '../store/schema';
import type { FromPrintWorker, PrintWorkerData, ToPrintWorker } from './print-pool';
import { printCurrentPeriodJournal } from './printing-hook';

// A worker thread that prints class journals for a backup (print-pool.ts). Its database is
// the main thread's store: every query is sent there and its rows come back.

const port = parentPort!;
const { engine } = workerData as PrintWorkerData;
const send = (message: FromPrintWorker) => port.postMessage(message);

let nextQuery = 0;
const waiting = new Map<number, { resolve: (result: QueryResult<unknown>) => void; reject: (error: Error) => void }>();

const connection: DatabaseConnection = {
  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const id = nextQuery++;
    return new Promise<QueryResult<R>>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (result: QueryResult<unknown>) => void, reject });
      send({ type: 'query', id, sql: compiled.sql, parameters: compiled.parameters });
    });
  },
  streamQuery() {
    throw new Error('Потоковые запросы в потоке печати не поддерживаются.');
  },
};

const readOnly = () => Promise.reject(new Error('Поток печати только читает данные.'));
const driver: Driver = {
  init: async () => {},
  acquireConnection: async () => connection,
  beginTransaction: readOnly,
  commitTransaction: readOnly,
  rollbackTransaction: readOnly,
  releaseConnection: async () => {},
  destroy: async () => {},
};

const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => (engine === 'postgres' ? new PostgresAdapter() : new SqliteAdapter()),
    createDriver: () => driver,
    createIntrospector: (kysely) => (engine === 'postgres' ? new PostgresIntrospector(kysely) : new SqliteIntrospector(kysely)),
    createQueryCompiler: () => (engine === 'postgres' ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
  },
});
const store: Store = { db, engine, location: 'поток печати', close: () => db.destroy(), optimize: () => {} };

port.on('message', (message: ToPrintWorker) => {
  if (message.type === 'result' || message.type === 'error') {
    const pending = waiting.get(message.id);
    waiting.delete(message.id);
    if (message.type === 'result') pending?.resolve({ rows: message.rows, numAffectedRows: message.numAffectedRows });
    else pending?.reject(new Error(message.message));
    return;
  }
  void printCurrentPeriodJournal(store, message.classId).then((pdf) => {
    const bytes = pdf ? new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength) : null;
    send({ type: 'printed', classId: message.classId, pdf: bytes });
  });
});
send({ type: 'ready' });
