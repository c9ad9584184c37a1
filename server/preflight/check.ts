// A preflight check: one item of the seed's validation checklist that a server can verify, with the evidence it
// saw and the next step from the error catalogue.
import type { Database } from '../db/connect.ts';
import { type ErrorId, entryFor } from '../errors/catalogue.ts';
import type { License } from '../license/model.ts';
import type { Settings } from '../settings/model.ts';

export type CheckState = 'pass' | 'warn' | 'fail';

export interface CheckResult {
  state: CheckState;
  evidence: string;
  next_step: string;
  error_id?: ErrorId;
}

export interface PreflightInput {
  db: Database;
  settings: Settings;
  license: License | null;
  now: number;
  /** Base URL of Entra discovery and keys (MAMGATE_ENTRA_AUTHORITY). */
  authority: string;
  jwksTimeoutMs: number;
}

export interface Check {
  id: string;
  title: string;
  run(input: PreflightInput): Promise<CheckResult> | CheckResult;
}

export function pass(evidence: string): CheckResult {
  return { state: 'pass', evidence, next_step: '' };
}

export function warn(evidence: string, next_step: string, error_id?: ErrorId): CheckResult {
  return { state: 'warn', evidence, next_step, error_id };
}

/** A failure whose next step is the catalogue's, unless a more precise one is given. */
export function fail(evidence: string, error_id: ErrorId, next_step = entryFor(error_id).next_step): CheckResult {
  return { state: 'fail', evidence, next_step, error_id };
}
