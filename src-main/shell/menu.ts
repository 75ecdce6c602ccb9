import { app, dialog, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/** A minimal Russian menu: the app's own screens do the work, the menu covers the basics. */
export function buildMenu(getWindow: () => BrowserWindow | null, printDocument: () => void): Menu {
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'Файл',
      submenu: [
        // The page prints the journal on screen, or opens «Печать журнала» (never the app's UI).
        { label: 'Печать…', accelerator: 'CmdOrCtrl+P', click: printDocument },
        { type: 'separator' },
        { label: 'Выход', role: 'quit' },
      ],
    },
    {
      label: 'Правка',
      submenu: [
        { label: 'Отменить', role: 'undo' },
        { label: 'Повторить', role: 'redo' },
        { type: 'separator' },
        { label: 'Вырезать', role: 'cut' },
        { label: 'Копировать', role: 'copy' },
        { label: 'Вставить', role: 'paste' },
        { label: 'Выделить всё', role: 'selectAll' },
      ],
    },
    {
      label: 'Вид',
      submenu: [
        { label: 'Крупнее', role: 'zoomIn' },
        { label: 'Мельче', role: 'zoomOut' },
        { label: 'Обычный размер', role: 'resetZoom' },
        { type: 'separator' },
        { label: 'Во весь экран', role: 'togglefullscreen' },
        // Developer tools only in a checkout, never for a teacher.
        ...(app.isPackaged ? [] : ([{ type: 'separator' }, { label: 'Инструменты разработчика', role: 'toggleDevTools' }] as MenuItemConstructorOptions[])),
      ],
    },
    {
      label: 'Справка',
      submenu: [
        {
          label: 'О программе',
          click: () => {
            const window = getWindow();
            const options = {
              type: 'info' as const,
              title: 'О программе',
              message: `Журнал ${app.getVersion()}`,
              detail: 'Электронный классный журнал школы. Данные хранятся в школе, на её компьютерах.',
              buttons: ['Закрыть'],
            };
            void (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options));
          },
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
