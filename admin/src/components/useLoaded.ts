import { useCallback, useEffect, useState } from 'react';

/** Loads once per `load` (memoise it) unless `skip`; `reload` asks again, e.g. after a change. */
export function useLoaded<T>(load: () => Promise<T>, skip = false) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const reload = useCallback(() => {
    if (!skip) load().then(setData, setError);
  }, [load, skip]);
  useEffect(reload, [reload]);
  return { data, error, reload };
}
