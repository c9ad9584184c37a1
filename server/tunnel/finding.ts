// One result of the tunnel validator: what was looked at, how bad it is, and what to do about it. Rule ids are
// stable (tests, the preflight and admins' scripts match on them); messages and fixes are for people.

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  severity: Severity;
  /** Stable id, e.g. 'network.cidr', 'appconfig.server_address'. */
  rule: string;
  /** Where the value sits: an app-config key, a settings key, or serverConfiguration.… / site.…. */
  field: string;
  value: unknown;
  message: string;
  fix: string;
}

export type FindingSummary = Record<Severity, number>;

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function finding(severity: Severity, rule: string, field: string, value: unknown, message: string, fix: string): Finding {
  return { severity, rule, field, value, message, fix };
}

export function summarize(findings: readonly Finding[]): FindingSummary {
  const summary: FindingSummary = { error: 0, warning: 0, info: 0 };
  for (const f of findings) summary[f.severity]++;
  return summary;
}

/** Errors first, then warnings, then notes; within a severity the rule order is kept. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return findings
    .map((f, i) => [f, i] as const)
    .sort(([a, i], [b, j]) => ORDER[a.severity] - ORDER[b.severity] || i - j)
    .map(([f]) => f);
}
