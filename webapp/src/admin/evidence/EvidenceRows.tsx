// One user's evidence in the table: who, state, source, Graph outcome, registration, until when it holds, and
// "Verify now" with its outcome (the service's answer, or its error with the next step).
import type { EvidenceItem } from '../../api/types.ts';
import { AppLink } from '../components/AppLink.tsx';
import { TimeText } from '../components/Time.tsx';
import { userPath } from '../router.ts';
import { SOURCE_LABELS, OUTCOME_LABELS, HEAD, durationText, agoText } from './labels.ts';
import type { VerifyResult } from './useEvidence.ts';

export function EvidenceRows({ item, result, onVerify }: { item: EvidenceItem; result: VerifyResult | undefined; onVerify: () => void }) {
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
