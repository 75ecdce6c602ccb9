// The print worker in development and under the CLI: the TypeScript sources run through
// tsx's loader, registered here because a worker thread does not inherit the parent's.
// A packaged app runs the bundled dist/shell/backup-print-worker.js instead (print-pool.ts).
import { register } from 'tsx/esm/api';

register();
await import('./print-worker.ts');
