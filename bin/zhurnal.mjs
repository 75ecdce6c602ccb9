#!/usr/bin/env node
// The `zhurnal` command from a checkout or `npm install -g`: the bundled CLI
// (dist/cli/main.js, made by `npm run build`) when it is at least as new as the sources,
// otherwise the TypeScript sources through tsx's loader (no build step needed). The
// installed app answers the same commands itself: `zhurnal host …` (see README).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'dist', 'cli', 'main.js');

/** The newest modification time under the folders the CLI is built from (0 if none). */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of ['src-main', 'src-shared', 'migrations']) if (existsSync(join(root, dir))) walk(join(root, dir));
  return newest;
}

try {
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource()) {
    await import(new URL('../dist/cli/main.js', import.meta.url).href);
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    await import(new URL('../src-main/cli/main.ts', import.meta.url).href);
  }
} catch (error) {
  // A native module built for Electron fails to load here, before the CLI can explain it.
  const text = String(error?.message ?? error);
  if (error?.code === 'ERR_DLOPEN_FAILED' || text.includes('NODE_MODULE_VERSION')) {
    console.error('Нативные модули (better-sqlite3, argon2) собраны для Electron. Выполните: node scripts/native-abi.mjs node');
  } else {
    console.error(`Не удалось запустить zhurnal: ${text}`);
  }
  process.exitCode = 1;
}
