// The import reader in development and under the CLI: the TypeScript sources run through
// tsx's loader, registered here because a worker thread does not inherit the parent's.
// A packaged app runs the bundled dist/shell/school-read-worker.js instead (table-reader.ts).
import { register } from 'tsx/esm/api';

register();
await import('./read-worker.ts');
