// Identity alignment: the latest report (start, follow, cancel), its summary and rows with downloads, the LDAP
// sync, and the earlier reports (identity/: the report's hooks and parts).
import { useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import type { ReportRow } from '../../api/types.ts';
import { EarlierReports } from '../identity/EarlierReports.tsx';
import { ReportRows } from '../identity/ReportRows.tsx';
import { ReportStatus } from '../identity/ReportStatus.tsx';
import { RowDetail } from '../identity/RowDetail.tsx';
import { StatusSummary } from '../identity/StatusSummary.tsx';
import { useReportRows } from '../identity/useReportRows.ts';
import { isActive, useReportRun } from '../../shared/useReportRun.ts';
import { LdapSyncPanel } from './LdapSyncPanel.tsx';

const POLL_MS = 400;

export function IdentityPage({ api }: { api: MamgateApi }) {
  const report = useReportRun(api, POLL_MS);
  const { run } = report;
  const finished = run !== null && !isActive(run);
  const rows = useReportRows(api, run?.id, finished);
  const [detail, setDetail] = useState<{ row: ReportRow; opener: HTMLElement | null } | null>(null);

  async function start() {
    if (await report.start()) rows.reset();
  }

  return (
    <>
      <h1 tabIndex={-1}>Identity alignment</h1>
      <p className="lead">
        User by user, the Entra objectId in the account's auth data, the sign-in token (oid), SAML (objectidentifier)
        and LDAP (msDS-aadObjectId) must be one value. Each status names the sign-in error the user will meet and
        what to do.
      </p>
      <div className="toolbar">
        <button type="button" className="button button-primary" onClick={() => void start()} disabled={isActive(run)}>
          Start a new report
        </button>
        {isActive(run) ? (
          <button type="button" className="button" onClick={() => void report.cancel()}>
            Cancel the report
          </button>
        ) : null}
      </div>
      {report.error ? (
        <div className="alert alert-error" role="alert">
          <p>{errorText(report.error)}</p>
        </div>
      ) : null}

      <LdapSyncPanel api={api} />
      <ReportStatus run={run} loaded={report.loaded} />

      {run && finished ? (
        <>
          <StatusSummary run={run} status={rows.status} onFilter={rows.filterStatus} />
          <ReportRows api={api} run={run} rows={rows} onOpen={(row, opener) => setDetail({ row, opener })} />
        </>
      ) : null}
      {report.loaded ? <EarlierReports key={run?.id ?? 'none'} api={api} currentId={run?.id} /> : null}
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
