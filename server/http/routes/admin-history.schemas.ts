// What the user page, settings diff and admin-token routes take and answer, for the routes and the OpenAPI document.
import { z } from 'zod';
import { wholeNumber } from '../zod-query.ts';

export const settingsVersionParams = z.object({ version: wholeNumber(1, 2_147_483_647) });
export const settingsDiffQuery = z.strictObject({ against: wholeNumber(0, 2_147_483_647).optional() });
export const adminTokenParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'an admin token id as listed' }) });

export const settingsDiffAnswer = z.object({
  version: z.number().int(),
  saved_by: z.string(),
  saved_at: z.string(),
  against: z.number().int(),
  changes: z.array(z.object({ key: z.string(), before: z.unknown(), after: z.unknown(), secret: z.boolean() })),
});

const adminToken = z.object({
  id: z.string(),
  name: z.string(),
  created_by: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export const adminTokenListAnswer = z.object({ items: z.array(adminToken) });
export const adminTokenRevokedAnswer = z.object({ id: z.string(), revoked: z.literal(true) });

export const userDetailAnswer = z.object({
  user: z.object({
    id: z.string(),
    username: z.string().nullable(),
    email: z.string().nullable(),
    first_name: z.string(),
    last_name: z.string(),
    auth_service: z.string().nullable(),
    auth_data: z.string().nullable(),
    deleted_at: z.string().nullable(),
    known_account: z.boolean(),
  }),
  sessions: z.array(
    z.object({
      id: z.string(),
      device_id: z.string().nullable(),
      is_mobile: z.boolean(),
      auth_service: z.string(),
      mam_state: z.string(),
      created_at: z.string(),
      expires_at: z.string(),
      revoked_at: z.string().nullable(),
      revoked_reason: z.string().nullable(),
      live: z.boolean(),
    }),
  ),
  live_sessions: z.number().int(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
  enrollments: z.array(z.record(z.string(), z.unknown())),
  identities: z.array(
    z.object({
      source: z.string(),
      tenant_id: z.string(),
      object_id: z.string().nullable(),
      raw_value: z.string().nullable(),
      attribute: z.string(),
      seen_at: z.string(),
    }),
  ),
  activity: z.array(z.record(z.string(), z.unknown())),
});
