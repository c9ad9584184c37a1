// System Console custom setting "IdentityReport": the latest identity-alignment report, a button to run one with
// live progress, and the way to the full report (filters, row details, CSV) in the standalone pages.
import { useMemo } from 'react';
import { ALIGNMENT_STATUSES } from '../api/types.ts';
import { ALIGNMENT_LABELS } from '../shared/labels.ts';
import { reportStatusText } from '../shared/report-text.ts';
import { isActive, useReportRun } from '../shared/useReportRun.ts';
import type { CustomSettingProps } from './custom-setting.ts';
import { adminPagesUrl, getHostStore, hostApi } from './host.ts';
import { SessionProblem } from './session-problem.tsx';

const POLL_MS = 500;

export function MamgateIdentityReport(props: CustomSettingProps) {
  const store = getHostStore();
  const api = useMemo(() => hostApi(store), [store]);
  const { run, loaded, error, start } = useReportRun(api, POLL_MS);

  const active = run !== null && isActive(run);
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
