// A moment as ISO-8601 in the reader's time zone; the UTC value stays in dateTime and the tooltip. A narrow column
// breaks it after the "T" only (date on one line, time on the next), never inside the date or the time.
import { formatTime } from '../../shared/labels.ts';

export function TimeText({ at }: { at: string }) {
  const text = formatTime(at);
  const split = text.indexOf('T');
  if (split < 0) return <>{text}</>;
  return (
    <>
      <span className="nowrap-time">{text.slice(0, split + 1)}</span>
      <wbr />
      <span className="nowrap-time">{text.slice(split + 1)}</span>
    </>
  );
}

export function Time({ at, empty = '—' }: { at: string | null | undefined; empty?: string }) {
  if (!at) return <span className="muted">{empty}</span>;
  return (
    <time dateTime={at} title={at}>
      <TimeText at={at} />
    </time>
  );
}
