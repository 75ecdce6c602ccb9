import { api } from '../../api/client';
import { useApiQuery } from '../../api/use-api';
import { DataLocationPanel } from './DataLocationPanel';

// The administrator's «Хранение данных»: the same choice as on the first run. A switch ends
// every session (the core is a new one), so the app starts afresh: first run or login.
export function DataLocationPage() {
  const location = useApiQuery('pc.dataLocation', {});
  return (
    <section className="card" aria-label="Хранение данных">
      {location.error && (
        <p className="message message-error" role="alert">
          {location.error.message}
        </p>
      )}
      {!location.data && !location.error && <p className="muted">Загрузка…</p>}
      {location.data && <DataLocationPanel location={location.data} firstRun={false} onDone={restartApp} />}
    </section>
  );
}

function restartApp(): void {
  api.setSession(null);
  window.location.hash = '#/';
  window.location.reload();
}
