import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput, MethodName, MethodOutput } from '../../src-shared/contract/index';
import { api, asApiError, type ApiError } from '../api/client';

export interface ApiQuery<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload(): Promise<void>;
}

/**
 * Reads one method of the core and re-reads when its input changes. `input: null` waits
 * (e.g. until a class is chosen). The latest answer wins, so a slow reply never overwrites
 * the one for the choice on screen.
 */
export function useApiQuery<M extends MethodName>(method: M, input: MethodInput<M> | null): ApiQuery<MethodOutput<M>> {
  const [data, setData] = useState<MethodOutput<M> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(input !== null);
  const key = input === null ? null : JSON.stringify(input);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    if (key === null) {
      setData(null);
      setLoading(false);
      return;
    }
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const value = await api.call(method, JSON.parse(key) as MethodInput<M>);
      if (ticket !== latest.current) return;
      setData(value);
      setError(null);
    } catch (thrown) {
      if (ticket !== latest.current) return;
      setError(asApiError(thrown));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [method, key]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, error, loading, reload };
}

/** A one-click action (remove, close, move) whose refusal is shown where it was clicked. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  /** Runs `action`; when it succeeds, `after` (typically re-reading the list). */
  const run = useCallback(async (action: () => Promise<unknown>, after?: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action();
      await after?.();
      return true;
    } catch (thrown) {
      setError(asApiError(thrown));
      return false;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error, clearError: () => setError(null) };
}
