// The admin pages' list of protected chat users and their enrollment evidence (GET admin/evidence): who, what the
// evidence says and where it comes from (read by the server from Microsoft Graph, or a client's unverified report),
// why it does not hold (the catalogue's message and next step), and how old it is. Newest first, paged with an
// opaque `before` cursor taken from the previous answer's next_before.
import type { Database } from '../db/connect.ts';
import {
  type EvidenceListRow,
  type EvidenceSource,
  type EvidenceState,
  userEvidenceStore,
} from '../db/stores/user-evidence-store.ts';
import { AppError } from '../errors/app-error.ts';
import { entryFor } from '../errors/catalogue.ts';
import { FAILURE_CAUSES, type FailureCause } from './classify-failure.ts';
import { evidenceRefusal } from './evidence-decision.ts';
import type { GraphEvidenceRecord } from './graph-evidence-record.ts';

export { ENROLLMENT_STATES as EVIDENCE_STATES, EVIDENCE_SOURCES } from '../contract/enrollment.ts';

export interface EvidenceListFilter {
  state?: EvidenceState;
  source?: EvidenceSource;
  user?: string;
  limit: number;
  before?: string;
}

export interface EvidenceRegistration {
  registration_id: string;
  app_id: string | null;
  platform: 'ios' | 'android' | null;
  last_sync: string | null;
  last_sync_age_seconds: number | null;
  policies: string[];
  flags: string[];
}

export interface EvidenceItem {
  user_id: string;
  username: string | null;
  email: string | null;
  state: EvidenceState;
  source: EvidenceSource;
  /** true: read by the server from Microsoft Graph; false: the mobile client's own report, not verified. */
  verified: boolean;
  /** Graph: verified | none | other_app | no_policy | stale | flagged. Client report: the reported state. */
  outcome: string;
  /** Client report: the classified cause of the reported error (none when enrolled). */
  cause: string | null;
  cause_summary: string | null;
  /** Why the evidence does not open the gate, from the catalogue; null when it does. */
  refusal_id: string | null;
  refusal_message: string | null;
  next_step: string | null;
  /** Graph: the registration that proves protection, or the one that got furthest. */
  registration: EvidenceRegistration | null;
  valid_until: string | null;
  checked_at: string | null;
  updated_at: string;
  age_seconds: number;
  revocation_pending: boolean;
}

export interface EvidencePage {
  items: EvidenceItem[];
  next_before: string | null;
}

const CURSOR_KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~(.{1,128})$/s;

function invalidCursor(): AppError {
  return new AppError('mamgate.request.invalid_query_param.app_error', {
    params: { Field: 'before', Problem: 'the next_before value of an earlier answer' },
  });
}

export function encodeCursor(row: Pick<EvidenceListRow, 'updated_key' | 'user_id'>): string {
  return Buffer.from(`${row.updated_key}~${row.user_id}`, 'utf8').toString('base64url');
}

/** The (updated_at, user_id) key of an opaque cursor, or the catalogue's 400 naming `before`. */
export function decodeCursor(cursor: string): { updatedAt: string; userId: string } {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw invalidCursor();
  const match = CURSOR_KEY.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || Number.isNaN(Date.parse(match[1]!))) throw invalidCursor();
  return { updatedAt: match[1]!, userId: match[2]! };
}

function ageSeconds(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : Math.max(0, Math.floor((now - at) / 1000));
}

/** Why the record does not open the gate, as the gate itself decides it (evidence-decision.ts), in the page's words. */
function refusalFields(row: EvidenceListRow, now: number) {
  const mode = row.source === 'graph' ? 'graph' : 'client';
  const graph = row.source === 'graph' ? (row.details as unknown as GraphEvidenceRecord) : null;
  const refusal = evidenceRefusal({ evidence: row.state, source: row.source, graph }, mode, now);
  if (!refusal) return { refusal_id: null, refusal_message: null, next_step: null };
  return { refusal_id: refusal.id, refusal_message: refusal.message, next_step: entryFor(refusal.id).next_step };
}

function graphFields(record: GraphEvidenceRecord, now: number) {
  const summary = record.evidence ?? record.registration;
  const registration: EvidenceRegistration | null = summary
    ? {
        registration_id: summary.registration_id,
        app_id: summary.app_id,
        platform: summary.platform,
        last_sync: summary.last_sync,
        last_sync_age_seconds: ageSeconds(summary.last_sync, now),
        policies: summary.policies ?? [],
        flags: summary.flags ?? [],
      }
    : null;
  return {
    outcome: record.outcome,
    cause: null,
    cause_summary: null,
    registration,
    valid_until: record.valid_until ?? null,
    checked_at: record.checked_at ?? null,
  };
}

function clientFields(row: EvidenceListRow) {
  const cause = typeof row.details.cause === 'string' ? row.details.cause : null;
  return {
    outcome: row.state,
    cause,
    cause_summary: cause ? (FAILURE_CAUSES[cause as FailureCause]?.summary ?? cause) : null,
    registration: null,
    valid_until: null,
    checked_at: null,
  };
}

export function evidenceItem(row: EvidenceListRow, now: number): EvidenceItem {
  const updatedAt = new Date(row.updated_at).toISOString();
  const fields = row.source === 'graph' ? graphFields(row.details as unknown as GraphEvidenceRecord, now) : clientFields(row);
  return {
    user_id: row.user_id,
    username: row.username,
    email: row.email,
    state: row.state,
    source: row.source,
    verified: row.source === 'graph',
    ...fields,
    ...refusalFields(row, now),
    updated_at: updatedAt,
    age_seconds: ageSeconds(updatedAt, now) ?? 0,
    revocation_pending: row.revocation_pending,
  };
}

/** The evidence of protected users, newest first; next_before is null on the last page. */
export async function listEvidence(db: Database, filter: EvidenceListFilter, now = Date.now()): Promise<EvidencePage> {
  const rows = await userEvidenceStore.page(db, {
    state: filter.state,
    source: filter.source,
    user: filter.user,
    limit: filter.limit,
    before: filter.before === undefined ? undefined : decodeCursor(filter.before),
  });
  return {
    items: rows.map((row) => evidenceItem(row, now)),
    next_before: rows.length === filter.limit ? encodeCursor(rows[rows.length - 1]!) : null,
  };
}
