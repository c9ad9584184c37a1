// One chat-server account as imported, with Mattermost's user field names.
import { z } from 'zod';

const flag = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])]).transform((v) => v === true || v === 'true' || v === '1');
const millis = z.union([z.number().int().nonnegative(), z.string().regex(/^\d*$/, 'milliseconds since the epoch')]).transform((v) => Number(v || 0));
const text = (max: number) => z.string().max(max);

export const userRecordShape = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (at most 64)'),
  username: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'a username of letters, digits, . _ - (at most 64)'),
  email: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'an email address').max(320),
  auth_service: text(64).optional().default(''),
  auth_data: text(256).optional().default(''),
  first_name: text(256).optional().default(''),
  last_name: text(256).optional().default(''),
  is_bot: flag.optional().default(false),
  delete_at: millis.optional().default(0),
});

export type UserRecord = z.output<typeof userRecordShape>;

export function describeProblems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
}
