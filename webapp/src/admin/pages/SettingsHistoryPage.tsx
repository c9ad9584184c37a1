// Settings history: every saved version, newest first, and what a version changed against the one before it (or
// another chosen version).
import { useCallback, useEffect, useState } from 'react';
import { errorText, type MamgateApi } from '../../api/client.ts';
import type { SettingsVersion } from '../../api/types.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { VersionDiff } from '../settings-history/VersionDiff.tsx';
import { VersionList } from '../settings-history/VersionList.tsx';

const PAGE_SIZE = 20;

export function SettingsHistoryPage({ api }: { api: MamgateApi }) {
  const [versions, setVersions] = useState<SettingsVersion[] | null>(null);
  const [more, setMore] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (before?: number) => {
      try {
        const page = await api.settingsHistory({ limit: PAGE_SIZE, before });
        setVersions((seen) => [...(before === undefined ? [] : (seen ?? [])), ...page]);
        setMore(page.length === PAGE_SIZE);
        setSelected((s) => s ?? page[0]?.version ?? null);
      } catch (caught) {
        setError(errorText(caught));
      }
    },
    [api],
  );
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <h1 tabIndex={-1}>Settings history</h1>
      <p className="lead">Every save is a new version; nothing is overwritten. Choose a version to see what it changed.</p>
      <ErrorAlert error={error} />
      {versions && versions.length === 0 ? <p>The settings were never saved: the defaults apply.</p> : null}
      {versions && versions.length > 0 ? (
        <div className="history-layout">
          <div>
            <VersionList versions={versions} selected={selected} onSelect={setSelected} />
            {more ? (
              <button type="button" className="button" onClick={() => void load(versions[versions.length - 1]?.version)}>
                Older versions
              </button>
            ) : null}
          </div>
          {selected !== null ? <VersionDiff key={selected} api={api} version={selected} versions={versions} /> : null}
        </div>
      ) : null}
      {!versions && !error ? <p className="muted">Reading the history…</p> : null}
    </>
  );
}
