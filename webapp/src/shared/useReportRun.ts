// The latest identity-alignment report, followed while it is queued or running (polling stops when the page is
// left, also for a status request already on its way), and starting or cancelling one. Used by the admin pages'
// identity page and the System Console's identity-report setting; the error is kept as thrown, for each to word.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MamgateApi } from '../api/client.ts';
import type { ReportRun } from '../api/types.ts';

export function isActive(run: ReportRun | null): boolean {
  return run?.status === 'queued' || run?.status === 'running';
}

export function useReportRun(api: MamgateApi, pollMs: number) {
  const [run, setRun] = useState<ReportRun | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const alive = useRef(true);

  const follow = useCallback(
    async (id: string) => {
      try {
        const current = await api.reportStatus(id);
        setRun(current);
        if (alive.current && isActive(current)) timer.current = setTimeout(() => void follow(id), pollMs);
      } catch (caught) {
        setError(caught);
      }
    },
    [api, pollMs],
  );

  useEffect(() => {
    api
      .listReports(1)
      .then((runs) => {
        const latest = runs[0] ?? null;
        setRun(latest);
        if (latest && isActive(latest)) void follow(latest.id);
      })
      .catch(setError)
      .finally(() => setLoaded(true));
    alive.current = true;
    return () => {
      alive.current = false;
      clearTimeout(timer.current);
    };
  }, [api, follow]);

  /** Starts a report and follows it; answers whether it started. */
  async function start(): Promise<boolean> {
    setError(null);
    clearTimeout(timer.current);
    try {
      const started = await api.startReport();
      setRun(started);
      void follow(started.id);
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    }
  }

  async function cancel() {
    if (!run) return;
    try {
      setRun(await api.cancelReport(run.id));
    } catch (caught) {
      setError(caught);
    }
  }

  return { run, loaded, error, start, cancel };
}
