// Outcomes operators alert on: sign-ins by method and outcome (success or the refusal's catalogue id), enrollment
// reports by the status taken and the classified cause, and signing-key (JWKS) fetches by outcome. Every label
// value comes from a fixed set (catalogue ids, FailureCause, ok/failed), never from user data, so the series stay
// bounded. Counting is on the sign-in path: each label combination's child is bound once and kept, so a count is
// one Map read and one add.
import { Counter, type Registry } from 'prom-client';
import type { FailureCause } from '../enrollment/classify-failure.ts';
import type { EnrollmentStatus } from '../db/stores/enrollment-store.ts';

export type SignInMethod = 'intune' | 'saml';
export type KeySetFetchOutcome = 'ok' | 'failed';

type Child = { inc(): void };

/** The counter's child for each label combination, bound on first use. */
function boundChildren<L extends string>(counter: Counter<L>) {
  const children = new Map<string, Child>();
  return (...values: string[]): Child => {
    const key = values.join('\u0000');
    let child = children.get(key);
    if (!child) {
      child = counter.labels(...values);
      children.set(key, child);
    }
    return child;
  };
}

export class OutcomeMetrics {
  private readonly signIns: (method: string, outcome: string) => Child;
  private readonly enrollments: (outcome: string, cause: string) => Child;
  private readonly keySetFetches: (outcome: string) => Child;

  constructor(registry: Registry) {
    const signIns = new Counter({
      name: 'mamgate_sign_ins_total',
      help: 'Sign-ins answered, by method (intune: POST /oauth/intune, saml: the SAML ACS) and outcome (success, or the catalogue id of the refusal)',
      labelNames: ['method', 'outcome'] as const,
      registers: [registry],
    });
    const enrollments = new Counter({
      name: 'mamgate_enrollment_reports_total',
      help: 'Enrollment reports recorded (replays not counted again), by the status the server took (enrolled, declined, failed) and the classified cause',
      labelNames: ['outcome', 'cause'] as const,
      registers: [registry],
    });
    const keySetFetches = new Counter({
      name: 'mamgate_key_set_fetches_total',
      help: "Requests for the tenant's signing keys (JWKS), by outcome (ok, failed: the last good keys are kept)",
      labelNames: ['outcome'] as const,
      registers: [registry],
    });
    this.signIns = boundChildren(signIns);
    this.enrollments = boundChildren(enrollments);
    this.keySetFetches = boundChildren(keySetFetches);
  }

  /** outcome: 'success' or the catalogue id the sign-in was refused with. */
  signIn(method: SignInMethod, outcome: string): void {
    this.signIns(method, outcome).inc();
  }

  enrollment(outcome: EnrollmentStatus, cause: FailureCause): void {
    this.enrollments(outcome, cause).inc();
  }

  keySetFetch(outcome: KeySetFetchOutcome): void {
    this.keySetFetches(outcome).inc();
  }
}
