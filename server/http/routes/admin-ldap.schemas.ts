// LDAP sync routes: query parameters and answers.
import { z } from 'zod';
import { isoTime, pageOf } from '../answer-schemas.ts';
import { wholeNumberParam } from '../query.ts';

export const syncRunsQuery = z.object({
  limit: wholeNumberParam(1, 200).default(20),
  before: wholeNumberParam(1, Number.MAX_SAFE_INTEGER).optional().meta({ description: 'The next_before of the previous page.' }),
});

const watermark = z.object({
  kind: z.enum(['openldap', 'active-directory']),
  server: z.string(),
  naming_context: z.string(),
  settings: z.string(),
  since: z.string().meta({ description: 'Where the next incremental read starts (inclusive): an entryCSN on OpenLDAP, a USN on Active Directory' }),
  max_seen: z.string().nullable(),
  unmarked: z.number().int().optional().meta({ description: 'Entries the read got without their change mark (an access rule hides it): the next incremental sync is a full pass' }),
  context_csn: z.array(z.string()),
  invocation_id: z.string().nullable(),
  highest_committed_usn: z.string().nullable(),
  taken_at: z.string(),
  full_at: z.string(),
});

export const syncRunAnswer = z.object({
  id: z.number().int(),
  status: z.enum(['running', 'succeeded', 'failed']),
  trigger: z.enum(['manual', 'schedule']),
  requested_by: z.string(),
  entries: z.number().int(),
  matched: z.number().int(),
  without_id: z.number().int(),
  error_id: z.string().nullable(),
  error: z.string().nullable(),
  started_at: isoTime,
  finished_at: isoTime.nullable(),
  kind: z.enum(['full', 'incremental']),
  fallback_reason: z.string().nullable().meta({ description: 'Why a sync asked to be incremental read the whole directory' }),
  watermark: watermark.nullable().meta({ description: 'What this run left for the next incremental one' }),
  changed: z.number().int(),
  affected_users: z.number().int(),
  reclassified: z.record(z.string(), z.number()).nullable(),
});

export const syncModeQuery = z.object({
  mode: z.enum(['full', 'incremental']).optional().meta({ description: 'full (the default) or incremental: only what changed since the watermark' }),
});

export const syncRunListAnswer = pageOf(syncRunAnswer);
