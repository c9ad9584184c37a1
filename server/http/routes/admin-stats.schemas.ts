// The admin pages' charts: query parameters and answers.
import { z } from 'zod';
import { bucketCount, MAX_BUCKETS, statsRange } from '../../admin/stats.ts';
import { ALIGNMENT_STATUSES } from '../../identity/report/statuses.ts';
import { isoTime } from '../answer-schemas.ts';
import { isoTimeParam, oneOfParam, wholeNumberParam } from '../query.ts';

const BUCKETS = ['hour', 'day'] as const;

/** GET admin/stats/*: since inclusive, until exclusive (default now); at most MAX_BUCKETS buckets; no other parameter. */
export const statsQuery = z
  .strictObject({
    bucket: oneOfParam(BUCKETS, 'Count per hour (the default: the last 24 hours) or per day (the last 30 days), in UTC'),
    since: isoTimeParam('Counts from this time (default: the bucket\'s span before until)'),
    until: isoTimeParam('Counts before this time (default: now)'),
  })
  .refine((q) => !q.since || !q.until || q.since < q.until, { error: 'until must be later than since', path: ['until'] })
  .refine((q) => bucketCount(statsRange(q.bucket ?? 'hour', q.since, q.until)) <= MAX_BUCKETS, {
    error: `a range of at most ${MAX_BUCKETS} buckets (31 days by hour, 744 days by day)`,
    path: ['since'],
  });

export const statsAnswer = z.object({
  bucket: z.enum(BUCKETS),
  since: isoTime,
  until: isoTime,
  buckets: z.array(isoTime).meta({ description: "Each bucket's start (UTC), oldest first; every bucket of the range, also those with no count." }),
  series: z.array(
    z.object({
      group: z.string().meta({ description: 'Enrollments: the status; sign-ins: the outcome; gate refusals: refused.' }),
      key: z.string().meta({ description: "Enrollments: the classified cause; sign-ins and gate refusals: the refusal's catalogue id ('' for a success)." }),
      counts: z.array(z.number().int()).meta({ description: 'One count per bucket, in the order of buckets.' }),
      total: z.number().int(),
    }),
  ),
  total: z.number().int(),
});

export const alignmentStatsQuery = z.strictObject({ reports: wholeNumberParam(1, 50).default(10).meta({ description: 'How many of the last completed reports (1 to 50)' }) });

export const alignmentStatsAnswer = z.object({
  statuses: z.array(z.enum(ALIGNMENT_STATUSES)),
  reports: z
    .array(
      z.object({
        id: z.string(),
        created_at: isoTime,
        finished_at: isoTime.nullable(),
        total: z.number().int(),
        summary: z.record(z.enum(ALIGNMENT_STATUSES), z.number().int()),
      }),
    )
    .meta({ description: 'The last completed identity-alignment reports, oldest first.' }),
});
