// Identity alignment: start a report, follow it, read the summary by status, filter and search the rows, open a
// row to see each source's objectId and when it was seen, download the rows as CSV or JSON Lines.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import { ALIGNMENT_STATUSES, type AlignmentStatus, type ReportRow, type ReportRun } from '../../api/types.ts';
import { ALIGNMENT_LABELS, formatTime, plural } from '../../shared/labels.ts';
import { AppLink } from '../components/AppLink.tsx';
import { downloadReportFile } from '../identity/download.ts';
import { userPath } from '../router.ts';
import { EarlierReports } from '../identity/EarlierReports.tsx';
import { reportStatusText, startedByText } from '../identity/reportText.ts';
import { LdapSyncPanel } from './LdapSyncPanel.tsx';

const PAGE_SIZE = 50;
const POLL_MS = 400;

function active(run: ReportRun | null): boolean {
  return run?.status === 'queued' || run?.status === 'running';
}

export function IdentityPage({ api }: { api: MamgateApi }) {
  const [run, setRun] = useState<ReportRun | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<'' | AlignmentStatus>('');
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const [rows, setRows] = useState<ReportRow[] | null>(null);
  const [nextAfter, setNextAfter] = useState<number | null>(null);
  const [pages, setPages] = useState<(number | undefined)[]>([undefined]);
  const [rowsError, setRowsError] = useState<string | null>(null);
  const [detail, setDetail] = useState<{ row: ReportRow; opener: HTMLElement | null } | null>(null);
  const [download, setDownload] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** Polling stops when the page is left, also for a status request already on its way. */
  const alive = useRef(true);
  const runId = run?.id;
  const finished = run !== null && !active(run);

  const follow = useCallback(
    async (id: string) => {
      try {
        const current = await api.reportStatus(id);
        setRun(current);
        if (alive.current && active(current)) timer.current = setTimeout(() => void follow(id), POLL_MS);
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
        if (latest && active(latest)) void follow(latest.id);
      })
      .catch((caught) => setError(errorText(caught)))
      .finally(() => setLoaded(true));
    alive.current = true;
    return () => {
      alive.current = false;
      clearTimeout(timer.current);
    };
  }, [api, follow]);

  // The search box waits for a pause in typing before it asks the service.
  useEffect(() => {
    const pause = setTimeout(() => {
      const next = search.trim();
      if (next === query) return;
      setQuery(next);
      setPages([undefined]);
    }, 300);
    return () => clearTimeout(pause);
  }, [search, query]);

  /** A new status filter starts again at the first page. */
  function filterStatus(next: '' | AlignmentStatus) {
    setStatus(next);
    setPages([undefined]);
  }

  const after = pages[pages.length - 1];
  useEffect(() => {
    if (!runId || !finished) return;
    let current = true;
    setRowsError(null);
    api
      .reportRows(runId, { status: status || undefined, q: query || undefined, limit: PAGE_SIZE, after })
      .then((page) => {
        if (!current) return;
        setRows(page.items);
        setNextAfter(page.next_after);
      })
      .catch((caught) => current && setRowsError(errorText(caught)));
    return () => {
      current = false;
    };
  }, [api, runId, finished, status, query, after]);

  async function start() {
    setError(null);
    clearTimeout(timer.current);
    try {
      const started = await api.startReport();
      setRun(started);
      setRows(null);
      setPages([undefined]);
      void follow(started.id);
    } catch (caught) {
      setError(errorText(caught));
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

  async function save(format: 'csv' | 'jsonl') {
    if (!run) return;
    setDownload(`Preparing the ${format === 'csv' ? 'CSV' : 'JSON Lines'} file…`);
    try {
      setDownload(`Downloaded ${await downloadReportFile(api, run.id, format, status || undefined)}.`);
    } catch (caught) {
      setDownload(`The download failed: ${errorText(caught)}`);
    }
  }

  const percent = run ? Math.round(run.progress * 100) : 0;
  return (
    <>
      <h1 tabIndex={-1}>Identity alignment</h1>
      <p className="lead">
        User by user, the Entra objectId in the account's auth data, the sign-in token (oid), SAML (objectidentifier)
        and LDAP (msDS-aadObjectId) must be one value. Each status names the sign-in error the user will meet and
        what to do.
      </p>
      <div className="toolbar">
        <button type="button" className="button button-primary" onClick={() => void start()} disabled={active(run)}>
          Start a new report
        </button>
        {active(run) ? (
          <button type="button" className="button" onClick={() => void cancel()}>
            Cancel the report
          </button>
        ) : null}
      </div>
      {error ? (
        <div className="alert alert-error" role="alert">
          <p>{error}</p>
        </div>
      ) : null}

      <LdapSyncPanel api={api} />

      <section className="report-status" aria-labelledby="report-status-title">
        <h2 id="report-status-title">Report</h2>
        <div aria-live="polite" role="status" className="progress-text">
          {!loaded
            ? 'Reading the latest report…'
            : !run
              ? 'No report has run yet. Start one to check every user.'
              : reportStatusText(run)}
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
        {run ? (
          <p className="muted small">{startedByText(run)}</p>
        ) : null}
      </section>

      {run && finished ? (
        <>
          <section aria-labelledby="summary-title">
            <h2 id="summary-title">Summary by status</h2>
            <ul className="status-summary">
              {ALIGNMENT_STATUSES.map((s) => (
                <li key={s}>
                  <button
                    type="button"
                    className={`status-chip status-${s}`}
                    aria-pressed={status === s}
                    onClick={() => filterStatus(status === s ? '' : s)}
                    data-status={s}
                  >
                    <span className="chip-count">{run.summary[s] ?? 0}</span> {ALIGNMENT_LABELS[s]}
                  </button>
                </li>
              ))}
            </ul>
          </section>

          <section aria-labelledby="rows-title">
            <h2 id="rows-title">Users</h2>
            <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter the users">
              <div className="filter">
                <label htmlFor="row-status">Status</label>
                <select id="row-status" value={status} onChange={(e) => filterStatus(e.target.value as '' | AlignmentStatus)}>
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
                  value={search}
                  placeholder="Username, email or user ID"
                  onChange={(e) => setSearch(e.target.value)}
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
              {download ||
                (status
                  ? `Downloads hold the ${ALIGNMENT_LABELS[status]} rows.`
                  : 'Downloads hold every row of the report.')}
            </p>
            {rowsError ? (
              <div className="alert alert-error" role="alert">
                <p>{rowsError}</p>
              </div>
            ) : null}
            <RowsTable rows={rows} onOpen={(row, opener) => setDetail({ row, opener })} />
            <div className="pager">
              <button
                type="button"
                className="button"
                disabled={pages.length <= 1}
                onClick={() => setPages((p) => p.slice(0, -1))}
              >
                Previous page
              </button>
              <span className="muted" aria-live="polite">
                {rows ? `Page ${pages.length}, ${plural(rows.length, 'user')}` : ''}
              </span>
              <button
                type="button"
                className="button"
                disabled={nextAfter === null}
                onClick={() => setPages((p) => [...p, nextAfter ?? undefined])}
              >
                Next page
              </button>
            </div>
          </section>
        </>
      ) : null}
      {loaded ? <EarlierReports key={runId ?? "none"} api={api} currentId={runId} /> : null}
      {detail ? (
        <RowDetail
          row={detail.row}
          onClose={() => {
            detail.opener?.focus();
            setDetail(null);
          }}
        />
      ) : null}
    </>
  );
}

function RowsTable({ rows, onOpen }: { rows: ReportRow[] | null; onOpen: (row: ReportRow, opener: HTMLElement) => void }) {
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

function Value({ value }: { value: string | null }) {
  return value ? <code className="value">{value}</code> : <span className="muted">not seen</span>;
}

function Seen({ at }: { at: string | null }) {
  return at ? <time dateTime={at}>{formatTime(at)}</time> : <span className="muted">—</span>;
}

function RowDetail({ row, onClose }: { row: ReportRow; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="row-detail" aria-labelledby="row-detail-title" onClose={onClose}>
      <div className="dialog-head">
        <h2 id="row-detail-title">{row.username}</h2>
        <button type="button" className="button button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <dl className="facts">
        <dt>User ID</dt>
        <dd>
          <code>{row.user_id}</code>
        </dd>
        <dt>Email</dt>
        <dd>{row.email}</dd>
        <dt>Auth service</dt>
        <dd>{row.auth_service || 'email/password'}</dd>
        <dt>Status</dt>
        <dd>
          <span className={`status-badge status-${row.status}`}>{ALIGNMENT_LABELS[row.status] ?? row.status}</span>
        </dd>
        <dt>Sign-in error</dt>
        <dd>{row.mam_error ?? 'none'}</dd>
        {row.error_id ? (
          <>
            <dt>Error id</dt>
            <dd>
              <code>{row.error_id}</code>
            </dd>
          </>
        ) : null}
      </dl>
      <table className="data-table sources">
        <caption>The objectId of each source</caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Value</th>
            <th scope="col">Seen</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Account auth data</th>
            <td>
              <Value value={row.auth_data} />
            </td>
            <td>
              <span className="muted">—</span>
            </td>
          </tr>
          <tr>
            <th scope="row">Sign-in token (oid)</th>
            <td>
              <Value value={row.oauth_object_id} />
            </td>
            <td>
              <Seen at={row.oauth_seen_at} />
            </td>
          </tr>
          <tr>
            <th scope="row">SAML (objectidentifier)</th>
            <td>
              <Value value={row.saml_object_id} />
            </td>
            <td>
              <Seen at={row.saml_seen_at} />
            </td>
          </tr>
          <tr>
            <th scope="row">LDAP (msDS-aadObjectId)</th>
            <td>
              <Value value={row.ldap_object_id} />
            </td>
            <td>
              <Seen at={row.ldap_seen_at} />
            </td>
          </tr>
        </tbody>
      </table>
      <h3>Next step</h3>
      <p>{row.next_step}</p>
      <p>
        <AppLink to={userPath(row.user_id)}>Open the page of {row.username}</AppLink>: sessions, evidence, enrollment history.
      </p>
    </dialog>
  );
}
