// LDAP sync routes: query parameters and answers.
import { z } from 'zod';
import { isoTime, pageOf } from '../answer-schemas.ts';
import { wholeNumberParam } from '../query.ts';

export const syncRunsQuery = z.object({
  limit: wholeNumberParam(1, 200).default(20),
  before: wholeNumberParam(1, Number.MAX_SAFE_INTEGER).optional().meta({ description: 'The next_before of the previous page.' }),
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
});

export const syncRunListAnswer = pageOf(syncRunAnswer);
