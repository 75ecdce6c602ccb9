/**
 * The renderer's Content-Security-Policy, one definition for every way the page is served:
 * the Electron shell's header, the loopback bridge's header, and the <meta> tag the build
 * writes into index.html (a file:// page gets no headers). Only our own scripts, styles and
 * calls; PDFs of printed journals are previewed in a frame from a blob: URL.
 */
const directives = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

export const CONTENT_SECURITY_POLICY = [...directives, "frame-ancestors 'none'"].join('; ');

/** As a <meta> tag: browsers ignore frame-ancestors there, so it is left out. */
export const CONTENT_SECURITY_POLICY_META = directives.join('; ');
