// A user as every page shows them: username, email under it, both linking to the user's detail page. A chat user
// the service never imported has neither: their id is shown instead.
import type { UserRef } from '../../api/types.ts';
import { userPath } from '../router.ts';
import { AppLink } from './AppLink.tsx';

export function UserLink({ user }: { user: UserRef }) {
  return (
    <span className="user-ref" data-user-id={user.id}>
      <AppLink to={userPath(user.id)} className="cell-main">
        {user.username ?? <code>{user.id}</code>}
      </AppLink>
      <span className="cell-sub">{user.email ?? (user.username ? '' : 'not imported')}</span>
    </span>
  );
}
