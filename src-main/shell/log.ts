import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';

/**
 * Unexpected errors go to userData/logs/main.log: the user sees a short Russian message,
 * the administrator who is asked to help finds the details here.
 */
export function createErrorLog(userDataDir: string) {
  const dir = join(userDataDir, 'logs');
  const file = join(dir, 'main.log');
  return {
    file,
    write(context: string, error: unknown): void {
      try {
        mkdirSync(dir, { recursive: true });
        appendFileSync(file, `${new Date().toISOString()} [${context}] ${inspect(error, { depth: 6 })}\n`);
      } catch {
        // Logging must never take the app down with it.
      }
    },
  };
}
