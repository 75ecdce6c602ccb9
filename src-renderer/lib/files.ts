import { MAX_IMPORT_BYTES } from '../../src-shared/contract/school-files';

// Files cross the contract as base64: a file the person chose is read into base64 for an
// import, and a file the core made (PDF, XLSX, CSV) is turned back into bytes to save.

export interface ChosenFile {
  name: string;
  content: string;
}

async function fileToBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode with a whole file's bytes overflows the call stack.
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

/**
 * A file chosen for an import, read as base64; or, for a file over the import limit, the
 * Russian message to show (`tooLargeHint` completes it, e.g. how to make the file smaller).
 */
export async function readChosenFile(file: File, tooLargeHint = ''): Promise<{ chosen: ChosenFile } | { problem: string }> {
  if (file.size > MAX_IMPORT_BYTES) return { problem: `Файл «${file.name}» больше 5 МБ${tooLargeHint ? `: ${tooLargeHint}` : ''}.` };
  return { chosen: { name: file.name, content: await fileToBase64(file) } };
}

export function base64ToBlob(content: string, mimeType: string): Blob {
  const binary = atob(content);
  const bytes = new Uint8Array(binary.length);
  for (let at = 0; at < binary.length; at++) bytes[at] = binary.charCodeAt(at);
  return new Blob([bytes], { type: mimeType });
}

/** Offers a file to the person: the browser's download (in Electron, its save dialog). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by now; the URL only has to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file the core made, as the contract returns it, offered for saving. */
export function saveBase64File(file: { fileName: string; mimeType: string; content: string }): void {
  saveBlob(base64ToBlob(file.content, file.mimeType), file.fileName);
}
