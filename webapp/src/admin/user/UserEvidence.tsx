// The user's enrollment evidence: what it says, where it comes from, why it does not open the gate.
import type { UserDetail } from '../../api/types.ts';
import { Time } from '../components/Time.tsx';

export function UserEvidence({ detail }: { detail: UserDetail }) {
  const e = detail.evidence;
  return (
    <section className="activity-section" aria-labelledby="evidence-title">
      <h2 id="evidence-title">Evidence</h2>
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
