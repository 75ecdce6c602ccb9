// The `zhurnal` command (bin/zhurnal.mjs, `npm run -s zhurnal -- …`): runs one command
// and sets the exit code. The logic lives in run.ts so tests can call it directly.
import { runCli } from './run';
import { processIo } from './terminal';

// exitCode rather than process.exit(): output piped to another program is flushed first.
process.exitCode = await runCli(process.argv.slice(2), processIo);
