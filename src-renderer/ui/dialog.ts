import { useEffect, useRef } from 'react';

/** Open dialogs and panels, the newest last: Escape closes only the newest. */
const openDialogs: { close(): void; keepWhileTyping: boolean }[] = [];

const isEditable = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

function onEscape(event: KeyboardEvent): void {
  const newest = openDialogs.at(-1);
  if (event.key !== 'Escape' || !newest) return;
  // A form's panel stays while a field has the focus: one Escape must not throw away what was typed.
  if (newest.keepWhileTyping && isEditable(event.target)) return;
  event.preventDefault();
  newest.close();
}

/**
 * A dialog or side panel closes on Escape, and the focus goes back to where it was when it
 * opened (the journal grid, a button), so the keyboard carries on from the same place. With
 * a panel and a dialog inside it open, one Escape closes the dialog only.
 */
export function useCloseOnEscape(onClose: () => void, { keepWhileTyping = false }: { keepWhileTyping?: boolean } = {}): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const entry = { close: () => close.current(), keepWhileTyping };
    openDialogs.push(entry);
    if (openDialogs.length === 1) document.addEventListener('keydown', onEscape);
    return () => {
      openDialogs.splice(openDialogs.indexOf(entry), 1);
      if (openDialogs.length === 0) document.removeEventListener('keydown', onEscape);
      if (opener?.isConnected) opener.focus({ preventScroll: true });
    };
    // `keepWhileTyping` is fixed for the dialog's life, as the opener is.
  }, []);
}

/** The same, for a dialog drawn inline in a larger component: render it inside the dialog. */
export function CloseOnEscape({ onClose }: { onClose(): void }): null {
  useCloseOnEscape(onClose);
  return null;
}
