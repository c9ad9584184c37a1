import type { AdminToken } from '../../api/types.ts';
import { actorLabel } from '../audit/sentences.ts';
import { Time } from '../components/Time.tsx';

/** One admin token: name, id, who made it and when, last use, and Revoke while it is active. */
export function TokenRow({ token, onRevoke }: { token: AdminToken; onRevoke: (token: AdminToken) => void }) {
  return (
    <tr data-token-id={token.id} data-revoked={token.revoked_at !== null}>
      <th scope="row" data-label="Name">
        <span>
          <span className="cell-main">{token.name}</span>
          <code className="cell-sub">{token.id}</code>
        </span>
      </th>
      <td data-label="Created">
        <span>
          <Time at={token.created_at} />
          <span className="cell-sub">by {actorLabel({ actor: token.created_by, actor_name: null })}</span>
        </span>
      </td>
      <td data-label="Last used">
        <Time at={token.last_used_at} empty="never" />
      </td>
      <td data-label="State">
        {token.revoked_at ? (
          <span>
            <span className="state-badge state-failed">revoked</span> <Time at={token.revoked_at} />
          </span>
        ) : (
          <span className="state-badge state-enrolled">active</span>
        )}
      </td>
      <td data-label="Actions">
        {token.revoked_at ? (
          <span className="muted">—</span>
        ) : (
          <button type="button" className="button button-small button-danger" onClick={() => onRevoke(token)}>
            Revoke<span className="visually-hidden"> {token.name}</span>
          </button>
        )}
      </td>
    </tr>
  );
}
