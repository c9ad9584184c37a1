// How the evidence page words sources, Graph outcomes and ages.
import type { EvidenceSource } from '../../api/types.ts';

export const SOURCE_LABELS: Record<EvidenceSource, string> = {
  graph: 'Verified by Microsoft Graph',
  client_report: 'Client report (unverified)',
};
export const OUTCOME_LABELS: Record<string, string> = {
  verified: 'Protected: a current registration with an app protection policy',
  none: 'No Intune registration for this user',
  other_app: 'Registered, but with another app',
  no_policy: 'Registered, but no app protection policy applies',
  stale: 'The registration has not synced recently enough',
  flagged: 'Intune flagged the registration',
};
export const HEAD = ['User', 'State', 'Source', 'Outcome', 'Registration', 'Valid until', 'Updated', 'Actions'];

/** "just now", "5 min", "2 h", "3 d" — how long a number of seconds is, roughly. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 172_800) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

export function agoText(seconds: number | null): string {
  if (seconds === null) return '';
  return seconds < 10 ? 'just now' : `${durationText(seconds)} ago`;
}
