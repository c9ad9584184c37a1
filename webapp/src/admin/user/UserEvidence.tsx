// The user's enrollment evidence: what it says, where it comes from, why it does not open the gate.
import { useState } from 'react';
import { ApiError, errorText, type MamgateApi } from '../../api/client.ts';
import type { UserDetail } from '../../api/types.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Time } from '../components/Time.tsx';

/** "Verify now": the service reads the user's evidence from Microsoft Graph at once (POST …/evidence/verify). */
function VerifyNow({ api, detail, onChanged }: { api: MamgateApi; detail: UserDetail; onChanged: () => void }) {
  const [state, setState] = useState<{ busy: boolean; result: string | null; error: string | null }>({ busy: false, result: null, error: null });
  async function verify() {
    setState({ busy: true, result: null, error: null });
    try {
      const answer = await api.verifyEvidence(detail.user.id);
      setState({ busy: false, result: `Microsoft Graph answered: ${answer.outcome}${answer.verified ? ' (verified)' : ''}.`, error: null });
      onChanged();
    } catch (caught) {
      const next = caught instanceof ApiError && caught.nextStep ? ` Next step: ${caught.nextStep}` : '';
      setState({ busy: false, result: null, error: `Verify now failed: ${errorText(caught)}${next}` });
    }
  }
  return (
    <>
      <div className="toolbar">
        <button type="button" className="button" disabled={state.busy || !detail.user.auth_data} onClick={() => void verify()}>
          {state.busy ? 'Verifying…' : 'Verify now'}
        </button>
        {!detail.user.auth_data ? <span className="muted small">The account has no Entra objectId to look up.</span> : null}
      </div>
      {state.result ? (
        <p className="alert alert-ok" role="status">
          {state.result}
        </p>
      ) : null}
      <ErrorAlert error={state.error} />
    </>
  );
}

export function UserEvidence({ api, detail, onChanged }: { api: MamgateApi; detail: UserDetail; onChanged: () => void }) {
  const e = detail.evidence;
  return (
    <section className="activity-section" aria-labelledby="evidence-title">
      <h2 id="evidence-title">Evidence</h2>
      <VerifyNow api={api} detail={detail} onChanged={onChanged} />
      {!e ? (
        <p>No enrollment evidence is stored for this user.</p>
      ) : (
        <dl className="facts">
          <dt>State</dt>
          <dd>
            <span className={`state-badge state-${e.state}`}>{e.state}</span>
          </dd>
          <dt>Source</dt>
          <dd>{e.verified ? 'Verified by Microsoft Graph' : 'Client report (unverified)'}</dd>
          <dt>Outcome</dt>
          <dd>{e.cause_summary ?? e.outcome}</dd>
          {e.registration ? (
            <>
              <dt>App</dt>
              <dd>
                {e.registration.app_id ?? 'unknown app'} · {e.registration.platform ?? 'unknown platform'} · last sync <Time at={e.registration.last_sync} />
              </dd>
            </>
          ) : null}
          {e.refusal_message ? (
            <>
              <dt>Gate</dt>
              <dd>
                {e.refusal_message} <code>{e.refusal_id}</code>
                {e.next_step ? <span className="cell-sub">Next step: {e.next_step}</span> : null}
              </dd>
            </>
          ) : null}
          <dt>Updated</dt>
          <dd>
            <Time at={e.updated_at} />
          </dd>
        </dl>
      )}
    </section>
  );
}
