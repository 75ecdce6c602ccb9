import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The renderer: built once, loaded from file:// by Electron and over the loopback bridge
// in a browser, so every asset path is relative ('./').
export default defineConfig({
  root: fromRoot('./src-renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: fromRoot('./dist-renderer'),
    emptyOutDir: true,
    // Chromium of the Electron version we ship and of Debian's browser.
    target: 'chrome120',
    sourcemap: true,
  },
});
