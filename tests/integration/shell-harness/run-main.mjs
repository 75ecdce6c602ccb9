// Starts dist/shell/main.js with the stub and prints, as JSON, what a test needs to see.
import { readdirSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

register('./hooks.mjs', import.meta.url);
const root = process.env.ZHURNAL_APP_ROOT;
await import(pathToFileURL(join(root, 'dist', 'shell', 'main.js')).href);
const stub = globalThis.electronStub;
const call = stub.handlers['zhurnal:call'];
const own = { senderFrame: { url: `${pathToFileURL(join(root, 'dist-renderer', 'index.html')).href}#/login` } };
const foreign = { senderFrame: { url: 'https://example.org/' } };
let permissionGranted = null;
stub.permissionHandler(null, 'media', (granted) => (permissionGranted = granted));
const window = stub.windows[0];
console.log(JSON.stringify({
  webPreferences: window.options.webPreferences,
  loaded: window.loaded,
  openHandler: window.openHandler({ url: 'https://example.org/' }),
  menu: stub.menu.map((item) => item.label),
  switches: stub.switches,
  permissionGranted,
  status: await call(own, 'setup.status', { input: {}, session: null }),
  foreign: await call(foreign, 'setup.status', { input: {}, session: null }),
  unknown: await call(own, 'process.exit', { input: {}, session: null }),
  badInput: await call(own, 'auth.login', { input: 5, session: null }),
  userData: readdirSync(stub.userData),
}));
rmSync(stub.userData, { recursive: true, force: true });
process.exit(0);
