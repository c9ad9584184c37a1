// Words shown for the service's codes, shared by the standalone pages and the System Console components.
import type { AlignmentStatus, CheckState } from '../api/types.ts';

export const CHECK_STATE_LABELS: Record<CheckState, string> = { pass: 'Pass', warn: 'Warning', fail: 'Fail' };
export const CHECK_STATE_ICONS: Record<CheckState, string> = { pass: '✓', warn: '!', fail: '✕' };

/** Where an Entra objectId of a user is seen: the account's own auth data, then each identity source. */
export const IDENTITY_SOURCE_LABELS = {
  account: 'Account auth data',
  oauth: 'Sign-in token (oid)',
  saml: 'SAML (objectidentifier)',
  ldap: 'LDAP (msDS-aadObjectId)',
} as const;

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

const two = (n: number) => String(n).padStart(2, '0');

/** The reader's UTC offset at that moment, as ISO-8601 writes it: +01:00, -05:30, +00:00. */
export function utcOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${two(Math.floor(Math.abs(minutes) / 60))}:${two(Math.abs(minutes) % 60)}`;
}

/**
 * A timestamp as ISO-8601 in the reader's time zone, with its offset: 2026-12-07T10:15:00+01:00. One format on
 * every page, whatever the browser's locale; the zone's name is on the page frame (timeZoneLabel).
 */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  const time = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  return `${date}T${time}${utcOffset(d)}`;
}

/** The reader's time zone, e.g. "Europe/Berlin (UTC+01:00)". */
export function timeZoneLabel(now = new Date()): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  return `${zone} (UTC${utcOffset(now)})`;
}
