// Identity-alignment report routes: query parameters and answers.
import { z } from 'zod';
import { ALIGNMENT_STATUSES } from '../../identity/report/alignment-status.ts';
import { isoTime, storedTime } from '../answer-schemas.ts';
import { oneOfParam, textParam, wholeNumberParam } from '../query.ts';

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;

export const reportListQuery = z.object({ limit: wholeNumberParam(1, 200).default(20) });
export const reportPathParams = z.object({ id: z.string().meta({ description: 'The report run id.' }) });
export const reportRowsQuery = z.object({
  status: oneOfParam(ALIGNMENT_STATUSES, 'Only rows of this alignment status'),
  q: textParam('Username, email or user id contains this (case-insensitive)'),
  after: wholeNumberParam(0, Number.MAX_SAFE_INTEGER).optional().meta({ description: 'The next_after of the previous page.' }),
  limit: wholeNumberParam(1, 1000).default(100),
});
export const reportDownloadQuery = z.object({
  format: oneOfParam(EXPORT_FORMATS, 'csv (the default) or jsonl'),
  status: oneOfParam(ALIGNMENT_STATUSES, 'Only rows of this alignment status'),
});

export const reportRunAnswer = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']),
  total: z.number().int(),
  processed: z.number().int(),
  progress: z.number().min(0).max(1),
  summary: z.record(z.string(), z.number()),
  requested_by: z.string(),
  requested_by_name: z.string().nullable(),
  error: z.string().nullable(),
  created_at: isoTime,
  finished_at: isoTime.nullable(),
});

export const reportRunListAnswer = z.array(reportRunAnswer);

export const reportRowsAnswer = z.object({
  items: z.array(
    z.object({
      run_id: z.string(),
      seq: z.number().int(),
      user_id: z.string(),
      username: z.string(),
      email: z.string(),
      auth_service: z.string(),
      auth_data: z.string().nullable(),
      oauth_object_id: z.string().nullable(),
      oauth_seen_at: storedTime.nullable(),
      saml_object_id: z.string().nullable(),
      saml_seen_at: storedTime.nullable(),
      ldap_object_id: z.string().nullable(),
      ldap_seen_at: storedTime.nullable(),
      status: z.string(),
      error_id: z.string().nullable(),
      mam_error: z.string().nullable(),
      next_step: z.string(),
    }),
  ),
  next_after: z.number().int().nullable(),
});
