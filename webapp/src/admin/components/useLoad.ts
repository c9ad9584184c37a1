// One answer of the service for a page section, loaded again when `load` changes or reload() is called.
import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../../api/client.ts';

export function useLoad<T>(load: () => Promise<T>): { data: T | null; error: string | null; reload(): void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setError(null);
    load()
      .then((value) => current && setData(value))
      .catch((caught) => current && setError(errorText(caught)));
    return () => {
      current = false;
    };
  }, [load]);
  const reload = useCallback(() => {
    load()
      .then(setData)
      .catch((caught) => setError(errorText(caught)));
  }, [load]);
  return { data, error, reload };
}
