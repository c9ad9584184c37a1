// GET …/admin/preflight: the answer.
import { z } from 'zod';
import { isoTime } from '../answer-schemas.ts';

const state = z.enum(['pass', 'warn', 'fail']);

export const preflightAnswer = z.object({
  ran_at: isoTime,
  summary: z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int() }),
  checks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      state,
      evidence: z.string(),
      next_step: z.string(),
      error_id: z.string().optional(),
    }),
  ),
});
