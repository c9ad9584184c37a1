import { z } from 'zod';
import { zodToAppError } from '../util/zod-error.ts';

// Mattermost's IntuneLoginRequest. Entra access tokens are a few KB; 16 KB leaves room and bounds the work.
const loginRequestShape = z.object({
  access_token: z.string().min(1, 'required').max(16384, 'longer than 16384 characters'),
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
