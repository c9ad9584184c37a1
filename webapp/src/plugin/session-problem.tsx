import { ApiError } from '../api/client.ts';

/** What to show when the console could not reach the service, with the way to the standalone pages. */
export function SessionProblem({ error, adminUrl }: { error: unknown; adminUrl: string }) {
  const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
  return (
    <div className="mg-alert mg-alert-error" role="alert">
      <p>
        {refused
          ? 'The mamgate service did not accept this System Console session.'
          : error instanceof Error
            ? error.message
            : String(error)}
      </p>
      {error instanceof ApiError && error.nextStep ? <p>{error.nextStep}</p> : null}
      <p>
        <a href={adminUrl} target="_blank" rel="noreferrer">
          Open the mamgate admin pages
        </a>{' '}
        and sign in with an admin token (<code>mamgate admin token create</code>).
      </p>
    </div>
  );
}
