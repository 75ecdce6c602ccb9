#!/usr/bin/env node
// better-sqlite3 and argon2 are native modules: one build serves either Node (tests, CLI,
// bridge) or Electron (the app), never both. This script makes sure the build in
// node_modules matches the runtime about to start, rebuilding only when it does not.
//   node scripts/native-abi.mjs node      -> builds that load in this Node
//   node scripts/native-abi.mjs electron  -> electron-builder install-app-deps (needs internet)
import { spawnSync } from 'node:child_process';

const target = process.argv[2];
if (target !== 'node' && target !== 'electron') {
  console.error('Использование: node scripts/native-abi.mjs node|electron');
  process.exit(2);
}

const probe = `
  const Database = require('better-sqlite3');
  new Database(':memory:').prepare('select 1').get();
  require('argon2').hash('probe', { timeCost: 2, memoryCost: 1024 }).then(() => process.exit(0), () => process.exit(3));
`;

function loadsInNode() {
  // A crashing prebuild (argon2's on Node 20) kills the process, so probe in a child.
  const result = spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore', timeout: 60_000 });
  return result.status === 0;
}

function run(command, args) {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (target === 'node') {
  if (loadsInNode()) process.exit(0);
  console.log('Нативные модули не загружаются в этом Node: собираю из исходников (около минуты)…');
  run('npm', ['rebuild', 'better-sqlite3', 'argon2', '--build-from-source']);
  if (!loadsInNode()) {
    console.error('better-sqlite3 или argon2 не загружаются и после сборки из исходников.');
    process.exit(1);
  }
} else {
  run('npx', ['electron-builder', 'install-app-deps']);
}
