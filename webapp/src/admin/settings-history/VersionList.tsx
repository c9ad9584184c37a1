// The saved settings versions, newest first: when, by whom, and a button to see what that save changed.
import type { SettingsVersion } from '../../api/types.ts';
import { Time } from '../components/Time.tsx';
import { savedByLabel } from './savedBy.ts';

export function VersionList({
  versions,
  selected,
  onSelect,
}: {
  versions: SettingsVersion[];
  selected: number | null;
  onSelect: (version: number) => void;
}) {
  return (
    <ol className="version-list" aria-label="Saved versions">
      {versions.map((v) => (
        <li key={v.version} data-version={v.version} aria-current={v.version === selected ? 'true' : undefined}>
          <button type="button" className="version-button" aria-pressed={v.version === selected} onClick={() => onSelect(v.version)}>
            <span className="cell-main">Version {v.version}</span>
            <span className="cell-sub">
              <Time at={v.saved_at} />
            </span>
            <span className="cell-sub">by {savedByLabel(v.saved_by, v.saved_by_name)}</span>
          </button>
        </li>
      ))}
    </ol>
  );
}
