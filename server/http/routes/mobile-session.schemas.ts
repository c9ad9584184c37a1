// Answers of the mobile client's own routes (session status, enrollment report) and of the sign-in.
import { z } from 'zod';
import { FAILURE_CAUSES } from '../../enrollment/classify-failure.ts';
import { mamErrorSchema } from '../answer-schemas.ts';

const effectiveState = z.enum(['not_required', 'pending', 'enrolled', 'declined', 'failed', 'android_unprotected']);

export const sessionStatusAnswer = z.object({
  session_id: z.string(),
  user_id: z.string(),
  expires_at: z.number().int().meta({ description: 'Milliseconds since the epoch.' }),
  mam: z.object({
    required: z.boolean(),
    state: effectiveState,
    allowed: z.boolean(),
    action: z.enum(['none', 'enroll', 'retry']),
    error_id: z.string().optional(),
    message: z.string().optional(),
    next_step: z.string().optional(),
  }),
});

const CAUSES = Object.keys(FAILURE_CAUSES) as [string, ...string[]];

export const enrollmentAnswer = z.object({
  event_id: z.string(),
  state: z.enum(['not_required', 'pending', 'enrolled', 'declined', 'failed']),
  action: z.enum(['continue', 'retry', 'remove_server']).meta({
    description: 'continue: use the session; retry: show the enrollment prompt again; remove_server: log out, remove, wipe.',
  }),
  wipe: z.boolean(),
  cause: z.enum(CAUSES),
  mam_error: mamErrorSchema.optional(),
  message: z.string().optional(),
  next_step: z.string().optional(),
  ended_sessions: z.number().int().optional(),
  treated_as: z.literal('declined').optional(),
  treated_as_reason: z.string().optional(),
});

/** The user as a chat server answers it to its owner (session-answer.ts sanitizedUser). */
export const signedInUser = z.object({
  id: z.string(),
  create_at: z.number().int(),
  update_at: z.number().int(),
  delete_at: z.number().int(),
  username: z.string(),
  auth_data: z.literal(''),
  auth_service: z.string(),
  email: z.string(),
  email_verified: z.literal(true),
  nickname: z.string(),
  first_name: z.string(),
  last_name: z.string(),
  position: z.string(),
  roles: z.string(),
  locale: z.string(),
  is_bot: z.boolean(),
});
