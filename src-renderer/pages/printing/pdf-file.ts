// A printed PDF arrives from the core as base64; the renderer turns it into a Blob once and
// hands out blob: URLs for the preview frame and for «Сохранить PDF».

import { usesBridge } from '../../api/transport';
import { base64ToBlob } from '../../lib/files';

// Saving any file is lib/files' job; re-exported for the pages that still import it from here.
export { saveBlob } from '../../lib/files';

export function pdfBlob(base64: string): Blob {
  return base64ToBlob(base64, 'application/pdf');
}

/**
 * Whether this page's Content-Security-Policy lets a blob: PDF into a frame (it does since
 * `frame-src 'self' blob:` was added; a stricter policy would refuse the frame with a console
 * error, so the page checks rather than assumes).
 */
export function pdfFramesAllowed(): boolean {
  const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  const policy = meta?.getAttribute('content') ?? '';
  const directives = new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map((words) => [words[0]!.toLowerCase(), words.slice(1)] as const),
  );
  const sources = directives.get('frame-src') ?? directives.get('child-src') ?? directives.get('default-src');
  return sources === undefined || sources.includes('blob:');
}

/** Browser build only: the PDF in a new tab, where the browser's own viewer prints it. */
export const canOpenInTab = usesBridge;

export function openInTab(blob: Blob): void {
  const url = URL.createObjectURL(blob);
  window.open(url, '_blank');
  setTimeout(() => URL.revokeObjectURL(url), 10 * 60_000);
}

/** SHA-256 of a file the person picked, to find it in the print log (D-39). */
export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** «1,2 МБ». */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} Б`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} КБ`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} МБ`;
}
