import type { z } from 'zod';
import { AppError, type FieldError } from '../errors/app-error.ts';
import type { ErrorId } from '../errors/catalogue.ts';

/** One field error per zod issue, naming the field by its dotted path and the problem in plain words. */
export function zodToAppError(error: z.ZodError, id: ErrorId): AppError {
  const fieldErrors: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = base ? `${base}.${key}` : key;
        fieldErrors.push({ id, field, params: { Field: field, Problem: 'unknown setting' } });
      }
      continue;
    }
    const field = base || '(body)';
    fieldErrors.push({ id, field, params: { Field: field, Problem: issue.message } });
  }
  return AppError.fromFieldErrors(fieldErrors);
}
