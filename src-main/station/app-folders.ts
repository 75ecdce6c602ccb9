import { join } from 'node:path';

/**
 * Where the installed app keeps its data. The folder names are ASCII: PostgreSQL's file
 * APIs fail on a Cyrillic path on a non-Russian Windows, and a school's Windows user may
 * well be called «Учитель».
 */

/** The per-user folder under the OS's application data (~/.config, %APPDATA%). */
export const DATA_FOLDER_NAME = 'Zhurnal';

/**
 * The host's server data. On Windows under %ProgramData% (per machine, an ASCII path even
 * when the user's profile path is Cyrillic); elsewhere in the user's data folder.
 */
export function hostDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, userData: string): string {
  if (platform !== 'win32') return userData;
  return join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', DATA_FOLDER_NAME, 'server');
}

/**
 * Where the host keeps the installers it serves to staff PCs: on Windows the installer copies
 * itself to %ProgramData%\Zhurnal\updates; elsewhere the administrator puts the packages in
 * the user's data folder's updates/.
 */
export function updatesFolder(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, userData: string): string {
  if (platform !== 'win32') return join(userData, 'updates');
  return join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', DATA_FOLDER_NAME, 'updates');
}

/** `work`'s outcome, or false if `ms` passed first (work goes on in the background). */
export async function withTimeLimit(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
