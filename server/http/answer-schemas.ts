// Schemas shared by the answers of several routes: the catalogue's error body and the time formats.
import { z } from 'zod';
import { catalogue } from '../errors/catalogue.ts';

const ERROR_IDS = Object.keys(catalogue) as [keyof typeof catalogue, ...(keyof typeof catalogue)[]];
const MAM_ERRORS = ['Forbidden', 'NotLicensed', 'MissingAuthAccountError', 'UserMismatch', 'EnrollmentDeclined', 'EnrollmentFailed'] as const;

export const errorIdSchema = z.enum(ERROR_IDS);
export const mamErrorSchema = z.enum(MAM_ERRORS);

/** An ISO 8601 time as JSON.stringify writes a Date (or the code's own toISOString). */
export const isoTime = z.iso.datetime({ offset: true });
/**
 * A database timestamp answered as it is read (a Date, written by JSON.stringify as an ISO 8601 string): the
 * document says string/date-time (see openapi/document.ts).
 */
export const storedTime = z.date();

/** AppError.toBody: every refusal and failure, with the status of its catalogue entry. */
export const appErrorBodySchema = z.object({
  id: errorIdSchema,
  message: z.string(),
  detailed_error: z.string(),
  request_id: z.string(),
  status_code: z.number().int(),
  mam_error: mamErrorSchema.optional(),
  next_step: z.string(),
  field: z.string().optional(),
  field_errors: z.array(z.object({ id: errorIdSchema, field: z.string(), message: z.string(), next_step: z.string() })).optional(),
});

/** A page of a list, newest first; `next_before` is the cursor of the next page, null on the last. */
export function pageOf<T extends z.ZodType>(item: T, cursor: z.ZodType = z.number().int()) {
  return z.object({ items: z.array(item), next_before: cursor.nullable() });
}
