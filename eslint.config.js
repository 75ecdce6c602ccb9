// Flat config: typescript-eslint's recommended rules, two type-aware promise rules, and
// the boundary rules of docs/architecture.md, enforced as import restrictions:
//   renderer → shared ← main;  shell → core;  never core → shell.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const electronOnlyInShell = [
  { group: ['electron', 'electron/*'], message: 'Только src-main/shell импортирует electron: ядро работает под обычным Node (docs/architecture.md, принцип 1).' },
  { group: ['electron-store'], message: 'electron-store — только в src-main/shell; остальным доступен интерфейс PcSettings.' },
];
const noMain = { group: ['**/src-main/**', '**/src-main'], message: 'Этот код не зависит от src-main: общее — в src-shared.' };
const noRenderer = { group: ['**/src-renderer/**', '**/src-renderer'], message: 'src-shared не зависит от интерфейса.' };
const noShell = { group: ['**/shell/**', '**/src-main/shell'], message: 'Ядро не зависит от оболочки Electron (shell → core, не наоборот).' };
// src-main/core is the router and what a handler gets; it reaches only the store and the audit
// chain (every write's trace). Registering the domains' handlers is src-main/app's job.
const noDomainInCore = {
  regex: '^\\.\\./(?!store/|audit/chain$|\\.\\./src-shared/)',
  message: 'src-main/core не зависит от доменов: обработчики регистрирует src-main/app (docs/architecture.md).',
};

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

// Node globals for the few plain-JS files (scripts, bin, this config).
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'URL', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'structuredClone'].map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'dist-renderer/**', 'release/**', 'test-results/**', 'playwright-report/**', '.tmp/**', 'coverage/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Tests and a few boundaries (zod internals, kysely dynamic tables) need an escape hatch.
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  // Type-aware: a promise nobody awaits loses its error (a save that failed silently), and
  // an async handler where a void callback is expected does the same.
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  // Boundaries. A later block replaces an earlier one's restriction for the files it
  // matches, so each block lists every pattern that applies to its folder.
  { files: ['**/*.{ts,tsx,js,mjs,cjs}'], ignores: ['src-main/shell/**'], rules: restrict(...electronOnlyInShell) },
  { files: ['src-main/**/*.{ts,tsx}'], ignores: ['src-main/shell/**'], rules: restrict(...electronOnlyInShell, noShell) },
  { files: ['src-main/core/**/*.{ts,tsx}'], rules: restrict(...electronOnlyInShell, noShell, noDomainInCore) },
  { files: ['src-renderer/**/*.{ts,tsx}'], rules: restrict(...electronOnlyInShell, noMain) },
  { files: ['src-shared/**/*.{ts,tsx}'], rules: restrict(...electronOnlyInShell, noMain, noRenderer) },
);
