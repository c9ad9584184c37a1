// What the settings diff and admin-token routes take and answer, for the routes and the OpenAPI document.
import { z } from 'zod';
import { wholeNumberParam } from '../query.ts';

export const settingsVersionParams = z.object({ version: wholeNumberParam(1, 2_147_483_647) });
export const settingsDiffQuery = z.strictObject({ against: wholeNumberParam(0, 2_147_483_647).optional() });
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
