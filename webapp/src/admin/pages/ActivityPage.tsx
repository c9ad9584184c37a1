// Enrollments and audit: the enrollment reports of mobile sessions (with the classified cause and next step) and
// the audit log, newest first, each filterable and paged with the service's `before` cursor.
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import type { AuditItem, EnrollmentItem } from '../../api/types.ts';
import { formatTime } from '../../shared/labels.ts';

const PAGE_SIZE = 25;

const ENROLLMENT_STATES = ['enrolled', 'declined', 'failed'];
const CAUSES = [
  'missing_mam_permission',
  'no_mam_service_principal',
  'conditional_access_app_protection',
  'msal_cancelled',
  'intune_not_licensed',
  'intune_not_targeted',
  'intune_wrong_account',
  'intune_auth_required',
  'intune_network',
  'intune_internal',
  'intune_device_blocked',
  'none',
  'unknown',
];
const AUDIT_ACTIONS = [
  'login.intune',
  'saml.acs',
  'gate.refused',
  'enrollment.enrolled',
  'enrollment.declined',
  'enrollment.failed',
  'sessions.revoke',
  'settings.save',
  'license.save',
  'report.identity.start',
  'report.identity.cancel',
  'users.import',
  'ldap.sync',
  'admin_token.create',
  'admin_token.revoke',
];

interface PageAnswer<T> {
  items: T[];
  next_before: number | null;
}

interface Paged<T> {
  answer: PageAnswer<T> | null;
  error: string | null;
  loading: boolean;
  page: number;
  older(): void;
  newer(): void;
}

/** Filters applied on submit, a page at a time; "Newer" walks back the cursors already seen. */
function usePaged<T, F>(
  load: (filter: F, before: number | undefined) => Promise<PageAnswer<T>>,
  initial: F,
): Paged<T> & { apply(next: F): void } {
  const [filter, setFilter] = useState<F>(initial);
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [answer, setAnswer] = useState<PageAnswer<T> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const before = cursors[cursors.length - 1];

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    load(filter, before)
      .then((page) => current && setAnswer(page))
      .catch((caught) => current && setError(errorText(caught)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [load, filter, before]);

  return {
    answer,
    error,
    loading,
    page: cursors.length,
    apply(next: F) {
      setFilter(next);
      setCursors([undefined]);
    },
    older() {
      if (answer?.next_before) setCursors((c) => [...c, answer.next_before ?? undefined]);
    },
    newer() {
      setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c));
    },
  };
}

export function ActivityPage({ api }: { api: MamgateApi }) {
  return (
    <>
      <h1 tabIndex={-1}>Enrollments and audit</h1>
      <AndroidAttempts api={api} />
      <Enrollments api={api} />
      <Audit api={api} />
    </>
  );
}

/** Intune MAM is not available on Android: how many protected Android clients came, and what AndroidPolicy did. */
function AndroidAttempts({ api }: { api: MamgateApi }) {
  const [text, setText] = useState('Loading…');
  useEffect(() => {
    let current = true;
    api
      .androidAttempts()
      .then(
        (a) =>
          current &&
          setText(`${a.total} in the last 7 days: ${a.refused} refused, ${a.allowed_unprotected} let through unprotected, ${a.held_for_evidence} held for evidence.`),
      )
      .catch((caught) => current && setText(errorText(caught)));
    return () => {
      current = false;
    };
  }, [api]);
  return (
    <section className="activity-section" aria-labelledby="android-title">
      <h2 id="android-title">Protected Android clients</h2>
      <p>{text}</p>
    </section>
  );
}

interface EnrollmentFilter {
  state: string;
  user_id: string;
  cause: string;
}

function Enrollments({ api }: { api: MamgateApi }) {
  const [draft, setDraft] = useState<EnrollmentFilter>({ state: '', user_id: '', cause: '' });
  const [load] = useState(
    () => (filter: EnrollmentFilter, before: number | undefined) => api.enrollments({ ...filter, user_id: filter.user_id.trim(), limit: PAGE_SIZE, before }),
  );
  const paged = usePaged<EnrollmentItem, EnrollmentFilter>(load, draft);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    paged.apply(draft);
  };
  return (
    <section className="activity-section" aria-labelledby="enrollments-title">
      <h2 id="enrollments-title">Enrollment reports</h2>
      <form className="filters" onSubmit={submit} aria-label="Filter enrollment reports">
        <div className="filter">
          <label htmlFor="enrollment-state">State</label>
          <select id="enrollment-state" value={draft.state} onChange={(e) => setDraft({ ...draft, state: e.target.value })}>
            <option value="">Any state</option>
            {ENROLLMENT_STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div className="filter filter-grow">
          <label htmlFor="enrollment-user">User ID</label>
          <input id="enrollment-user" value={draft.user_id} onChange={(e) => setDraft({ ...draft, user_id: e.target.value })} />
        </div>
        <div className="filter">
          <label htmlFor="enrollment-cause">Cause</label>
          <select id="enrollment-cause" value={draft.cause} onChange={(e) => setDraft({ ...draft, cause: e.target.value })}>
            <option value="">Any cause</option>
            {CAUSES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <div className="filter filter-actions">
          <button type="submit" className="button">
            Apply filters
          </button>
        </div>
      </form>
      <Results
        label="Enrollment reports"
        paged={paged}
        empty="No enrollment report matches these filters."
        head={['Time', 'User', 'Device', 'State', 'Cause', 'Next step']}
        row={(item) => (
          <tr key={item.id}>
            <td>
              <time dateTime={item.created_at}>{formatTime(item.created_at)}</time>
            </td>
            <td>
              <code>{item.user_id}</code>
            </td>
            <td>{item.device_id ?? <span className="muted">none</span>}</td>
            <td>
              <span className={`state-badge state-${item.status}`}>{item.status}</span>
            </td>
            <td>
              <span className="cell-main">{item.cause_summary}</span>
              {item.error_code ? <span className="cell-sub">code {item.error_code}</span> : null}
            </td>
            <td>{item.next_step}</td>
          </tr>
        )}
      />
    </section>
  );
}

function Audit({ api }: { api: MamgateApi }) {
  const [action, setAction] = useState('');
  const [load] = useState(
    () => (filter: { action: string }, before: number | undefined) => api.audit({ action: filter.action.trim(), limit: PAGE_SIZE, before }),
  );
  const paged = usePaged<AuditItem, { action: string }>(load, { action: '' });
  return (
    <section className="activity-section" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <form
        className="filters"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          paged.apply({ action });
        }}
      >
        <div className="filter filter-grow">
          <label htmlFor="audit-action">Action</label>
          <input
            id="audit-action"
            list="audit-actions"
            value={action}
            placeholder="Any action, e.g. settings.save"
            aria-describedby="audit-action-help"
            onChange={(e) => setAction(e.target.value)}
          />
          <datalist id="audit-actions">
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <span id="audit-action-help" className="help">
            The exact action name; leave empty for every action.
          </span>
        </div>
        <div className="filter filter-actions">
          <button type="submit" className="button">
            Apply filter
          </button>
        </div>
      </form>
      <Results
        label="Audit log"
        paged={paged}
        empty="No audit entry matches this filter."
        head={['Time', 'Actor', 'Action', 'Target', 'Outcome', 'Details']}
        row={(item) => (
          <tr key={item.id}>
            <td>
              <time dateTime={item.at}>{formatTime(item.at)}</time>
            </td>
            <td className="wrap-anywhere">{item.actor}</td>
            <td className="nowrap">
              <code>{item.action}</code>
            </td>
            <td className="wrap-anywhere">{item.target ?? <span className="muted">—</span>}</td>
            <td>
              <span className={`state-badge outcome-${item.outcome}`}>{item.outcome}</span>
            </td>
            <td className="details-cell">
              <code>{Object.keys(item.details ?? {}).length > 0 ? JSON.stringify(item.details) : ''}</code>
              {item.request_id ? <span className="cell-sub">request {item.request_id}</span> : null}
            </td>
          </tr>
        )}
      />
    </section>
  );
}

function Results<T>({
  label,
  paged,
  empty,
  head,
  row,
}: {
  label: string;
  paged: Paged<T>;
  empty: string;
  head: string[];
  row: (item: T) => ReactNode;
}) {
  const { answer, error, loading } = paged;
  return (
    <>
      {error ? (
        <div className="alert alert-error" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      {answer && answer.items.length === 0 ? <p>{empty}</p> : null}
      {answer && answer.items.length > 0 ? (
        <section className="table-wrap" aria-label={`${label} table`}>
          <table className="data-table">
            <thead>
              <tr>
                {head.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{answer.items.map(row)}</tbody>
          </table>
        </section>
      ) : null}
      <div className="pager">
        <button type="button" className="button" disabled={paged.page <= 1 || loading} onClick={paged.newer}>
          Newer
        </button>
        <span className="muted" aria-live="polite">
          {loading ? 'Loading…' : answer ? `Page ${paged.page}` : ''}
        </span>
        <button type="button" className="button" disabled={!answer?.next_before || loading} onClick={paged.older}>
          Older
        </button>
      </div>
    </>
  );
}
