// A moment as ISO-8601 in the reader's time zone; the UTC value stays in dateTime and the tooltip.
import { formatTime } from '../../shared/labels.ts';

export function Time({ at, empty = '—' }: { at: string | null | undefined; empty?: string }) {
  if (!at) return <span className="muted">{empty}</span>;
  return (
    <time dateTime={at} title={at} className="nowrap-time">
      {formatTime(at)}
    </time>
  );
}
