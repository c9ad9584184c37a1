// The directory sync behind the report's LDAP column: the latest runs (full or incremental, why a full pass ran
// instead, entries read and written), the watermark the next incremental sync starts from, and buttons to sync
// now. A sync in progress shows the entries read so far (the list is polled while one runs).
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import type { LdapSyncRun } from '../../api/types.ts';
import { formatTime, plural } from '../../shared/labels.ts';

const POLL_MS = 500;

function describe(run: LdapSyncRun): string {
  if (run.status === 'running') return `Sync ${run.id} (${run.kind}) running: ${plural(run.entries, 'entry', 'entries')} read so far.`;
  if (run.status === 'failed') return `Sync ${run.id} (${run.kind}) failed ${formatTime(run.finished_at)}: ${run.error ?? run.error_id}`;
  const touched = run.kind === 'incremental' ? `, ${plural(run.affected_users, 'account')} classified again` : '';
  return `Sync ${run.id} (${run.kind}) succeeded ${formatTime(run.finished_at)}: ${plural(run.entries, 'entry', 'entries')} read, ${run.changed} written${touched}.`;
}

export function LdapSyncPanel({ api }: { api: MamgateApi }) {
  const [runs, setRuns] = useState<LdapSyncRun[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const alive = useRef(true);

  const refresh = useCallback(async () => {
    try {
      const page = await api.ldapSyncRuns(5);
      if (!alive.current) return;
      setRuns(page.items);
      clearTimeout(timer.current);
      if (page.items.some((run) => run.status === 'running')) timer.current = setTimeout(() => void refresh(), POLL_MS);
    } catch (caught) {
      setError(errorText(caught));
    }
  }, [api]);

  useEffect(() => {
    alive.current = true;
    void refresh();
    return () => {
      alive.current = false;
      clearTimeout(timer.current);
    };
  }, [refresh]);

  async function sync(mode: 'full' | 'incremental') {
    setError(null);
    setBusy(true);
    // The POST answers when the sync ends; meanwhile the list shows its progress.
    timer.current = setTimeout(() => void refresh(), POLL_MS);
    try {
      await api.startLdapSync(mode);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
      await refresh();
    }
  }

  const good = runs?.find((run) => run.status === 'succeeded' && run.watermark);
  return (
    <section aria-labelledby="ldap-sync-title">
      <h2 id="ldap-sync-title">Directory sync</h2>
      <div className="toolbar">
        <button type="button" className="button" onClick={() => void sync('incremental')} disabled={busy}>
          Sync changes
        </button>
        <button type="button" className="button" onClick={() => void sync('full')} disabled={busy}>
          Full sync
        </button>
      </div>
      {error ? (
        <div className="alert alert-error" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      <div aria-live="polite" role="status" className="sync-status" data-testid="ldap-sync-status">
        {runs === null ? 'Reading the latest syncs…' : runs.length === 0 ? 'No directory sync has run yet.' : describe(runs[0]!)}
      </div>
      {runs?.[0]?.fallback_reason ? <p className="muted small">Full pass instead of incremental: {runs[0].fallback_reason}.</p> : null}
      {good?.watermark ? (
        <p className="muted small" data-testid="ldap-watermark">
          Watermark {good.watermark.since} ({good.watermark.kind === 'active-directory' ? 'uSNChanged' : 'entryCSN'} on {good.watermark.server}),
          taken {formatTime(good.watermark.taken_at)}; last full pass {formatTime(good.watermark.full_at)}.
        </p>
      ) : null}
    </section>
  );
}
