import { useCallback, useEffect, useRef, useState } from 'react';

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  reload: () => Promise<void>;
}

/**
 * Loads `load()` now and again every `intervalMs` while `keepPolling(data)` says the thing is still
 * changing (a tenant provisioning, a migration running); stops when it settles or the page goes away.
 */
export function usePolling<T>(load: () => Promise<T>, keepPolling: (data: T) => boolean, intervalMs = 1000): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    try {
      setData(await loadRef.current());
      setError(undefined);
    } catch (failure) {
      setError(failure);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload, load]);

  useEffect(() => {
    if (data === undefined || !keepPolling(data)) return;
    const timer = setTimeout(() => void reload(), intervalMs);
    return () => clearTimeout(timer);
  }, [data, keepPolling, intervalMs, reload]);

  return { data, error, reload };
}
