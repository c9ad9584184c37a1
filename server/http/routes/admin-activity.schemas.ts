// Enrollments, evidence, audit, Android attempts and session revocation: query parameters and answers.
import { z } from 'zod';
import { EVIDENCE_SOURCES, EVIDENCE_STATES } from '../../enrollment/evidence-list.ts';
import { isoTime, pageOf } from '../answer-schemas.ts';
import { isoTimeParam, oneOfParam, textParam, wholeNumberParam } from '../query.ts';

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

/** GET admin/audit: every filter combines with the others (AND); since is inclusive, until exclusive; no other parameter. */
export const auditQuery = z
  .strictObject({
    action: textParam('Only entries of this action'),
    actor: textParam('Only entries by this actor (as written, or an admin token\'s name)'),
    user: textParam('Only entries about this user (id, username or email)'),
    since: isoTimeParam('Entries at or after this time'),
    until: isoTimeParam('Entries before this time'),
    limit: wholeNumberParam(1, 500).default(50),
    before: id.optional().meta({ description: 'The next_before of the previous page.' }),
  })
  .refine((q) => !q.since || !q.until || q.since < q.until, { error: 'until must be later than since', path: ['until'] });

export const userPathParams = z.object({ id: z.string().meta({ description: 'The user id (chat-server id; the evidence route also takes a username).' }) });

/** The user page's id: a chat-server id (26 lower-case letters and digits) or any id-like text up to 64. */
export const userDetailParams = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, { error: 'a user id (letters, digits, . _ - @; at most 64)' }),
});

const enrollmentItem = z.object({
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
});

export const enrollmentListAnswer = pageOf(enrollmentItem);

export const androidAttemptsAnswer = z.object({
  since: isoTime,
  refused: z.number().int(),
  allowed_unprotected: z.number().int(),
  held_for_evidence: z.number().int(),
  total: z.number().int(),
});

const platform = z.enum(['ios', 'android']);

const evidenceItem = z.object({
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
});

export const evidenceListAnswer = pageOf(evidenceItem, z.string());

const auditItem = z.object({
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
});

export const auditListAnswer = pageOf(auditItem);

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

/** GET admin/users/{id}: the user page (users/user-detail.ts). */
export const userDetailAnswer = z.object({
  user: z.object({
    id: z.string(),
    username: z.string().nullable(),
    email: z.string().nullable(),
    first_name: z.string(),
    last_name: z.string(),
    auth_service: z.string().nullable(),
    auth_data: z.string().nullable(),
    deleted_at: z.string().nullable(),
    known_account: z.boolean(),
  }),
  sessions: z.array(
    z.object({
      id: z.string(),
      device_id: z.string().nullable(),
      is_mobile: z.boolean(),
      auth_service: z.string(),
      mam_state: z.string(),
      created_at: z.string(),
      expires_at: z.string(),
      revoked_at: z.string().nullable(),
      revoked_reason: z.string().nullable(),
      live: z.boolean(),
    }),
  ),
  live_sessions: z.number().int(),
  evidence: evidenceItem.nullable(),
  enrollments: z.array(enrollmentItem),
  identities: z.array(
    z.object({
      source: z.string(),
      tenant_id: z.string(),
      object_id: z.string().nullable(),
      raw_value: z.string().nullable(),
      attribute: z.string(),
      seen_at: z.string(),
    }),
  ),
  activity: z.array(auditItem),
});
