import { chmodSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomically } from './pc-settings-file';
import { parseSecretFile, unreadableSecret, type SecretFile, type SecretStore } from './secret-store';

export interface SecretCodec {
  encode(value: string): string;
  /** Throws an AppError (unreadableSecret) when a stored value cannot be turned back. */
  decode(stored: string, file: string): string;
}

const plainText: SecretCodec = { encode: (value) => value, decode: (stored) => stored };

/**
 * Secrets for the CLI and the bridge: a JSON file in the PC settings folder that only this
 * user may read (mode 0600, tightened again if someone widened it). On Windows the mode
 * bits mean nothing; the file sits in the user's own profile folder, which only that
 * user's account can open. The app itself encrypts instead (safeStorage, in the shell).
 */
export class FileSecretStore implements SecretStore {
  /** `codec` turns a secret into what the file holds and back; plain text unless given (the app encrypts). */
  constructor(
    readonly file: string,
    private readonly codec: SecretCodec = plainText,
  ) {}

  private load(): SecretFile {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, secrets: {} };
      throw unreadableSecret(this.file, `файл не открывается: ${(error as Error).message}`);
    }
    if (process.platform !== 'win32' && (statSync(this.file).mode & 0o077) !== 0) chmodSync(this.file, 0o600);
    const parsed = parseSecretFile(text);
    if (!parsed) throw unreadableSecret(this.file, 'файл паролей повреждён');
    return parsed;
  }

  get(key: string): string | null {
    const stored = this.load().secrets[key];
    return stored === undefined ? null : this.codec.decode(stored, this.file);
  }

  set(key: string, value: string): void {
    const encoded = this.codec.encode(value);
    const current = this.loadForWrite();
    this.save({ version: 1, secrets: { ...current.secrets, [key]: encoded } });
  }

  delete(key: string): void {
    const current = this.loadForWrite();
    if (!(key in current.secrets)) return;
    const { [key]: _removed, ...rest } = current.secrets;
    this.save({ version: 1, secrets: rest });
  }

  /** A damaged file holds nothing that can be read back: a write starts it afresh. */
  private loadForWrite(): SecretFile {
    try {
      return this.load();
    } catch {
      return { version: 1, secrets: {} };
    }
  }

  private save(content: SecretFile): void {
    // writeFileAtomically creates the file with mode 0600 before anything is written to it.
    writeFileAtomically(this.file, `${JSON.stringify(content, null, 2)}\n`);
    if (process.platform !== 'win32') chmodSync(this.file, 0o600);
  }
}
