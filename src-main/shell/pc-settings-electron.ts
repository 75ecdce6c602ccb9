import Store from 'electron-store';
import {
  defaultPcSettings,
  normalizePcSettings,
  validatePcSettingsChange,
  type PcSettings,
  type PcSettingsValues,
} from '../settings/pc-settings';

/**
 * The app's per-PC settings, in electron-store's file under userData (written atomically by
 * electron-store). Lives in the shell: electron-store needs Electron's `app` to load.
 */
export class ElectronStorePcSettings implements PcSettings {
  private readonly store = new Store<PcSettingsValues>({ name: 'pc-settings', defaults: defaultPcSettings, clearInvalidConfig: true });

  read(): PcSettingsValues {
    return normalizePcSettings(this.store.store);
  }

  update(change: Partial<PcSettingsValues>): PcSettingsValues {
    const next = { ...this.read(), ...validatePcSettingsChange(change) };
    this.store.set(next);
    return next;
  }
}
