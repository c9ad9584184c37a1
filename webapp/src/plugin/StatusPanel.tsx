// System Console custom setting "StatusPanel": the live preflight, failures and warnings first.
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { PreflightReport } from '../api/types.ts';
import { formatTime, preflightSummaryText } from '../shared/labels.ts';
import { PreflightChecks } from '../shared/PreflightChecks.tsx';
import type { CustomSettingProps } from './custom-setting.ts';
import { adminPagesUrl, getHostStore, hostApi } from './host.ts';
import { SessionProblem } from './session-problem.tsx';

export function MamgateStatusPanel(props: CustomSettingProps) {
  const store = getHostStore();
  const api = useMemo(() => hostApi(store), [store]);
  const [report, setReport] = useState<PreflightReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const [showPassed, setShowPassed] = useState(false);
  const passedId = useId();

  const run = useCallback(async () => {
    setRunning(true);
    setError(null);
    try {
      setReport(await api.preflight());
    } catch (caught) {
      setError(caught);
    } finally {
      setRunning(false);
    }
  }, [api]);

  useEffect(() => {
    void run();
  }, [run]);

  const problems = report?.checks.filter((c) => c.state !== 'pass') ?? [];
  const passed = report?.checks.filter((c) => c.state === 'pass') ?? [];
  return (
    <div className="mg-console" id={props.id} data-mamgate="status-panel">
      <div className="mg-row">
        <p className="mg-status-line" aria-live="polite">
          {running
            ? 'Running the preflight…'
            : report
              ? `Preflight: ${preflightSummaryText(report.summary)} (ran ${formatTime(report.ran_at)}).`
              : ''}
        </p>
        <button type="button" className="btn btn-tertiary mg-button" onClick={() => void run()} disabled={running}>
          Run the checks again
        </button>
      </div>
      {error ? <SessionProblem error={error} adminUrl={adminPagesUrl(store, 'preflight')} /> : null}
      {report && problems.length === 0 ? <p>Every check passed.</p> : null}
      {problems.length > 0 ? <PreflightChecks checks={problems} headingLevel={4} /> : null}
      {passed.length > 0 ? (
        <>
          <button
            type="button"
            className="btn btn-link mg-link-button"
            aria-expanded={showPassed}
            aria-controls={passedId}
            onClick={() => setShowPassed((v) => !v)}
          >
            {showPassed ? 'Hide' : 'Show'} the {passed.length} passed checks
          </button>
          <div id={passedId} hidden={!showPassed}>
            <PreflightChecks checks={passed} headingLevel={4} />
          </div>
        </>
      ) : null}
      {props.helpText ? <div className="help-text">{props.helpText}</div> : null}
    </div>
  );
}
