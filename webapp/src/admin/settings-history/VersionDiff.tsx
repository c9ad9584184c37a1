// What one save changed: a line per setting, the value before (removed) and after (added). Secrets are compared by
// the service and shown masked. Another version can be chosen to compare with.
import { useCallback, useState } from 'react';
import type { MamgateApi } from '../../api/client.ts';
import type { SettingChange, SettingsVersion } from '../../api/types.ts';
import { plural } from '../../shared/labels.ts';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { useLoad } from '../components/useLoad.ts';

function shown(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function DiffLine({ change }: { change: SettingChange }) {
  return (
    <li className="diff-line" data-key={change.key}>
      <code className="diff-key">{change.key}</code>
      {change.secret ? <span className="muted small"> (secret: changed, values hidden)</span> : null}
      <del className="diff-before">
        <span className="visually-hidden">before: </span>
        {shown(change.before)}
      </del>
      <ins className="diff-after">
        <span className="visually-hidden">after: </span>
        {shown(change.after)}
      </ins>
    </li>
  );
}

export function VersionDiff({ api, version, versions }: { api: MamgateApi; version: number; versions: SettingsVersion[] }) {
  const [against, setAgainst] = useState<number | undefined>(undefined);
  const load = useCallback(() => api.settingsDiff(version, against), [api, version, against]);
  const { data, error } = useLoad(load);
  const current = data && data.version === version ? data : null;
  return (
    <section className="diff-panel" aria-labelledby="diff-title">
      <h2 id="diff-title">Changes in version {version}</h2>
      <div className="filter">
        <label htmlFor="diff-against">Compared with</label>
        <select
          id="diff-against"
          value={against === undefined ? '' : String(against)}
          onChange={(e) => setAgainst(e.target.value === '' ? undefined : Number(e.target.value))}
        >
          <option value="">The version before</option>
          {versions
            .filter((v) => v.version !== version)
            .map((v) => (
              <option key={v.version} value={v.version}>
                Version {v.version}
              </option>
            ))}
          <option value="0">The defaults</option>
        </select>
      </div>
      <ErrorAlert error={error} />
      {current ? (
        <>
          <p className="muted" role="status">
            {current.against === 0 ? 'Against the defaults' : `Against version ${current.against}`}: {plural(current.changes.length, 'setting')} changed.
          </p>
          {current.changes.length > 0 ? (
            <ul className="diff" aria-label={`Differences of version ${version}`}>
              {current.changes.map((c) => (
                <DiffLine key={c.key} change={c} />
              ))}
            </ul>
          ) : null}
        </>
      ) : error ? null : (
        <p className="muted">Comparing…</p>
      )}
    </section>
  );
}
