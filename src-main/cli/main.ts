// The `zhurnal` command (bin/zhurnal.mjs, `npm run -s zhurnal -- …`): runs one command
// and sets the exit code. The logic lives in run.ts so tests can call it directly.
import { describeEnvironmentError, EXIT_FAILURE, runCli } from './run';
import { processIo } from './terminal';

// Last resort for an error no command caught (an emitter's unhandled 'error'): a Russian
// line and exit code 1 instead of Node's English stack trace.
function crashed(error: unknown): void {
  processIo.err(describeEnvironmentError(error) ?? `Непредвиденная ошибка: ${(error as Error)?.message ?? String(error)}`);
  if (processIo.env.ZHURNAL_DEBUG) processIo.err(String((error as Error)?.stack ?? ''));
  process.exit(EXIT_FAILURE);
}
process.on('uncaughtException', crashed);
process.on('unhandledRejection', crashed);

// exitCode rather than process.exit(): output piped to another program is flushed first.
process.exitCode = await runCli(process.argv.slice(2), processIo);
