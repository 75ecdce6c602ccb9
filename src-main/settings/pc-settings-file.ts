import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { normalizePcSettings, validatePcSettingsChange, type PcSettings, type PcSettingsValues } from './pc-settings';

/**
 * Per-PC settings in a JSON file, for the CLI and the bridge (the app uses electron-store).
 * Every write goes to a temporary file that is flushed and then renamed over the old one:
 * a power cut leaves either the old settings or the new, never half a file.
 */
export class JsonFilePcSettings implements PcSettings {
  constructor(readonly file: string) {}

  read(): PcSettingsValues {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return normalizePcSettings({});
      throw new Error(`Не удалось прочитать настройки компьютера (${this.file}): ${(error as Error).message}`);
    }
    try {
      return normalizePcSettings(JSON.parse(text));
    } catch {
      throw new Error(`Файл настроек компьютера повреждён: ${this.file}. Исправьте или удалите его.`);
    }
  }

  update(change: Partial<PcSettingsValues>): PcSettingsValues {
    const next = { ...this.read(), ...validatePcSettingsChange(change) };
    writeFileAtomically(this.file, `${JSON.stringify(next, null, 2)}\n`);
    return next;
  }
}

export function writeFileAtomically(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  // The rename itself lives in the directory: flush it too where the platform allows.
  if (process.platform !== 'win32') {
    const dirFd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  }
}
