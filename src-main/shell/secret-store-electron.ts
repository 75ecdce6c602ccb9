import { safeStorage } from 'electron';
import { AppError } from '../core/errors';
import { unreadableSecret } from '../settings/secret-store';
import { FileSecretStore, type SecretCodec } from '../settings/secret-store-file';

/**
 * Electron's safeStorage (DPAPI on Windows, the keyring on Linux, the Keychain on macOS) as
 * the codec of the secrets file: a copy of the file on another PC or under another user's
 * account does not decrypt. Usable after the app's `ready` event.
 */
const safeStorageCodec: SecretCodec = {
  encode(value) {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new AppError(
        'unavailable',
        'Не удалось сохранить пароль подключения: шифрование паролей в этой системе недоступно (в Linux нужна служба ключей — GNOME Keyring или KWallet).',
      );
    }
    return safeStorage.encryptString(value).toString('base64');
  },
  decode(stored, file) {
    try {
      return safeStorage.decryptString(Buffer.from(stored, 'base64'));
    } catch {
      throw unreadableSecret(file, 'система не смогла его расшифровать: возможно, профиль пользователя перенесён с другого компьютера');
    }
  },
};

/** The app's secrets: encrypted by the operating system, in a file of userData only this user may read. */
export class SafeStorageSecretStore extends FileSecretStore {
  constructor(file: string) {
    super(file, safeStorageCodec);
  }

  /**
   * On Linux without a keyring (GNOME Keyring, KWallet) safeStorage falls back to a key fixed
   * in Chromium ('basic_text'): the file is then readable by anyone who copies it.
   */
  warning(): string | null {
    if (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend?.() !== 'basic_text') return null;
    return 'Внимание: на этом компьютере нет хранилища паролей системы (GNOME Keyring или KWallet), поэтому пароль подключения к серверу защищён только постоянным ключом и может быть прочитан тем, кто скопирует файл. Администратору: установите и включите хранилище паролей, затем введите пароль подключения заново.';
  }
}
