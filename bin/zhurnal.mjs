#!/usr/bin/env node
// The installed `zhurnal` command: the CLI is TypeScript, run through tsx's loader so an
// administrator's checkout needs no build step.
import { register } from 'tsx/esm/api';

register();
try {
  await import(new URL('../src-main/cli/main.ts', import.meta.url).href);
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
