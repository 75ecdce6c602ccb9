import { useEffect, useRef } from 'react';

/**
 * A dialog closes on Escape, and the focus goes back to where it was when the dialog
 * opened (the journal grid, a button), so the keyboard carries on from the same place.
 */
export function useCloseOnEscape(onClose: () => void): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      close.current();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (opener?.isConnected) opener.focus({ preventScroll: true });
    };
  }, []);
}

/** The same, for a dialog drawn inline in a larger component: render it inside the dialog. */
export function CloseOnEscape({ onClose }: { onClose(): void }): null {
  useCloseOnEscape(onClose);
  return null;
}
