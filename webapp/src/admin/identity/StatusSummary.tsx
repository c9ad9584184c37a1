// The report's count per status, each a toggle that filters the rows below.
import { ALIGNMENT_STATUSES, type AlignmentStatus, type ReportRun } from '../../api/types.ts';
import { ALIGNMENT_LABELS } from '../../shared/labels.ts';

export function StatusSummary({ run, status, onFilter }: { run: ReportRun; status: '' | AlignmentStatus; onFilter: (next: '' | AlignmentStatus) => void }) {
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title">Summary by status</h2>
      <ul className="status-summary">
        {ALIGNMENT_STATUSES.map((s) => (
          <li key={s}>
            <button
              type="button"
              className={`status-chip status-${s}`}
              aria-pressed={status === s}
              onClick={() => onFilter(status === s ? '' : s)}
              data-status={s}
            >
              <span className="chip-count">{run.summary[s] ?? 0}</span> {ALIGNMENT_LABELS[s]}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
