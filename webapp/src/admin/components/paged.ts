// A list the service pages with a `before` cursor: filters applied on submit, "Newer" walks back the cursors seen.
import { useEffect, useState } from 'react';
import { errorText } from '../../api/client.ts';

export interface PageAnswer<T> {
  items: T[];
  next_before: number | null;
}

export interface Paged<T> {
  answer: PageAnswer<T> | null;
  error: string | null;
  loading: boolean;
  page: number;
  older(): void;
  newer(): void;
}

export function usePaged<T, F>(
  load: (filter: F, before: number | undefined) => Promise<PageAnswer<T>>,
  initial: F,
): Paged<T> & { apply(next: F): void } {
  const [filter, setFilter] = useState<F>(initial);
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [answer, setAnswer] = useState<PageAnswer<T> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const before = cursors[cursors.length - 1];

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    load(filter, before)
      .then((page) => current && setAnswer(page))
      .catch((caught) => current && setError(errorText(caught)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [load, filter, before]);

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
      if (answer?.next_before) setCursors((c) => [...c, answer.next_before ?? undefined]);
    },
    newer() {
      setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c));
    },
  };
}
