// The latest identity-alignment report, followed while it is queued or running (polling stops when the page is
// left, also for a status request already on its way), and starting or cancelling one.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import type { ReportRun } from '../../api/types.ts';

const POLL_MS = 400;

export function isActive(run: ReportRun | null): boolean {
  return run?.status === 'queued' || run?.status === 'running';
}

export function useReportRun(api: MamgateApi) {
  const [run, setRun] = useState<ReportRun | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const alive = useRef(true);

  const follow = useCallback(
    async (id: string) => {
      try {
        const current = await api.reportStatus(id);
        setRun(current);
        if (alive.current && isActive(current)) timer.current = setTimeout(() => void follow(id), POLL_MS);
      } catch (caught) {
        setError(errorText(caught));
      }
    },
    [api],
  );

  useEffect(() => {
    api
      .listReports(1)
      .then((runs) => {
        const latest = runs[0] ?? null;
        setRun(latest);
        if (latest && isActive(latest)) void follow(latest.id);
      })
      .catch((caught) => setError(errorText(caught)))
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
      setError(errorText(caught));
      return false;
    }
  }

  async function cancel() {
    if (!run) return;
    try {
      setRun(await api.cancelReport(run.id));
    } catch (caught) {
      setError(errorText(caught));
    }
  }

  return { run, loaded, error, start, cancel };
}
