// What a Graph check leaves in a user's evidence record (user_evidence.details), so that every node's gate can
// answer from it: why the evidence does not hold (a catalogue id and its parameters), or until when it holds.
import type { ErrorParams } from '../errors/app-error.ts';
import type { EvidenceOutcome, IntuneEvidence, RegistrationSummary } from './intune-evidence.ts';

export interface GraphEvidenceRecord {
  outcome: EvidenceOutcome;
  checked_at: string;
  max_sync_age_hours: number;
  /** Verified: the registration that proves protection, and when it stops doing so (last sync + the age limit). */
  evidence?: IntuneEvidence;
  valid_until?: string;
  /** Not verified: the registration that got furthest, and the refusal the gate answers. */
  registration?: RegistrationSummary;
  refusal_id?: string;
  refusal_params?: ErrorParams;
}
