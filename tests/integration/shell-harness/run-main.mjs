// Starts dist/shell/main.js with the stub and prints, as JSON, what a test needs to see.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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

// The shell-only channels: a folder picker and a PDF printed in a viewer window.
const chooseFolder = stub.handlers['zhurnal:choose-folder'];
const printPdf = stub.handlers['zhurnal:print-pdf'];
const fromOwn = { ...own, sender: window.webContents };
const fromForeign = { ...foreign, sender: window.webContents };
const pdf = new Uint8Array(Buffer.from('%PDF-1.7\n% Журнал\n%%EOF\n'));
const folderOwn = await chooseFolder(fromOwn, 'Папка для журналов всей школы');
const folderForeign = await chooseFolder(fromForeign, 'Папка');
const printForeign = await printPdf(fromForeign, pdf, 'Журнал');
const printNotPdf = await printPdf(fromOwn, new Uint8Array(Buffer.from('<html>печать</html>')), 'Журнал');
const printPath = await printPdf(fromOwn, '/etc/passwd', 'Журнал');
const printTooBig = await printPdf(fromOwn, new Uint8Array(64 * 1024 * 1024 + 1).fill(0x25), 'Журнал');
const windowsBefore = stub.windows.length;
const printOwn = await printPdf(fromOwn, pdf, 'Классный журнал 5А класса, I четверть 2025/2026 учебного года');
const printWindow = stub.windows.length === windowsBefore + 1 ? stub.windows[stub.windows.length - 1] : null;
const printedFile = printWindow?.loaded ?? null;
const printedBytesSame = printedFile !== null && Buffer.from(readFileSync(printedFile)).equals(Buffer.from(pdf));
printWindow?.emit('closed');
await new Promise((resolve) => setTimeout(resolve, 100));
// The menu's «Печать…» asks the page; it never prints the app's own window.
const fileMenu = stub.menu.find((item) => item.label === 'Файл');
fileMenu.submenu.find((item) => item.label === 'Печать…').click();

// The station: the first-run choice through the window, a
// switch to the test's PostgreSQL database, its password encrypted with safeStorage.
async function stationChecks() {
  const location = await call(own, 'pc.dataLocation', { input: {}, session: null });
  if (!process.env.ZHURNAL_TEST_POSTGRES_URL) return { location };
  const target = new URL(process.env.ZHURNAL_TEST_POSTGRES_URL);
  const password = decodeURIComponent(target.password);
  const connection = { host: target.hostname, port: Number(target.port), database: target.pathname.slice(1), user: decodeURIComponent(target.username), password, tls: 'off' };
  const switched = await call(own, 'pc.usePostgres', { input: { ...connection, applyMigrations: true }, session: null });
  const statusAfter = await call(own, 'setup.status', { input: {}, session: null });
  const settingsText = readFileSync(join(stub.userData, 'pc-settings.json'), 'utf8');
  const secretsText = readFileSync(join(stub.userData, 'secrets.json'), 'utf8');
  return { location, switched, statusAfter, passwordInSettings: settingsText.includes(password), passwordInSecrets: secretsText.includes(password), secretsText };
}

console.log(JSON.stringify({
  folderOwn,
  folderForeign,
  folderDialog: stub.dialogs[0] ?? null,
  printForeign,
  printNotPdf,
  printPath,
  printTooBig,
  printOwn,
  printWindow: printWindow && { webPreferences: printWindow.options.webPreferences, title: printWindow.options.title, menu: 'menu' in printWindow ? printWindow.menu : 'not removed' },
  printedFile,
  printedBytesSame,
  printedFileRemoved: printedFile !== null && !existsSync(printedFile),
  menuSent: stub.sent,
  printedUi: stub.printedUi ?? false,
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
  userDataPath: stub.userData,
  appName: stub.name,
  dictionaryUrl: stub.dictionaryUrl ?? null,
  station: await stationChecks(),
}));
rmSync(stub.appData, { recursive: true, force: true });
rmSync(stub.temp, { recursive: true, force: true });
process.exit(0);
