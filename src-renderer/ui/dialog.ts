import { useEffect, useRef } from 'react';

/** Open dialogs and panels, the newest last: Escape closes only the newest. */
const openDialogs: { close(): void }[] = [];

function onEscape(event: KeyboardEvent): void {
  const newest = openDialogs.at(-1);
  if (event.key !== 'Escape' || !newest) return;
  event.preventDefault();
  newest.close();
}

/**
 * A dialog or side panel closes on Escape, and the focus goes back to where it was when it
 * opened (the journal grid, a button), so the keyboard carries on from the same place. With
 * a panel and a dialog inside it open, one Escape closes the dialog only.
 */
export function useCloseOnEscape(onClose: () => void): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const entry = { close: () => close.current() };
    openDialogs.push(entry);
    if (openDialogs.length === 1) document.addEventListener('keydown', onEscape);
    return () => {
      openDialogs.splice(openDialogs.indexOf(entry), 1);
      if (openDialogs.length === 0) document.removeEventListener('keydown', onEscape);
      if (opener?.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);
}

/** The same, for a dialog drawn inline in a larger component: render it inside the dialog. */
export function CloseOnEscape({ onClose }: { onClose(): void }): null {
  useCloseOnEscape(onClose);
  return null;
}
