// One row of the report in a dialog: every source's value side by side and what to do.
import { useEffect, useRef } from 'react';
import type { ReportRow } from '../../api/types.ts';
import { ALIGNMENT_LABELS, formatTime, IDENTITY_SOURCE_LABELS } from '../../shared/labels.ts';
import { AppLink } from '../components/AppLink.tsx';
import { userPath } from '../router.ts';

function Value({ value }: { value: string | null }) {
  return value ? <code className="value">{value}</code> : <span className="muted">not seen</span>;
}

function Seen({ at }: { at: string | null }) {
  return at ? <time dateTime={at}>{formatTime(at)}</time> : <span className="muted">—</span>;
}

/** Each source's value and when it was seen (the account's auth data has no time: undefined). */
function sourcesOf(row: ReportRow): [keyof typeof IDENTITY_SOURCE_LABELS, string | null, string | null | undefined][] {
  return [
    ['account', row.auth_data, undefined],
    ['oauth', row.oauth_object_id, row.oauth_seen_at],
    ['saml', row.saml_object_id, row.saml_seen_at],
    ['ldap', row.ldap_object_id, row.ldap_seen_at],
  ];
}

export function RowDetail({ row, onClose }: { row: ReportRow; onClose: () => void }) {
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
          {sourcesOf(row).map(([source, value, seenAt]) => (
            <tr key={source}>
              <th scope="row">{IDENTITY_SOURCE_LABELS[source]}</th>
              <td>
                <Value value={value} />
              </td>
              <td>{seenAt === undefined ? <span className="muted">—</span> : <Seen at={seenAt} />}</td>
            </tr>
          ))}
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
