// Starts dist/shell/main.js with the stub as the installed app run with CLI arguments
// (`zhurnal <args>`), and prints, as JSON, how it ended.
import { rmSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

register('./hooks.mjs', import.meta.url);
const root = process.env.ZHURNAL_APP_ROOT;
// As `electron . <args>` (not packaged): Electron's own first argument is the app folder.
process.argv = [process.execPath, root, ...JSON.parse(process.env.ZHURNAL_CLI_ARGS)];
const exited = new Promise((resolve) => (globalThis.electronStubExit = resolve));
await import(pathToFileURL(join(root, 'dist', 'shell', 'main.js')).href);
const stub = globalThis.electronStub;
stub.onExit = (code) => globalThis.electronStubExit(code);
const exitCode = await exited;
console.error(JSON.stringify({ exitCode, windows: stub.windows.length, singleInstance: stub.singleInstance ?? false }));
rmSync(stub.appData, { recursive: true, force: true });
rmSync(stub.temp, { recursive: true, force: true });
process.exit(0);
