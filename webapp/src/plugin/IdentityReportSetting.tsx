// System Console custom setting "IdentityReport": the latest identity-alignment report, a button to run one with
// live progress, and the way to the full report (filters, row details, CSV) in the standalone pages.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ALIGNMENT_STATUSES, type ReportRun } from '../api/types.ts';
import { ALIGNMENT_LABELS } from '../shared/labels.ts';
import { reportStatusText } from '../shared/report-text.ts';
import type { CustomSettingProps } from './custom-setting.ts';
import { adminPagesUrl, getHostStore, hostApi } from './host.ts';
import { SessionProblem } from './session-problem.tsx';

const POLL_MS = 500;

export function MamgateIdentityReport(props: CustomSettingProps) {
  const store = getHostStore();
  const api = useMemo(() => hostApi(store), [store]);
  const [run, setRun] = useState<ReportRun | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** Polling stops when the page is left, also for a status request already on its way. */
  const alive = useRef(true);

  const follow = useCallback(
    async (id: string) => {
      try {
        const current = await api.reportStatus(id);
        setRun(current);
        if (alive.current && (current.status === 'queued' || current.status === 'running')) {
          timer.current = setTimeout(() => void follow(id), POLL_MS);
        }
      } catch (caught) {
        setError(caught);
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
        if (latest && (latest.status === 'queued' || latest.status === 'running')) void follow(latest.id);
      })
      .catch(setError)
      .finally(() => setLoaded(true));
    alive.current = true;
    return () => {
      alive.current = false;
      clearTimeout(timer.current);
    };
  }, [api, follow]);

  async function start() {
    setError(null);
    try {
      const started = await api.startReport();
      setRun(started);
      void follow(started.id);
    } catch (caught) {
      setError(caught);
    }
  }

  const active = run?.status === 'queued' || run?.status === 'running';
  return (
    <div className="mg-console" id={props.id} data-mamgate="identity-report">
      <div className="mg-row">
        <p className="mg-status-line" aria-live="polite">
          {!loaded
            ? 'Reading the latest report…'
            : !run
              ? 'No identity-alignment report has run yet.'
              : reportStatusText(run)}
        </p>
        <button type="button" className="btn btn-tertiary mg-button" onClick={() => void start()} disabled={active}>
          Run identity report
        </button>
      </div>
      {active && run.status !== 'queued' ? (
        <progress className="mg-progress" max={1} value={run.progress} aria-label="Identity report progress" />
      ) : null}
      {run && !active ? (
        <ul className="mg-summary">
          {ALIGNMENT_STATUSES.map((status) => (
            <li key={status} className={`mg-summary-${status}`}>
              <span className="mg-term">{ALIGNMENT_LABELS[status]}: </span>
              {run.summary[status] ?? 0}
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <SessionProblem error={error} adminUrl={adminPagesUrl(store, 'identity')} /> : null}
      <p>
        <a href={adminPagesUrl(store, 'identity')} target="_blank" rel="noreferrer">
          Open the full report
        </a>{' '}
        to filter by status, search users, see each source's objectId and download it as CSV.
      </p>
      {props.helpText ? <div className="help-text">{props.helpText}</div> : null}
    </div>
  );
}
