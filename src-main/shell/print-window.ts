// The system print dialog for a printed journal: the PDF itself is printed, not
// the app's window. The shell writes the PDF to a private temporary folder and opens it in a
// window of its own that shows Chromium's built-in PDF viewer (webPreferences.plugins); the
// viewer's printer button (or Ctrl+P inside it) opens the system print dialog, where the
// deputy picks the printer, duplex and copies.
//
// Why the deputy presses the viewer's button rather than the shell calling
// webContents.print() on load: a PDF window printed that way came out blank
// (electron/electron#30947). It was fixed in Electron 32 (electron/electron#43309), but
// main cannot tell when the viewer has finished laying out the document, and a blank or
// half sheet for the archive is worse than one more click. The window uses the default
// session: the PDF viewer shows nothing in a non-persistent partition
// (electron/electron#27121, still in 37).
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { HARDENED_WEB_PREFERENCES } from './trust';

const PREFIX = 'zhurnal-print-';

export interface PdfToPrint {
  bytes: Uint8Array;
  title: string;
  fileName: string;
}

/** Opens the PDF in a viewer window; its folder is removed when the window closes. */
export async function openPdfForPrinting(pdf: PdfToPrint, onError: (error: unknown) => void): Promise<void> {
  const dir = await mkdtemp(join(app.getPath('temp'), PREFIX));
  const file = join(dir, pdf.fileName);
  try {
    await writeFile(file, pdf.bytes, { mode: 0o600 });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const window = new BrowserWindow({
    width: 1100,
    height: 860,
    minWidth: 600,
    minHeight: 400,
    title: `Печать: ${pdf.title} — значок принтера вверху справа`,
    backgroundColor: '#525659',
    autoHideMenuBar: true,
    webPreferences: {
      // No preload: this window never talks to the core.
      ...HARDENED_WEB_PREFERENCES,
      plugins: true,
      spellcheck: false,
    },
  });
  window.setMenu(null);
  // The viewer would put the file name in the title bar; ours says what to press.
  window.on('page-title-updated', (event) => event.preventDefault());
  window.on('closed', () => {
    rm(dir, { recursive: true, force: true }).catch(onError);
  });
  await window.loadFile(file);
}

/** Folders left by a previous run that did not close its print windows (a crash, a power cut). */
export async function sweepPrintFolders(onError: (error: unknown) => void): Promise<void> {
  const temp = app.getPath('temp');
  try {
    const names = await readdir(temp);
    await Promise.all(names.filter((name) => name.startsWith(PREFIX)).map((name) => rm(join(temp, name), { recursive: true, force: true })));
  } catch (error) {
    onError(error);
  }
}
