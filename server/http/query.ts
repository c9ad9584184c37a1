import type { Request } from 'express';
import { AppError } from '../errors/app-error.ts';

/** An optional whole-number query parameter within bounds, or a catalogue error naming it. */
export function intQuery(req: Request, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AppError('mamgate.request.invalid_query_param.app_error', {
      params: { Field: name, Problem: `a whole number from ${min} to ${max}` },
    });
  }
  return value;
}
