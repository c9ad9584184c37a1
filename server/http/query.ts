import type { Request } from 'express';
import { AppError } from '../errors/app-error.ts';

// Query parameters of the admin API. Express's "simple" query parser makes a repeated key an array
// (?action=a&action=b); no filter here combines values, so a repeated parameter is refused with the catalogue's
// 400 rather than read as absent (which silently dropped the filter and answered everything).

function invalid(name: string, problem: string): AppError {
  return new AppError('mamgate.request.invalid_query_param.app_error', { params: { Field: name, Problem: problem } });
}

/** The parameter's one value, undefined when absent; a repeated parameter is refused. */
export function singleQuery(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined || typeof raw === 'string') return raw;
  throw invalid(name, 'given once (a repeated parameter is not combined)');
}

/** An optional whole-number query parameter within bounds, or a catalogue error naming it. */
export function intQuery(req: Request, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const raw = singleQuery(req, name);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(name, `a whole number from ${min} to ${max}`);
  return value;
}

/** An optional free-text filter (at most 128 characters); empty is absent. */
export function textQuery(req: Request, name: string): string | undefined {
  return singleQuery(req, name)?.slice(0, 128) || undefined;
}

/** An optional query parameter that must be one of `allowed`; empty is absent. */
export function oneOfQuery<T extends string>(req: Request, name: string, allowed: readonly T[]): T | undefined {
  const value = singleQuery(req, name);
  if (value === undefined || value === '') return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(name, `one of ${allowed.join(', ')}`);
}
