// POST /oauth/intune — the Mattermost mobile client's Intune sign-in. Like the gate it answers on plain node:http
// ahead of Express: it is the other hot path, and Express's routing and body parsing cost about as much as the
// token check. Same answers as an Express route would give: catalogue AppErrors, X-Request-Id, the request log
// line and the HTTP metrics; client address and scheme through the same "trust proxy" rule as the Express app.
import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { AppError } from '../errors/app-error.ts';
import { toAppError } from '../errors/classify.ts';
import { type LoginDependencies, loginByIntune } from '../login/login-by-intune.ts';
import { parseLoginRequest } from '../login/login-request.ts';
import type { ServiceContext } from '../context.ts';
import type { Metrics } from '../observability/metrics.ts';
import { writeAppError } from './answer.ts';
import { DEFAULT_BODY_LIMIT, DEFAULT_BODY_LIMIT_BYTES } from './json-body.ts';
import { readJsonBody } from './plain-json-body.ts';
import { recordAnswer, requestIdFor } from './request-context.ts';
import { sendNewSession } from './session-answer.ts';

export const SIGN_IN_PATH = '/oauth/intune';

/** POST /oauth/intune (with or without a query); other methods go to Express, which answers not_found. */
export function isSignInRequest(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.url?.startsWith(SIGN_IN_PATH)) return false;
  const rest = req.url.charCodeAt(SIGN_IN_PATH.length);
  return Number.isNaN(rest) || rest === 63 /* ? */;
}

type TrustProxy = (address: string, hop: number) => boolean;

/** Express's req.protocol === 'https', with the same trust rule. */
function isSecure(req: IncomingMessage, trust: TrustProxy): boolean {
  const direct = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  if (!trust(req.socket.remoteAddress ?? '', 0)) return direct === 'https';
  const header = req.headers['x-forwarded-proto'];
  const first = (typeof header === 'string' && header ? header : direct).split(',')[0]!.trim();
  return first === 'https';
}

export function createSignInHandler(ctx: ServiceContext, deps: LoginDependencies, metrics: Metrics, trust: TrustProxy) {
  function sendError(res: ServerResponse, requestId: string, error: AppError): void {
    if (error.status >= 500) ctx.log.error({ request_id: requestId, error_id: error.id, err: error.cause ?? error }, 'request failed');
    writeAppError(res, requestId, error);
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFor(req.headers['x-request-id']);
    let errorId: string | undefined;
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('Cache-Control', 'no-store');
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      recordAnswer(ctx.log, metrics, { requestId, method: 'POST', route: SIGN_IN_PATH, path: SIGN_IN_PATH, status: res.statusCode, seconds, errorId });
      metrics.outcomes.signIn('intune', errorId ?? 'success');
    });
    readJsonBody(req, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_BODY_LIMIT)
      .then((body) => {
        const request = parseLoginRequest(body);
        const clientIp = proxyaddr(req, trust);
        return loginByIntune(ctx, deps, request, { name: 'anonymous', requestId, clientIp, userAgent: req.headers['user-agent'] });
      })
      .then(
        (result) => sendNewSession(res, isSecure(req, trust), { token: result.token, expiresAt: result.session.expires_at, user: result.user }),
        (error: unknown) => {
          const appError = toAppError(error);
          errorId = appError.id;
          sendError(res, requestId, appError);
        },
      );
  };
}
