// The reports before the one shown: when, by whom, how they ended, their summary by status, and their downloads.
import { useCallback, useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import { ALIGNMENT_STATUSES, type ReportRun } from '../../api/types.ts';
import { ALIGNMENT_LABELS } from '../../shared/labels.ts';
import { actorLabel } from '../audit/sentences.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Time } from '../components/Time.tsx';
import { useLoad } from '../components/useLoad.ts';
import { downloadReportFile } from './download.ts';

const SHOWN = 10;

function Summary({ run }: { run: ReportRun }) {
  if (run.status !== 'completed') return <span className="muted">{run.error ?? `no summary (${run.status})`}</span>;
  return (
    <ul className="inline-summary">
      {ALIGNMENT_STATUSES.map((s) => (
        <li key={s}>
          <span className={`status-badge status-${s}${run.summary[s] ? '' : ' badge-zero'}`}>
            {run.summary[s] ?? 0} {ALIGNMENT_LABELS[s]}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function EarlierReports({ api, currentId }: { api: MamgateApi; currentId: string | undefined }) {
  const load = useCallback(() => api.listReports(SHOWN + 1), [api]);
  const { data, error } = useLoad(load);
  const [note, setNote] = useState('');
  const runs = (data ?? []).filter((r) => r.id !== currentId).slice(0, SHOWN);
  if (!data || runs.length === 0) return error ? <ErrorAlert error={error} /> : null;

  async function save(run: ReportRun, format: 'csv' | 'jsonl') {
    try {
      setNote(`Downloaded ${await downloadReportFile(api, run.id, format)}.`);
    } catch (caught) {
      setNote(`The download failed: ${errorText(caught)}`);
    }
  }

  return (
    <section aria-labelledby="earlier-title" className="activity-section">
      <h2 id="earlier-title">Earlier reports</h2>
      <section className="table-wrap" aria-label="Earlier reports table">
        <table className="data-table card-table">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Status</th>
              <th scope="col">Summary</th>
              <th scope="col">Downloads</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-report-id={run.id}>
                <td data-label="Started">
                  <span>
                    <Time at={run.created_at} />
                    <span className="cell-sub">by {actorLabel({ actor: run.requested_by, actor_name: run.requested_by_name })}</span>
                  </span>
                </td>
                <td data-label="Status">
                  <span>
                    <span className="cell-main">{run.status}</span>
                    <span className="cell-sub">{run.total} users</span>
                  </span>
                </td>
                <td data-label="Summary">
                  <Summary run={run} />
                </td>
                <td data-label="Downloads">
                  {run.status === 'completed' ? (
                    <span className="button-row">
                      <button type="button" className="button button-small" onClick={() => void save(run, 'csv')}>
                        CSV<span className="visually-hidden"> of report {run.id}</span>
                      </button>
                      <button type="button" className="button button-small" onClick={() => void save(run, 'jsonl')}>
                        JSON Lines<span className="visually-hidden"> of report {run.id}</span>
                      </button>
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <p className="muted small" role="status">
        {note}
      </p>
    </section>
  );
}
