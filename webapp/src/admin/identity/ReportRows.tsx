// The users of a finished report: filters, downloads of what the filter holds, one page of rows, the pager.
import { useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import { ALIGNMENT_STATUSES, type AlignmentStatus, type ReportRow, type ReportRun } from '../../api/types.ts';
import { ALIGNMENT_LABELS, plural } from '../../shared/labels.ts';
import { downloadReportFile } from './download.ts';
import { RowsTable } from './RowsTable.tsx';
import type { useReportRows } from './useReportRows.ts';

interface ReportRowsProps {
  api: MamgateApi;
  run: ReportRun;
  rows: ReturnType<typeof useReportRows>;
  onOpen: (row: ReportRow, opener: HTMLElement) => void;
}

export function ReportRows({ api, run, rows, onOpen }: ReportRowsProps) {
  const [download, setDownload] = useState('');
  const { status } = rows;

  async function save(format: 'csv' | 'jsonl') {
    setDownload(`Preparing the ${format === 'csv' ? 'CSV' : 'JSON Lines'} file…`);
    try {
      setDownload(`Downloaded ${await downloadReportFile(api, run.id, format, status || undefined)}.`);
    } catch (caught) {
      setDownload(`The download failed: ${errorText(caught)}`);
    }
  }

  return (
    <section aria-labelledby="rows-title">
      <h2 id="rows-title">Users</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter the users">
        <div className="filter">
          <label htmlFor="row-status">Status</label>
          <select id="row-status" value={status} onChange={(e) => rows.filterStatus(e.target.value as '' | AlignmentStatus)}>
            <option value="">All statuses</option>
            {ALIGNMENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {ALIGNMENT_LABELS[s]} ({run.summary[s] ?? 0})
              </option>
            ))}
          </select>
        </div>
        <div className="filter filter-grow">
          <label htmlFor="row-search">Search users</label>
          <input
            id="row-search"
            type="search"
            value={rows.search}
            placeholder="Username, email or user ID"
            onChange={(e) => rows.setSearch(e.target.value)}
          />
        </div>
        <div className="filter filter-actions">
          <button type="button" className="button" onClick={() => void save('csv')}>
            Download CSV
          </button>
          <button type="button" className="button" onClick={() => void save('jsonl')}>
            Download JSON Lines
          </button>
        </div>
      </form>
      <p className="muted small" role="status">
        {download || (status ? `Downloads hold the ${ALIGNMENT_LABELS[status]} rows.` : 'Downloads hold every row of the report.')}
      </p>
      {rows.error ? (
        <div className="alert alert-error" role="alert">
          <p>{rows.error}</p>
        </div>
      ) : null}
      <RowsTable rows={rows.rows} onOpen={onOpen} />
      <div className="pager">
        <button type="button" className="button" disabled={!rows.hasPrevious} onClick={rows.previous}>
          Previous page
        </button>
        <span className="muted" aria-live="polite">
          {rows.rows ? `Page ${rows.page}, ${plural(rows.rows.length, 'user')}` : ''}
        </span>
        <button type="button" className="button" disabled={!rows.hasNext} onClick={rows.next}>
          Next page
        </button>
      </div>
    </section>
  );
}
