import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from './src-shared/content-security-policy';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Writes the one Content-Security-Policy into index.html's <meta> tag. */
const contentSecurityPolicy = (): Plugin => ({
  name: 'zhurnal-csp',
  transformIndexHtml: (html) => html.replace('%ZHURNAL_CSP%', CONTENT_SECURITY_POLICY_META),
});

// The renderer: built once, loaded from file:// by Electron and over the loopback bridge
// in a browser, so every asset path is relative ('./').
export default defineConfig({
  root: fromRoot('./src-renderer'),
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: fromRoot('./dist-renderer'),
    emptyOutDir: true,
    // Chromium of the Electron version we ship and of Debian's browser.
    target: 'chrome120',
    sourcemap: true,
  },
});
