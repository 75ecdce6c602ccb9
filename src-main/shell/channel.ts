/** The IPC channel between preload and main that carries every core call. */
export const CALL_CHANNEL = 'zhurnal:call';
/** The native folder picker (whole-school print into a folder). */
export const CHOOSE_FOLDER_CHANNEL = 'zhurnal:choose-folder';
/** A printed PDF shown in its own window, whose viewer prints through the system dialog. */
export const PRINT_PDF_CHANNEL = 'zhurnal:print-pdf';
/** Main → renderer: the menu's «Печать…» asks the page to print the document on screen. */
export const MENU_PRINT_CHANNEL = 'zhurnal:menu-print';
/** The journal outbox on this PC's disk: `load`, `put` an entry, `remove` an id. */
export const OUTBOX_CHANNEL = 'zhurnal:outbox';
