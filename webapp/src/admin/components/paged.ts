// A list the service pages with a `before` cursor (a number, or an opaque string): filters applied on submit,
// "Newer" walks back the cursors seen, `reload` reads the current page again.
import { useEffect, useState } from 'react';
import { errorText } from '../../api/client.ts';

export interface PageAnswer<T, C = number> {
  items: T[];
  next_before: C | null;
}

export interface Paged<T, C = number> {
  answer: PageAnswer<T, C> | null;
  error: string | null;
  loading: boolean;
  page: number;
  older(): void;
  newer(): void;
  reload(): void;
}

export function usePaged<T, F, C = number>(
  load: (filter: F, before: C | undefined) => Promise<PageAnswer<T, C>>,
  initial: F,
): Paged<T, C> & { apply(next: F): void } {
  const [filter, setFilter] = useState<F>(initial);
  const [cursors, setCursors] = useState<(C | undefined)[]>([undefined]);
  const [reads, setReads] = useState(0);
  const [answer, setAnswer] = useState<PageAnswer<T, C> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const before = cursors[cursors.length - 1];

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    void reads; // a reload reads the same page again
    load(filter, before)
      .then((page) => current && setAnswer(page))
      .catch((caught) => current && setError(errorText(caught)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [load, filter, before, reads]);

  return {
    answer,
    error,
    loading,
    page: cursors.length,
    apply(next: F) {
      setFilter(next);
      setCursors([undefined]);
    },
    older() {
      const next = answer?.next_before;
      if (next !== null && next !== undefined) setCursors((c) => [...c, next]);
    },
    newer() {
      setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c));
    },
    reload() {
      setReads((n) => n + 1);
    },
  };
}
