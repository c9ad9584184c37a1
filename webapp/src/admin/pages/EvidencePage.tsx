// Enrollment evidence: each protected chat user's evidence, newest first — who (username and email), its state,
// whether the server read it from Microsoft Graph or only the mobile client reported it, why it does not open the
// gate (the catalogue's message and next step), the Intune registration and how long ago it synced, until when
// it holds — filtered by state and source, paged with the service's `before` cursor, and a "Verify now" per user
// that asks Graph at once and shows the outcome or the service's error with its next step.
import { ENROLLMENT_STATES } from '../../../../server/contract/enrollment.ts';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, errorText, type MamgateApi } from '../../api/client.ts';
import type { EvidenceItem, EvidenceSource, EvidenceState, VerifiedUser } from '../../api/types.ts';
import { AppLink } from '../components/AppLink.tsx';
import { ApplyFilters, SelectFilter, TextFilter } from '../components/Filters.tsx';
import { TimeText } from '../components/Time.tsx';
import { userPath } from '../router.ts';

const PAGE_SIZE = 25;

const STATES: readonly EvidenceState[] = ENROLLMENT_STATES;
const SOURCE_LABELS: Record<EvidenceSource, string> = {
  graph: 'Verified by Microsoft Graph',
  client_report: 'Client report (unverified)',
};
const OUTCOME_LABELS: Record<string, string> = {
  verified: 'Protected: a current registration with an app protection policy',
  none: 'No Intune registration for this user',
  other_app: 'Registered, but with another app',
  no_policy: 'Registered, but no app protection policy applies',
  stale: 'The registration has not synced recently enough',
  flagged: 'Intune flagged the registration',
};
const HEAD = ['User', 'State', 'Source', 'Outcome', 'Registration', 'Valid until', 'Updated', 'Actions'];

/** "just now", "5 min", "2 h", "3 d" — how long a number of seconds is, roughly. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

function agoText(seconds: number | null): string {
  if (seconds === null) return '';
  return seconds < 10 ? 'just now' : `${durationText(seconds)} ago`;
}

interface Filter {
  state: '' | EvidenceState;
  source: '' | EvidenceSource;
  user: string;
}

type VerifyResult =
  | { kind: 'running' }
  | { kind: 'done'; answer: VerifiedUser }
  | { kind: 'error'; message: string; nextStep: string; id: string | null };

export function EvidencePage({ api }: { api: MamgateApi }) {
  const [draft, setDraft] = useState<Filter>({ state: '', source: '', user: '' });
  const [filter, setFilter] = useState<Filter>(draft);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [reload, setReload] = useState(0);
  const [items, setItems] = useState<EvidenceItem[] | null>(null);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [results, setResults] = useState<Record<string, VerifyResult>>({});
  const before = cursors[cursors.length - 1];

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    // reload: a successful "Verify now" reads the page again, to show the new evidence.
    void reload;
    api
      .evidence({ ...filter, user: filter.user.trim(), limit: PAGE_SIZE, before })
      .then((page) => {
        if (!current) return;
        setItems(page.items);
        setNextBefore(page.next_before);
      })
      .catch((caught) => current && setError(errorText(caught)))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [api, filter, before, reload]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilter(draft);
    setCursors([undefined]);
  };

  async function verify(item: EvidenceItem) {
    setResults((r) => ({ ...r, [item.user_id]: { kind: 'running' } }));
    try {
      const answer = await api.verifyEvidence(item.user_id);
      setResults((r) => ({ ...r, [item.user_id]: { kind: 'done', answer } }));
      setReload((n) => n + 1);
    } catch (caught) {
      const result: VerifyResult =
        caught instanceof ApiError
          ? { kind: 'error', message: caught.message, nextStep: caught.nextStep, id: caught.body?.id ?? null }
          : { kind: 'error', message: errorText(caught), nextStep: '', id: null };
      setResults((r) => ({ ...r, [item.user_id]: result }));
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>Enrollment evidence</h1>
      <p className="lead">
        Each protected chat user&apos;s Intune enrollment evidence. <strong>Verified by Microsoft Graph</strong> means mamgate read
        the user&apos;s app registration from Intune itself; a <strong>client report (unverified)</strong> is only what the
        mobile app said about itself.
      </p>
      <form className="filters" onSubmit={submit} aria-label="Filter evidence">
        <SelectFilter
          id="evidence-state"
          label="State"
          value={draft.state}
          anyLabel="Any state"
          options={STATES.map((s) => [s, s] as const)}
          onChange={(state) => setDraft({ ...draft, state })}
        />
        <SelectFilter
          id="evidence-source"
          label="Source"
          value={draft.source}
          anyLabel="Any source"
          options={(Object.keys(SOURCE_LABELS) as EvidenceSource[]).map((s) => [s, SOURCE_LABELS[s]] as const)}
          onChange={(source) => setDraft({ ...draft, source })}
        />
        <TextFilter
          id="evidence-user"
          label="User"
          value={draft.user}
          placeholder="User ID, username or email"
          onChange={(user) => setDraft({ ...draft, user })}
        />
        <ApplyFilters />
      </form>
      {error ? (
        <div className="alert alert-error" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      {items && items.length === 0 ? <p>No evidence matches these filters.</p> : null}
      {items && items.length > 0 ? (
        <section className="table-wrap" aria-label="Evidence table">
          <table className="data-table card-table evidence-table">
            <thead>
              <tr>
                {HEAD.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <EvidenceRows key={item.user_id} item={item} result={results[item.user_id]} onVerify={() => void verify(item)} />
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <div className="pager">
        <button type="button" className="button" disabled={cursors.length <= 1 || loading} onClick={() => setCursors((c) => c.slice(0, -1))}>
          Newer
        </button>
        <span className="muted" aria-live="polite">
          {loading ? 'Loading…' : items ? `Page ${cursors.length}` : ''}
        </span>
        <button
          type="button"
          className="button"
          disabled={!nextBefore || loading}
          onClick={() => nextBefore && setCursors((c) => [...c, nextBefore])}
        >
          Older
        </button>
      </div>
    </>
  );
}

function EvidenceRows({ item, result, onVerify }: { item: EvidenceItem; result: VerifyResult | undefined; onVerify: () => void }) {
  const registration = item.registration;
  const resultId = `verify-result-${item.user_id}`;
  return (
    <>
      <tr data-user-id={item.user_id}>
        <th scope="row" data-label="User" className="evidence-user">
          {item.username ? (
            <>
              <AppLink to={userPath(item.user_id)} className="cell-main">
                {item.username}
              </AppLink>
              {item.email ? <span className="cell-sub wrap-anywhere">{item.email}</span> : null}
            </>
          ) : (
            <>
              <span className="cell-main muted">Not imported</span>
              <span className="cell-sub wrap-anywhere">
                <AppLink to={userPath(item.user_id)}>
                  <code>{item.user_id}</code>
                </AppLink>
              </span>
            </>
          )}
        </th>
        <td data-label="State">
          <span className={`state-badge state-${item.state}`}>{item.state}</span>
          {item.revocation_pending ? <span className="cell-sub">mobile sessions being ended</span> : null}
        </td>
        <td data-label="Source">
          <span className={`state-badge ${item.verified ? 'source-verified' : 'source-unverified'}`} data-source={item.source}>
            {SOURCE_LABELS[item.source]}
          </span>
        </td>
        <td data-label="Outcome" className="evidence-outcome">
          {item.refusal_message ? (
            <>
              <span className="cell-main">{item.refusal_message}</span>
              {item.next_step ? <span className="cell-sub">Next step: {item.next_step}</span> : null}
              {item.refusal_id ? (
                <span className="cell-sub">
                  <code>{item.refusal_id}</code>
                </span>
              ) : null}
            </>
          ) : (
            <span className="cell-main">{item.verified ? (OUTCOME_LABELS[item.outcome] ?? item.outcome) : 'Reported enrolled by the mobile app'}</span>
          )}
          {item.cause_summary && item.cause !== 'none' ? <span className="cell-sub">Reported cause: {item.cause_summary}</span> : null}
        </td>
        <td data-label="Registration">
          {registration ? (
            <>
              <span className="cell-main wrap-anywhere">{registration.app_id ?? 'unknown app'}</span>
              <span className="cell-sub">
                {registration.platform === 'ios' ? 'iOS' : registration.platform === 'android' ? 'Android' : 'unknown platform'}
                {registration.policies.length > 0 ? ` · ${registration.policies.join(', ')}` : ' · no policy'}
              </span>
              {registration.last_sync ? (
                <span className="cell-sub">
                  <time dateTime={registration.last_sync} title={registration.last_sync}>
                    synced {agoText(registration.last_sync_age_seconds)}
                  </time>
                </span>
              ) : null}
              {registration.flags.length > 0 ? <span className="cell-sub">Flagged: {registration.flags.join(', ')}</span> : null}
            </>
          ) : (
            <span className="muted">{item.verified ? 'none found' : 'not read from Intune'}</span>
          )}
        </td>
        <td data-label="Valid until">
          {item.valid_until ? <ValidUntil iso={item.valid_until} /> : <span className="muted">—</span>}
        </td>
        <td data-label="Updated">
          <time dateTime={item.updated_at} title={item.updated_at}>
            {agoText(item.age_seconds)}
          </time>
          {item.checked_at ? (
            <span className="cell-sub">
              checked{' '}
              <time dateTime={item.checked_at} title={item.checked_at}>
                <TimeText at={item.checked_at} />
              </time>
            </span>
          ) : null}
        </td>
        <td data-label="Actions">
          <button
            type="button"
            className="button button-small"
            disabled={result?.kind === 'running'}
            aria-describedby={result && result.kind !== 'running' ? resultId : undefined}
            aria-label={`Verify now: ${item.username ?? item.user_id}`}
            onClick={onVerify}
          >
            {result?.kind === 'running' ? 'Verifying…' : 'Verify now'}
          </button>
        </td>
      </tr>
      {result && result.kind !== 'running' ? (
        <tr className="verify-result-row">
          <td colSpan={HEAD.length}>
            <VerifyOutcome id={resultId} username={item.username ?? item.user_id} result={result} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function ValidUntil({ iso }: { iso: string }) {
  const left = (Date.parse(iso) - Date.now()) / 1000;
  return (
    <>
      <time dateTime={iso} title={iso}>
        <TimeText at={iso} />
      </time>
      <span className={`cell-sub${left <= 0 ? ' evidence-expired' : ''}`}>{left > 0 ? `in ${durationText(left)}` : `expired ${durationText(-left)} ago`}</span>
    </>
  );
}

function VerifyOutcome({ id, username, result }: { id: string; username: string; result: Exclude<VerifyResult, { kind: 'running' }> }) {
  if (result.kind === 'error') {
    return (
      <div id={id} className="alert alert-error verify-result" role="alert">
        <p>
          <strong>Verify now for {username} failed:</strong> {result.message}
        </p>
        {result.nextStep ? <p>Next step: {result.nextStep}</p> : null}
        {result.id ? (
          <p className="small">
            <code>{result.id}</code>
          </p>
        ) : null}
      </div>
    );
  }
  const { answer } = result;
  return (
    <div id={id} className={`alert verify-result ${answer.verified ? 'alert-ok' : 'alert-warn'}`} role="status">
      <p>
        <strong>Microsoft Graph checked {answer.username}:</strong> {OUTCOME_LABELS[answer.outcome] ?? answer.outcome}
        {answer.verified ? '.' : '; the evidence does not hold.'}
        {answer.lost ? ' Verified evidence was lost: the mobile sessions on the chat server are being ended.' : ''}
      </p>
    </div>
  );
}
