import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from '../errors/app-error.ts';

// Query parameters of the admin API, declared as zod objects: the route parses with the object, and the OpenAPI
// document describes the parameters from the same object. Express's "simple" query parser makes a repeated key an
// array (?action=a&action=b); no filter here combines values, so a repeated parameter is refused with the
// catalogue's 400 rather than read as absent (which silently dropped the filter and answered everything).

function invalid(name: string, problem: string): AppError {
  return new AppError('mamgate.request.invalid_query_param.app_error', { field: name, params: { Field: name, Problem: problem } });
}

/** A whole number within bounds (given as digits only); `fallback` when absent. */
export function wholeNumberParam(min: number, max: number) {
  const problem = `a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, problem)
    .transform(Number)
    .pipe(z.number().int(problem).min(min, problem).max(max, problem))
    .meta({ description: problem });
}

/** A free-text filter: at most 128 characters are read; empty is absent. */
export function textParam(description: string) {
  return z
    .string()
    .transform((value) => value.slice(0, 128) || undefined)
    .optional()
    .meta({ description: `${description} (at most 128 characters are read; empty is absent)` });
}

/** One of `allowed`; empty is absent. */
export function oneOfParam<const T extends readonly [string, ...string[]]>(allowed: T, description: string) {
  const problem = `one of ${allowed.join(', ')}`;
  return z
    .enum(['', ...allowed] as [string, ...string[]], { error: problem })
    .transform((value) => (value === '' ? undefined : (value as T[number])))
    .optional()
    .meta({ description: `${description} (empty is absent)` });
}

/** An ISO-8601 time with a zone (Z or ±hh:mm), as a Date; empty is absent. */
export function isoTimeParam(description: string) {
  const problem = 'an ISO-8601 time with a zone, e.g. 2026-12-07T09:00:00Z';
  return z
    .string()
    .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), problem)
    .transform((v) => new Date(v))
    .optional()
    .meta({ description: `${description} (${problem})` });
}

/** The first problem zod found, as the catalogue's invalid_query_param naming the parameter. */
function firstProblem(error: z.ZodError): AppError {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') return invalid(issue.keys[0]!, 'not a parameter of this route');
  return invalid(String(issue.path[0] ?? '(query)'), issue.message);
}

/**
 * The route's query parameters read by `shape`: a repeated one is refused, a wrong one is the catalogue's
 * invalid_query_param naming it (the first in the shape's order). Parameters the shape does not name are ignored,
 * unless the shape is strict (z.strictObject), which refuses them.
 */
export function parseQuery<S extends z.ZodObject>(req: Request, shape: S): z.output<S> {
  const given: Record<string, unknown> = { ...req.query };
  for (const name of Object.keys(shape.shape)) {
    const value = given[name];
    if (value !== undefined && typeof value !== 'string') throw invalid(name, 'given once (a repeated parameter is not combined)');
  }
  const parsed = shape.safeParse(given);
  if (parsed.success) return parsed.data;
  throw firstProblem(parsed.error);
}

/** The route's path parameters read by `shape`, or the catalogue's invalid_query_param naming the parameter. */
export function parseParams<S extends z.ZodObject>(req: Request, shape: S): z.output<S> {
  const parsed = shape.safeParse({ ...req.params });
  if (parsed.success) return parsed.data;
  throw firstProblem(parsed.error);
}
