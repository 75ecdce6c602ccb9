import { spawn } from 'node:child_process';
import { app, dialog, shell, type BrowserWindow } from 'electron';
import { checkForUpdate, downloadUpdate, updatePortOf } from '../lan/updates';
import type { PcSettings } from '../settings/pc-settings';

/**
 * At start, a staff PC connected to the school's server asks the host for its version
 * (src-main/lan/updates.ts) and, when it is newer, offers to install it: on Windows the
 * installer downloaded from the host starts and the app quits; on Linux the package is
 * shown in its folder for the administrator to install.
 */
export async function offerUpdateFromHost(settings: PcSettings, window: () => BrowserWindow | null, log: (error: unknown) => void): Promise<void> {
  try {
    const choice = settings.read().database;
    if (choice?.kind !== 'postgres') return;
    const server = new URL(choice.url);
    const baseUrl = `http://${server.hostname}:${updatePortOf(Number(server.port || 5432))}/`;
    const offer = await checkForUpdate({ baseUrl, currentVersion: app.getVersion() });
    if (!offer) return;
    const options = {
      type: 'info' as const,
      title: 'Обновление «Журнала»',
      message: `На сервере школы есть «Журнал» версии ${offer.version}, а на этом компьютере — ${offer.currentVersion}.`,
      detail: 'Обновите программу, чтобы работать с базой школы: старая версия не может сохранять данные в обновлённую базу.',
      buttons: ['Обновить сейчас', 'Позже'],
      defaultId: 0,
      cancelId: 1,
    };
    const owner = window();
    const answer = owner ? await dialog.showMessageBox(owner, options) : await dialog.showMessageBox(options);
    if (answer.response !== 0) return;
    const file = await downloadUpdate(offer, app.getPath('temp'));
    if (process.platform === 'win32') {
      spawn(file, [], { detached: true, stdio: 'ignore' }).unref();
      app.quit();
      return;
    }
    shell.showItemInFolder(file);
    await dialog.showMessageBox({
      type: 'info',
      title: 'Обновление «Журнала»',
      message: `Пакет версии ${offer.version} сохранён: ${file}.`,
      detail: 'Установите его с правами администратора (например, через менеджер пакетов) и запустите «Журнал» снова.',
    });
  } catch (error) {
    log(error);
  }
}
