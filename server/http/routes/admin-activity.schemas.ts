// Enrollments, evidence, audit, Android attempts and session revocation: query parameters and answers.
import { z } from 'zod';
import { EVIDENCE_SOURCES, EVIDENCE_STATES } from '../../enrollment/evidence-list.ts';
import { isoTime, pageOf } from '../answer-schemas.ts';
import { oneOfParam, textParam, wholeNumberParam } from '../query.ts';

const id = wholeNumberParam(1, Number.MAX_SAFE_INTEGER);

export const enrollmentsQuery = z.object({
  state: textParam('Only reports of this status (enrolled, declined, failed)'),
  status: textParam('The same as state, when state is not given'),
  user_id: textParam('Only reports of this user'),
  cause: textParam('Only reports of this classified cause'),
  limit: wholeNumberParam(1, 500).default(50),
  before: id.optional().meta({ description: 'The next_before of the previous page.' }),
});

export const androidAttemptsQuery = z.object({ days: wholeNumberParam(1, 90).default(7) });

export const evidenceQuery = z.object({
  state: oneOfParam(EVIDENCE_STATES as readonly ['pending', 'enrolled', 'declined', 'failed'], 'Only evidence in this state'),
  source: oneOfParam(EVIDENCE_SOURCES as readonly ['graph', 'client_report'], 'Only evidence from this source'),
  user: textParam('Username, email or user id contains this'),
  limit: wholeNumberParam(1, 500).default(50),
  before: z.string().optional().meta({ description: 'The next_before of the previous page (opaque).' }),
});

export const auditQuery = z.object({
  action: textParam('Only entries of this action'),
  actor: textParam('Only entries by this actor'),
  user: textParam('Only entries about this user (id)'),
  since: z.string().optional().meta({ description: 'ISO-8601 time; entries at or after it' }),
  until: z.string().optional().meta({ description: 'ISO-8601 time; entries before it' }),
  limit: wholeNumberParam(1, 500).default(50),
  before: id.optional().meta({ description: 'The next_before of the previous page.' }),
});

export const userPathParams = z.object({ id: z.string().meta({ description: 'The user id (chat-server id; the evidence route also takes a username).' }) });

export const enrollmentListAnswer = pageOf(
  z.object({
    id: z.number().int(),
    event_id: z.string(),
    session_id: z.string(),
    user_id: z.string(),
    tenant_id: z.string().nullable(),
    device_id: z.string().nullable(),
    status: z.enum(['enrolled', 'declined', 'failed']),
    error_code: z.string().nullable(),
    error_message: z.string().nullable(),
    cause: z.string(),
    cause_summary: z.string(),
    next_step: z.string(),
    created_at: isoTime,
    username: z.string().nullable(),
    email: z.string().nullable(),
  }),
);

export const androidAttemptsAnswer = z.object({
  since: isoTime,
  refused: z.number().int(),
  allowed_unprotected: z.number().int(),
  held_for_evidence: z.number().int(),
  total: z.number().int(),
});

const platform = z.enum(['ios', 'android']);

export const evidenceListAnswer = pageOf(
  z.object({
    user_id: z.string(),
    username: z.string().nullable(),
    email: z.string().nullable(),
    state: z.enum(['pending', 'enrolled', 'declined', 'failed']),
    source: z.enum(['graph', 'client_report']),
    verified: z.boolean(),
    outcome: z.string(),
    cause: z.string().nullable(),
    cause_summary: z.string().nullable(),
    refusal_id: z.string().nullable(),
    refusal_message: z.string().nullable(),
    next_step: z.string().nullable(),
    registration: z
      .object({
        registration_id: z.string(),
        app_id: z.string().nullable(),
        platform: platform.nullable(),
        last_sync: z.string().nullable(),
        last_sync_age_seconds: z.number().nullable(),
        policies: z.array(z.string()),
        flags: z.array(z.string()),
      })
      .nullable(),
    valid_until: z.string().nullable(),
    checked_at: z.string().nullable(),
    updated_at: z.string(),
    age_seconds: z.number(),
    revocation_pending: z.boolean(),
  }),
  z.string(),
);

export const auditListAnswer = pageOf(
  z.object({
    id: z.number().int(),
    at: isoTime,
    request_id: z.string().nullable(),
    actor: z.string(),
    actor_name: z.string().nullable().meta({ description: "The admin token's name when the actor is admin-token:<id>" }),
    action: z.string(),
    target: z.string().nullable(),
    target_name: z.string().nullable(),
    outcome: z.enum(['success', 'failure', 'refused']),
    details: z.record(z.string(), z.unknown()),
    user: z.object({ id: z.string(), username: z.string().nullable(), email: z.string().nullable() }).nullable(),
  }),
);

const evidenceOutcome = z.enum(['verified', 'none', 'other_app', 'no_policy', 'stale', 'flagged']);

/** What Graph evidence the server holds for the user (graph-evidence-record.ts). */
const graphEvidenceRecord = z.object({
  outcome: evidenceOutcome,
  checked_at: z.string(),
  max_sync_age_hours: z.number(),
  evidence: z
    .object({
      registration_id: z.string(),
      app_id: z.string(),
      platform,
      last_sync: z.string(),
      policies: z.array(z.string()),
      flags: z.array(z.string()),
      read_at: z.string(),
    })
    .optional(),
  valid_until: z.string().optional(),
  registration: z
    .object({
      registration_id: z.string(),
      user_id: z.string(),
      app_id: z.string().nullable(),
      platform: platform.nullable(),
      last_sync: z.string().nullable(),
      policies: z.array(z.string()),
      flags: z.array(z.string()),
    })
    .optional(),
  refusal_id: z.string().optional(),
  refusal_params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export const verifiedUserAnswer = z.object({
  user_id: z.string(),
  username: z.string(),
  outcome: z.string(),
  verified: z.boolean(),
  lost: z.boolean(),
  evidence: graphEvidenceRecord.nullable(),
});

export const revokedSessionsAnswer = z.object({
  revoked: z.number().int(),
  chat_server_revocation: z.literal('queued').optional().meta({ description: 'Companion mode: the chat server ends the sessions too.' }),
});
