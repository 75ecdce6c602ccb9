import { useCallback, useEffect, useState } from 'react';
import type { DataLocation } from '../../src-shared/contract/pc';
import { api, asApiError } from '../api/client';
import { DataLocationPanel } from '../pages/settings/DataLocationPanel';
import { AuthLayout } from './AuthLayout';

/** «Где хранить данные» before the school exists, or when the database cannot be opened. */
export function DataLocationScreen({ onDone, onBack }: { onDone(): void; onBack?(): void }) {
  const [location, setLocation] = useState<DataLocation | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setLocation(await api.call('pc.dataLocation', {}));
      setError(null);
    } catch (thrown) {
      setError(asApiError(thrown).message);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <AuthLayout title="Где хранить данные" wide>
      {error && (
        <p className="message message-error" role="alert">
          {error}
        </p>
      )}
      {!location && !error && <p className="muted">Загрузка…</p>}
      {location && <DataLocationPanel location={location} firstRun onDone={onDone} />}
      {onBack && (
        <div className="form-actions">
          <button type="button" className="button" onClick={onBack}>
            Назад
          </button>
        </div>
      )}
    </AuthLayout>
  );
}
