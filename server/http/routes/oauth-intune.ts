import { Router } from 'express';
import { type LoginDependencies, loginByIntune } from '../../login/login-by-intune.ts';
import { parseLoginRequest } from '../../login/login-request.ts';
import type { ServiceContext } from '../../runtime/context.ts';
import { sendNewSession } from '../session-answer.ts';

/** POST /oauth/intune: the Mattermost mobile client's Intune sign-in (no session needed). */
export function oauthIntuneRoutes(ctx: ServiceContext, deps: LoginDependencies): Router {
  const router = Router();
  router.post('/oauth/intune', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const request = parseLoginRequest(req.body);
    const actor = { name: 'anonymous', requestId: String(res.locals.requestId), clientIp: req.ip ?? 'unknown' };
    const result = await loginByIntune(ctx, deps, request, actor);
    sendNewSession(req, res, { token: result.token, expiresAt: result.session.expires_at, user: result.user });
  });
  return router;
}
