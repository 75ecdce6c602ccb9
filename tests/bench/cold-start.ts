// A cold process for the foundation bench: opens the core on an existing database, answers
// one call, says «ready» and the CPU it has used so far (ms, every thread) on stdout, and exits. Run through tsx (as the CLI and the bridge
// start today) and bundled by esbuild (as the app's shell is built).
import { createCore } from '../../src-main/core/core';

const databaseUrl = process.argv[2];
if (!databaseUrl) {
  process.stderr.write('Использование: cold-start БАЗА\n');
  process.exit(2);
}
const core = await createCore({ databaseUrl, checkOutputs: false });
const result = await core.call({ method: 'setup.status', input: {}, session: null });
const used = process.cpuUsage();
process.stdout.write(result.ok ? `ready ${(used.user + used.system) / 1000}\n` : `failed: ${result.error.message}\n`);
await core.close();
