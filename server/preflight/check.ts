// A preflight check: one item of the seed's validation checklist that a server can verify, with the evidence it
// saw and the next step from the error catalogue.
import type { ChatServerView } from '../chatserver/chat-server-view.ts';
import type { Database } from '../db/connect.ts';
import type { AppError } from '../errors/app-error.ts';
import { type ErrorId, entryFor } from '../errors/catalogue.ts';
import type { GraphStatus } from '../enrollment/graph-recheck-requests.ts';
import type { License } from '../license/model.ts';
import type { Settings } from '../settings/model.ts';
import type { PreflightGraph } from './preflight-graph.ts';

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
  /** Companion mode: the chat server (its URL, never the admin token) and its view, or why it cannot be read. */
  chatServer?: { url: string; view: ChatServerView | AppError };
  /**
   * Microsoft Graph for the checks only it can answer: the client for the settings above (memoised per run), or
   * why there is none; undefined when this process has no Graph link (a command run without the service).
   */
  graph?: PreflightGraph | AppError;
  /** This node's Graph evidence sweeps (absent without the service). */
  graphStatus?: GraphStatus;
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
