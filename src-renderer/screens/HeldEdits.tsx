import { useHeldEdits } from '../outbox/index';

/**
 * Before sign-in (the app reopened while the server is away): the edits kept on this PC are
 * counted, not shown — nobody's identity is checked yet — and wait for their author to sign in.
 * Nothing can be typed until then: sign-in needs the server.
 */
export function HeldEdits() {
  const held = useHeldEdits();
  if (held === 0) return null;
  return (
    <p className="message message-info" role="status">
      На этом компьютере сохранены неотправленные изменения журнала: {held}. Они не потеряются: уйдут на сервер, когда связь вернётся и тот, кто их внёс, войдёт в «Журнал».
    </p>
  );
}
