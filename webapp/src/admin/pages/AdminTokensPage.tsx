// Admin tokens: every token (never its secret) with its name, who created it and when, when it was last used
// (recorded at most once a minute), and Revoke, which asks first. Tokens are made with `mamgate admin token create`.
import { useCallback, useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import type { AdminToken } from '../../api/types.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useLoad } from '../components/useLoad.ts';
import { TokenRow } from '../tokens/TokenRow.tsx';

export function AdminTokensPage({ api }: { api: MamgateApi }) {
  const load = useCallback(() => api.adminTokens(), [api]);
  const { data, error, reload } = useLoad(load);
  const [asking, setAsking] = useState<AdminToken | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);

  async function revoke(token: AdminToken) {
    setRevokeError(null);
    try {
      await api.revokeAdminToken(token.id);
      setResult(`Revoked admin token “${token.name}”: the service refuses it from now on.`);
      reload();
    } catch (caught) {
      setRevokeError(errorText(caught));
    } finally {
      setAsking(null);
    }
  }

  return (
    <>
      <h1 tabIndex={-1}>Admin tokens</h1>
      <p className="lead">
        Create a token with <code>mamgate admin token create --name NAME</code>; it is shown once. Last use is recorded at most once a minute.
      </p>
      {result ? (
        <p className="alert alert-ok" role="status">
          {result}
        </p>
      ) : null}
      <ErrorAlert error={error ?? revokeError} />
      {data ? (
        <section className="table-wrap" aria-label="Admin tokens table">
          <table className="data-table card-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((t) => (
                <TokenRow key={t.id} token={t} onRevoke={setAsking} />
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {asking ? (
        <ConfirmDialog
          title={`Revoke admin token “${asking.name}”?`}
          confirmLabel="Revoke token"
          onConfirm={() => revoke(asking)}
          onCancel={() => setAsking(null)}
        >
          <p>
            Every script and browser using this token is refused from now on; this cannot be undone. If this browser signed in with
            it, you are signed out.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
