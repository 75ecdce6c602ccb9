/** The one IPC channel between preload and main. */
export const CALL_CHANNEL = 'zhurnal:call';
