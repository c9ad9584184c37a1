// Words shown for the service's codes, shared by the standalone pages and the System Console components.
import type { AlignmentStatus, CheckState } from '../api/types.ts';

export const CHECK_STATE_LABELS: Record<CheckState, string> = { pass: 'Pass', warn: 'Warning', fail: 'Fail' };
export const CHECK_STATE_ICONS: Record<CheckState, string> = { pass: '✓', warn: '!', fail: '✕' };

export const ALIGNMENT_LABELS: Record<AlignmentStatus, string> = {
  aligned: 'Aligned',
  mismatch: 'Mismatch',
  missing_source: 'Missing source',
  duplicate_object_id: 'Duplicate objectId',
  unsupported_attribute: 'Unsupported attribute',
  not_in_directory: 'Not in directory',
};

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "2 failures, 1 warning, 9 passed" in the order an operator reads them. */
export function preflightSummaryText(summary: Record<CheckState, number>): string {
  return [
    plural(summary.fail ?? 0, 'failure'),
    plural(summary.warn ?? 0, 'warning'),
    `${summary.pass ?? 0} passed`,
  ].join(', ');
}

/** A timestamp in the reader's locale; the ISO text stays in the <time> element's dateTime. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
