// The sign-in form: an admin token, checked against the service before it is kept for this browser session.
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, createApi, errorText } from '../api/client.ts';

export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('Enter an admin token.');
      input.current?.focus();
      return;
    }
    setChecking(true);
    setError(null);
    try {
      await createApi({ headers: () => ({ Authorization: `Bearer ${value}` }) }).getLicense();
      onSignedIn(value);
    } catch (caught) {
      setChecking(false);
      setError(
        caught instanceof ApiError && caught.status === 401
          ? `The service did not accept this token: ${caught.message}`
          : errorText(caught),
      );
      input.current?.focus();
    }
  }

  return (
    <main className="signin" id="main">
      <h1>mamgate admin</h1>
      <p className="lead">Microsoft Intune MAM settings, preflight, identity alignment and enrollments.</p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor="admin-token">Admin token</label>
          <input
            ref={input}
            id="admin-token"
            name="admin-token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'admin-token-help admin-token-error' : 'admin-token-help'}
          />
          <p id="admin-token-help" className="help">
            Create one on the service's machine with <code>npx mamgate admin token create --name &lt;you&gt;</code>. It
            is kept only in this browser tab until you sign out or close it.
          </p>
          <p id="admin-token-error" className="field-error" aria-live="assertive">
            {error ?? ''}
          </p>
        </div>
        <button type="submit" className="button button-primary" disabled={checking}>
          {checking ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
