// Preflight: every check with its state, evidence and next step; run it again after fixing something.
import { useCallback, useEffect, useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import type { CheckState, PreflightReport } from '../../api/types.ts';
import { formatTime, preflightSummaryText } from '../../shared/labels.ts';
import { PreflightChecks } from '../../shared/PreflightChecks.tsx';

const TILE_LABELS: Record<CheckState, string> = { fail: 'Failures', warn: 'Warnings', pass: 'Passed' };

const FILTERS: { value: 'all' | CheckState; label: string }[] = [
  { value: 'all', label: 'All checks' },
  { value: 'fail', label: 'Failures' },
  { value: 'warn', label: 'Warnings' },
  { value: 'pass', label: 'Passed' },
];

export function PreflightPage({ api }: { api: MamgateApi }) {
  const [report, setReport] = useState<PreflightReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [filter, setFilter] = useState<'all' | CheckState>('all');

  const run = useCallback(async () => {
    setRunning(true);
    setError(null);
    try {
      setReport(await api.preflight());
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setRunning(false);
    }
  }, [api]);

  useEffect(() => {
    void run();
  }, [run]);

  const checks = report?.checks.filter((c) => filter === 'all' || c.state === filter) ?? [];
  return (
    <>
      <h1 tabIndex={-1}>Preflight</h1>
      <p className="lead">
        The checks a server can make before mobile users sign in with Intune: license, settings, identity provider,
        signing keys, recent tokens, identity alignment and enrollment failures, in the order to fix them.
      </p>
      <div className="toolbar">
        <button type="button" className="button button-primary" onClick={() => void run()} disabled={running}>
          {running ? 'Running…' : 'Run preflight again'}
        </button>
        <p className="toolbar-status" role="status" aria-live="polite">
          {running
            ? 'Running the preflight…'
            : report
              ? `Ran ${formatTime(report.ran_at)}: ${preflightSummaryText(report.summary)}.`
              : ''}
        </p>
      </div>
      {error ? (
        <div className="alert alert-error" role="alert">
          <p>The preflight could not run: {error}</p>
        </div>
      ) : null}
      {report ? (
        <>
          <ul className="summary-tiles" aria-label="Summary">
            {(['fail', 'warn', 'pass'] as const).map((state) => (
              <li key={state} className={`tile tile-${state}`}>
                <span className="tile-count">{report.summary[state] ?? 0}</span>
                <span className="tile-label">{TILE_LABELS[state]}</span>
              </li>
            ))}
          </ul>
          <fieldset className="segmented">
            <legend>Show</legend>
            {FILTERS.map((f) => (
              <label key={f.value} className={filter === f.value ? 'selected' : undefined}>
                <input type="radio" name="preflight-filter" value={f.value} checked={filter === f.value} onChange={() => setFilter(f.value)} />
                {f.label}
              </label>
            ))}
          </fieldset>
          <section aria-label="Checks">
            {checks.length > 0 ? <PreflightChecks checks={checks} /> : <p>No check has this state.</p>}
          </section>
        </>
      ) : null}
    </>
  );
}
