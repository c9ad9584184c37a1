// The rows of a finished report: a status filter, a search that waits for a pause in typing, and pages walked
// with the service's `after` cursor (a new filter starts again at the first page).
import { useEffect, useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import type { AlignmentStatus, ReportRow } from '../../api/types.ts';

const PAGE_SIZE = 50;
const SEARCH_PAUSE_MS = 300;

export function useReportRows(api: MamgateApi, runId: string | undefined, finished: boolean) {
  const [status, setStatus] = useState<'' | AlignmentStatus>('');
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<ReportRow[] | null>(null);
  const [nextAfter, setNextAfter] = useState<number | null>(null);
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const pause = setTimeout(() => {
      const next = search.trim();
      if (next === query) return;
      setQuery(next);
      setPages([undefined]);
    }, SEARCH_PAUSE_MS);
    return () => clearTimeout(pause);
  }, [search, query]);

  const after = pages[pages.length - 1];
  useEffect(() => {
    if (!runId || !finished) return;
    let current = true;
    setError(null);
    api
      .reportRows(runId, { status: status || undefined, q: query || undefined, limit: PAGE_SIZE, after })
      .then((page) => {
        if (!current) return;
        setRows(page.items);
        setNextAfter(page.next_after);
      })
      .catch((caught) => current && setError(errorText(caught)));
    return () => {
      current = false;
    };
  }, [api, runId, finished, status, query, after]);

  return {
    status,
    search,
    rows,
    error,
    page: pages.length,
    hasPrevious: pages.length > 1,
    hasNext: nextAfter !== null,
    filterStatus(next: '' | AlignmentStatus) {
      setStatus(next);
      setPages([undefined]);
    },
    setSearch,
    previous: () => setPages((p) => p.slice(0, -1)),
    next: () => setPages((p) => [...p, nextAfter ?? undefined]),
    /** A new report: its rows are not loaded yet. */
    reset() {
      setRows(null);
      setPages([undefined]);
    },
  };
}
