// The user's sessions, live ones first, and "End all sessions", which asks first and then shows what it did.
import { useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import type { UserDetail } from '../../api/types.ts';
import { plural } from '../../shared/labels.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { Time } from '../components/Time.tsx';

export function UserSessions({ api, detail, onChanged }: { api: MamgateApi; detail: UserDetail; onChanged: () => void }) {
  const [asking, setAsking] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = detail.user.username ?? detail.user.id;

  async function revoke() {
    setError(null);
    try {
      const answer = await api.revokeSessions(detail.user.id);
      setResult(
        `Ended ${plural(answer.revoked, 'session')} of ${name}.${answer.chat_server_revocation === 'queued' ? ' The chat server was asked to end their mobile sessions too.' : ''}`,
      );
      onChanged();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setAsking(false);
    }
  }

  return (
    <section className="activity-section" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <div className="toolbar">
        <span className="toolbar-status">{plural(detail.live_sessions, 'live session')}</span>
        <button type="button" className="button button-danger" onClick={() => setAsking(true)}>
          End all sessions
        </button>
      </div>
      {result ? (
        <p className="alert alert-ok" role="status">
          {result}
        </p>
      ) : null}
      <ErrorAlert error={error} />
      {detail.sessions.length === 0 ? (
        <p>No session of this user is stored here.</p>
      ) : (
        <section className="table-wrap" aria-label="Sessions table">
          <table className="data-table card-table">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Device</th>
                <th scope="col">Intune state</th>
                <th scope="col">Opened</th>
                <th scope="col">Ends</th>
              </tr>
            </thead>
            <tbody>
              {detail.sessions.map((s) => (
                <tr key={s.id} data-session-id={s.id} data-live={s.live}>
                  <td data-label="Session">
                    <span>
                      <code className="cell-main">{s.id}</code>
                      <span className="cell-sub">{s.live ? 'live' : s.revoked_at ? `ended: ${s.revoked_reason ?? 'revoked'}` : 'expired'}</span>
                    </span>
                  </td>
                  <td data-label="Device">{s.device_id ? <span>{s.device_id}</span> : <span className="muted">none</span>}</td>
                  <td data-label="Intune state">
                    <span className={`state-badge state-${s.mam_state}`}>{s.mam_state}</span>
                  </td>
                  <td data-label="Opened">
                    <Time at={s.created_at} />
                  </td>
                  <td data-label="Ends">
                    <Time at={s.revoked_at ?? s.expires_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {asking ? (
        <ConfirmDialog title={`End every session of ${name}?`} confirmLabel="End sessions" onConfirm={revoke} onCancel={() => setAsking(false)}>
          <p>
            {name} is signed out on every device at their next request ({plural(detail.live_sessions, 'live session')} here). They can sign in
            again; this does not block the account.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
