// Where the latest report stands: queued, running with its progress, finished or failed, and who started it.
import type { ReportRun } from '../../api/types.ts';
import { reportStatusText, startedByText } from './reportText.ts';

export function ReportStatus({ run, loaded }: { run: ReportRun | null; loaded: boolean }) {
  const percent = run ? Math.round(run.progress * 100) : 0;
  return (
    <section className="report-status" aria-labelledby="report-status-title">
      <h2 id="report-status-title">Report</h2>
      <div aria-live="polite" role="status" className="progress-text">
        {!loaded ? 'Reading the latest report…' : !run ? 'No report has run yet. Start one to check every user.' : reportStatusText(run)}
      </div>
      {run && run.status !== 'queued' ? (
        <div className="progress-row">
          <label htmlFor="report-progress">Progress</label>
          <progress id="report-progress" max={1} value={run.progress}>
            {percent}%
          </progress>
          <span aria-hidden="true">{percent}%</span>
        </div>
      ) : null}
      {run?.error ? <p className="field-error">{run.error}</p> : null}
      {run ? <p className="muted small">{startedByText(run)}</p> : null}
    </section>
  );
}
