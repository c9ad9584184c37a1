// Query parameters and path parameters of the newer admin routes, validated with one zod schema per route. A bad
// value is the catalogue's 400 naming the parameter; a repeated parameter (Express makes it an array) is refused
// by the schema's string type, so a filter is never silently dropped.
import type { Request } from 'express';
import { z } from 'zod';
import { zodToAppError } from '../util/zod-error.ts';

/** The parsed query of `req`, or the catalogue's invalid_query_param error (one field error per problem). */
export function parseQuery<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const result = schema.safeParse({ ...req.query });
  if (!result.success) throw zodToAppError(result.error, 'mamgate.request.invalid_query_param.app_error');
  return result.data;
}

/** The parsed path parameters of `req`, or the catalogue's invalid_query_param error naming the parameter. */
export function parseParams<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const result = schema.safeParse({ ...req.params });
  if (!result.success) throw zodToAppError(result.error, 'mamgate.request.invalid_query_param.app_error');
  return result.data;
}

/** Building blocks: empty text is absent, numbers come as decimal text. */
export const optionalText = (max = 128) =>
  z
    .string({ error: 'given once, as text' })
    .max(max, { error: `at most ${max} characters` })
    .optional()
    .transform((v) => (v === '' ? undefined : v));

export const wholeNumber = (min: number, max: number) =>
  z
    .string({ error: `given once, a whole number from ${min} to ${max}` })
    .regex(/^\d+$/, { error: `a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `a whole number from ${min} to ${max}` }).max(max, { error: `a whole number from ${min} to ${max}` }));

/** An ISO-8601 time with a zone (Z or ±hh:mm), as a Date. */
export const isoTime = z
  .string({ error: 'given once, an ISO-8601 time' })
  .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), {
    error: 'an ISO-8601 time with a zone, e.g. 2026-12-07T09:00:00Z',
  })
  .transform((v) => new Date(v));

/** A chat-server user id: 26 lower-case letters and digits in Mattermost; here any id-like text up to 64. */
export const userIdParam = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, { error: 'a user id (letters, digits, . _ - @; at most 64)' }),
});
