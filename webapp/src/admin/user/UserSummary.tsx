// Who the user is: username, email, id, how they sign in, and whether this service imported the account.
import type { UserDetail } from '../../api/types.ts';
import { Time } from '../components/Time.tsx';

export function UserSummary({ detail }: { detail: UserDetail }) {
  const { user } = detail;
  return (
    <dl className="facts user-facts">
      <dt>Username</dt>
      <dd>{user.username ?? <span className="muted">unknown (not imported)</span>}</dd>
      <dt>Email</dt>
      <dd>{user.email ?? <span className="muted">unknown</span>}</dd>
      <dt>User ID</dt>
      <dd>
        <code>{user.id}</code>
      </dd>
      {user.first_name || user.last_name ? (
        <>
          <dt>Name</dt>
          <dd>{`${user.first_name} ${user.last_name}`.trim()}</dd>
        </>
      ) : null}
      <dt>Auth service</dt>
      <dd>{user.known_account ? user.auth_service || 'email/password' : <span className="muted">not imported</span>}</dd>
      {user.deleted_at ? (
        <>
          <dt>Deactivated</dt>
          <dd>
            <Time at={user.deleted_at} />
          </dd>
        </>
      ) : null}
    </dl>
  );
}
