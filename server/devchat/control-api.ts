// The development control API under /dev/ (no authentication; answered to loopback clients only): users,
// sessions, configuration, license, failure modes, counters and the bulk export. Errors are
// {"error","error_description"} like the dev-idp's admin endpoints, never Mattermost AppErrors: this part is not
// Mattermost's.
import { z } from 'zod';
import type { JsonObject } from './chat-config.ts';
import type { LicenseInput } from './chat-license.ts';
import type { ChatMode } from './mode-gate.ts';
import type { NewSession, NewUser } from './store.ts';

export const newUserSchema = z.strictObject({
  username: z.string().min(1).max(64),
  email: z.string().min(3).max(128),
  auth_service: z.string().max(32).optional(),
  auth_data: z.string().max(128).nullable().optional(),
  first_name: z.string().max(64).optional(),
  last_name: z.string().max(64).optional(),
  nickname: z.string().max(64).optional(),
  position: z.string().max(128).optional(),
  roles: z.string().max(256).optional(),
  locale: z.string().max(5).optional(),
  is_bot: z.boolean().optional(),
  delete_at: z.number().int().min(0).optional(),
  props: z.record(z.string(), z.string()).optional(),
}) satisfies z.ZodType<NewUser>;

/** Session props are a StringMap in Mattermost; booleans and numbers are written as their strings. */
const propsSchema = z
  .record(z.string(), z.union([z.string(), z.boolean(), z.number()]))
  .transform((props) => Object.fromEntries(Object.entries(props).map(([key, value]) => [key, String(value)])));

export const newSessionSchema = z.strictObject({
  user_id: z.string().min(1),
  token: z.string().min(1).max(50).optional(),
  device_id: z.string().max(512).optional(),
  props: propsSchema.optional(),
  expires_at: z.number().int().optional(),
  is_oauth: z.boolean().optional(),
}) satisfies z.ZodType<NewSession, unknown>;

export const configPatchSchema = z.record(z.string(), z.json()).transform((value) => value as JsonObject);

export const licenseSchema = z.discriminatedUnion('IsLicensed', [
  z.strictObject({ IsLicensed: z.literal(false) }),
  z.strictObject({
    IsLicensed: z.literal(true),
    Id: z.string().optional(),
    IssuedAt: z.number().int().optional(),
    StartsAt: z.number().int().optional(),
    ExpiresAt: z.number().int().optional(),
    SkuName: z.string().optional(),
    SkuShortName: z.string().optional(),
    IsTrial: z.boolean().optional(),
    IsGovSku: z.boolean().optional(),
    Customer: z.strictObject({ Name: z.string().optional(), Email: z.string().optional(), Company: z.string().optional() }).optional(),
    Features: z.record(z.string(), z.union([z.boolean(), z.number()])).optional(),
  }),
]) satisfies z.ZodType<LicenseInput>;

export const modeSchema = z.strictObject({
  mode: z.enum(['up', 'down', 'hang', 'slow'] satisfies ChatMode[]),
  delayMs: z.number().int().min(0).max(600_000).optional(),
});

export class ControlProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseWith<T>(schema: z.ZodType<T, unknown>, text: string): T {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ControlProblem(400, 'the body is not JSON');
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ControlProblem(400, `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || plain.startsWith('127.');
}
