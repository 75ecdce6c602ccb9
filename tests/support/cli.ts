import { spawn } from 'node:child_process';

/**
 * The `zhurnal` CLI from its TypeScript sources, as bin/zhurnal.mjs runs it in a checkout
 * without a fresh bundle. Tests never start dist/cli: shell.test.ts rebuilds it while other
 * files run, and it tests the bundled CLI itself.
 */
export const ZHURNAL_FROM_SOURCES = ['--import', 'tsx', new URL('../../src-main/cli/main.ts', import.meta.url).pathname];

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The installed CLI as an administrator runs it: a separate process, stdin closed, `env` over this process's. */
export function runZhurnal(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...ZHURNAL_FROM_SOURCES, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
