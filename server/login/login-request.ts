import { z } from 'zod';
import { zodToAppError } from '../util/zod-error.ts';

// Mattermost's IntuneLoginRequest. The token must be a string; whether it is empty or too large (over
// MAX_TOKEN_LENGTH) is the token check's to say, with the token's own error (401 invalid_token), as Mattermost does.
export const loginRequestShape = z.object({
  access_token: z.string(),
  device_id: z.string().max(512).optional(),
  voip_device_id: z
    .string()
    .max(512)
    .regex(/^[\w:.-]*$/, 'only letters, digits and : . _ -')
    .optional(),
});

export type LoginRequest = z.infer<typeof loginRequestShape>;

export function parseLoginRequest(body: unknown): LoginRequest {
  const parsed = loginRequestShape.safeParse(body ?? {});
  if (!parsed.success) throw zodToAppError(parsed.error, 'mamgate.request.invalid_body_param.app_error');
  return parsed.data;
}
