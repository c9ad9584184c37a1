// What each identity source last saw of the user: the account's auth data, then the sign-in token, SAML and LDAP.
import type { UserDetail } from '../../api/types.ts';
import { IDENTITY_SOURCE_LABELS } from '../../shared/labels.ts';
import { Time } from '../components/Time.tsx';

const SOURCE_LABELS: Record<string, string> = IDENTITY_SOURCE_LABELS;

export function UserIdentities({ detail }: { detail: UserDetail }) {
  return (
    <section className="activity-section" aria-labelledby="identities-title">
      <h2 id="identities-title">Identity sources</h2>
      <section className="table-wrap" aria-label="Identity sources table">
        <table className="data-table card-table">
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">objectId</th>
              <th scope="col">Seen</th>
            </tr>
          </thead>
          <tbody>
            <tr data-source="account">
              <th scope="row" data-label="Source">
                <span>{IDENTITY_SOURCE_LABELS.account}</span>
              </th>
              <td data-label="objectId">{detail.user.auth_data ? <code>{detail.user.auth_data}</code> : <span className="muted">none</span>}</td>
              <td data-label="Seen">
                <span className="muted">—</span>
              </td>
            </tr>
            {detail.identities.map((i) => (
              <tr key={i.source} data-source={i.source}>
                <th scope="row" data-label="Source">
                  <span>{SOURCE_LABELS[i.source] ?? i.source}</span>
                </th>
                <td data-label="objectId">{i.object_id ? <code>{i.object_id}</code> : <span className="muted">{i.raw_value ?? 'not seen'}</span>}</td>
                <td data-label="Seen">
                  <Time at={i.seen_at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {detail.identities.length === 0 ? <p className="muted small">No source has seen an objectId of this user yet.</p> : null}
    </section>
  );
}
