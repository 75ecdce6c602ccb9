#!/usr/bin/env node
// Bundles the Electron shell into dist/shell/: main.js (ES module, the package's "main")
// and preload.cjs (CommonJS: a sandboxed preload cannot load ES modules). Independent of
// the renderer build, so it runs even before dist-renderer exists. Also the CLI for Node,
// dist/cli/main.js, which bin/zhurnal.mjs runs without compiling TypeScript at every start.
import { build } from 'esbuild';
import { external } from './bundle-externals.mjs';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'shell');
const cliOutdir = join(root, 'dist', 'cli');
rmSync(outdir, { recursive: true, force: true });
rmSync(cliOutdir, { recursive: true, force: true });
// CommonJS dependencies bundled into an ES module still call require().
const requireBanner = { js: "import { createRequire as __zhurnalCreateRequire } from 'node:module'; const require = __zhurnalCreateRequire(import.meta.url);" };

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
    banner: requireBanner,
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
    banner: requireBanner,
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
    banner: requireBanner,
  }),
  // The CLI under Node (a checkout's `zhurnal`), with its own print worker beside it.
  // Split into chunks: a command's own modules are read only when it runs (see cli/command.ts).
  build({
    ...common,
    entryPoints: { main: 'src-main/cli/main.ts', 'backup-print-worker': 'src-main/backup/print-worker.ts' },
    outdir: cliOutdir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    target: 'node20',
    external: external.filter((name) => name !== 'electron'),
    banner: requireBanner,
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
console.log('Оболочка Electron собрана: dist/shell/main.js, dist/shell/preload.cjs; командная строка: dist/cli/main.js');
