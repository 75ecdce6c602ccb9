import type { Envelope } from '../../../src-shared/contract/envelope';
import { ApiError } from '../../api/client';
import { navigate } from '../../app/router';

// What printing can ask of the Electron shell, and what the browser build (the loopback
// bridge) does instead. The one place that decides which is available:
// - the whole school's folder: the shell's native folder picker; in a browser, a typed path
//   (the folder is on the computer that runs the core — with the bridge, this one);
// - «Печать…»: the shell opens the PDF in a viewer window whose printer button opens the
//   system print dialog; a browser prints the preview frame with its own PDF viewer;
// - the menu's «Печать…» (shell only) prints the document on screen, or opens this page.

const preload = typeof window === 'undefined' ? undefined : window.zhurnal;

function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.value;
  throw new ApiError(envelope.error.kind, envelope.error.message, envelope.error.details);
}

/** 'native': a folder picker window; 'typed': the person types the folder's full path. */
export const folderChoice: 'native' | 'typed' = typeof preload?.chooseFolder === 'function' ? 'native' : 'typed';

/** The native folder picker; null when the person closed it without choosing. */
export async function chooseFolder(title: string): Promise<string | null> {
  if (!preload?.chooseFolder) return null;
  return unwrap(await preload.chooseFolder(title));
}

/** True in the Electron app: «Печать…» goes to the shell's print window. */
export const shellPrints = typeof preload?.printPdf === 'function';

export async function printInShell(blob: Blob, title: string): Promise<void> {
  if (!preload?.printPdf) throw new ApiError('unavailable', 'Печать через системное окно доступна только в приложении «Журнал».');
  unwrap(await preload.printPdf(new Uint8Array(await blob.arrayBuffer()), title));
}

/** The document on screen that the menu's «Печать…» prints; null when there is none. */
let menuTarget: (() => void) | null = null;

/** A printed document registers itself while it is on screen; returns the unregister. */
export function offerToMenuPrint(print: () => void): () => void {
  menuTarget = print;
  return () => {
    if (menuTarget === print) menuTarget = null;
  };
}

preload?.onMenuPrint?.(() => {
  if (menuTarget) menuTarget();
  else navigate('/print');
});
