// One user (/users/{id}): who they are, their sessions (with "End all sessions"), evidence, enrollment history,
// identity sources and the audit entries about them.
import { useCallback, useEffect } from 'react';
import type { MamgateApi } from '../../api/client.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useLoad } from '../components/useLoad.ts';
import { pageParam, usePathname } from '../router.ts';
import { UserSummary } from '../user/UserSummary.tsx';
import { UserSessions } from '../user/UserSessions.tsx';
import { UserEvidence } from '../user/UserEvidence.tsx';
import { UserActivity, UserEnrollments } from '../user/UserHistory.tsx';
import { UserIdentities } from '../user/UserIdentities.tsx';

export function UserPage({ api }: { api: MamgateApi }) {
  const userId = pageParam(usePathname());
  const load = useCallback(() => api.user(userId), [api, userId]);
  const { data, error, reload } = useLoad(load);
  const heading = data?.user.username ?? (data ? data.user.id : 'User');
  useEffect(() => {
    if (data) document.title = `${heading} · mamgate admin`;
  }, [data, heading]);
  return (
    <>
      <h1 tabIndex={-1}>{heading}</h1>
      {data?.user.email ? <p className="lead">{data.user.email}</p> : null}
      {!userId ? <ErrorAlert error="No user id in the address: open a user from a list." /> : <ErrorAlert error={error} />}
      {!data && !error && userId ? <p className="muted">Loading the user…</p> : null}
      {data ? (
        <>
          <UserSummary detail={data} />
          <UserSessions api={api} detail={data} onChanged={reload} />
          <UserEvidence api={api} detail={data} onChanged={reload} />
          <UserEnrollments detail={data} />
          <UserIdentities detail={data} />
          <UserActivity detail={data} />
        </>
      ) : null}
    </>
  );
}
