// The report's rows of one page: the user, the auth service, the status and the sign-in error it predicts.
import type { ReportRow } from '../../api/types.ts';
import { ALIGNMENT_LABELS } from '../../shared/labels.ts';

export function RowsTable({ rows, onOpen }: { rows: ReportRow[] | null; onOpen: (row: ReportRow, opener: HTMLElement) => void }) {
  if (rows === null) return <p className="muted">Loading the users…</p>;
  if (rows.length === 0) return <p>No user matches these filters.</p>;
  return (
    <section className="table-wrap" aria-label="Report rows">
      <table className="data-table" data-testid="report-rows">
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col" className="col-optional">
              Auth service
            </th>
            <th scope="col">Status</th>
            <th scope="col">Sign-in error</th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.seq} data-user-id={row.user_id} data-status={row.status}>
              <th scope="row">
                <span className="cell-main">{row.username}</span>
                <span className="cell-sub">{row.email}</span>
              </th>
              <td className="col-optional">{row.auth_service || <span className="muted">email/password</span>}</td>
              <td>
                <span className={`status-badge status-${row.status}`}>{ALIGNMENT_LABELS[row.status] ?? row.status}</span>
              </td>
              <td>{row.mam_error ?? <span className="muted">none</span>}</td>
              <td>
                <button type="button" className="button button-small" onClick={(e) => onOpen(row, e.currentTarget)}>
                  Details<span className="visually-hidden"> for {row.username}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
