// The SAML service provider: GET metadata, GET login (SP-initiated, HTTP-Redirect binding) and POST acs
// (HTTP-POST binding). Mounted at /plugins/mamgate/saml before the JSON body parser: the ACS parses its own
// form-encoded body with a size limit. Validation and effects live in server/identity/saml. No URL here is built
// from the request: the ACS URL is SamlSettings.AssertionConsumerServiceURL.
import type { z } from 'zod';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { AppError } from '../../errors/app-error.ts';
import { toAppError } from '../../errors/classify.ts';
import { acceptSamlResponse, type SamlSignIn, samlMetadata, startSamlLogin } from '../../identity/saml/saml-sign-in.ts';
import type { ServiceContext } from '../../context.ts';
import type { LoginRateLimit } from '../../login/login-rate-limit.ts';
import type { OutcomeMetrics } from '../../observability/outcome-metrics.ts';
import { sendAnswer } from '../typed-answer.ts';
import { samlAcsForm, samlSignedInAnswer } from './saml.schemas.ts';

export const SAML_ACS_BODY_LIMIT = '256kb';

/** Form-encoded bodies only, at most SAML_ACS_BODY_LIMIT, refused with catalogue errors otherwise. */
function formBody() {
  const parse = express.urlencoded({ extended: false, limit: SAML_ACS_BODY_LIMIT, parameterLimit: 20 });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.is('application/x-www-form-urlencoded')) {
      const type = (req.get('content-type') ?? '').slice(0, 64) || 'no content type';
      next(new AppError('mamgate.saml.unsupported_media_type.app_error', { params: { ContentType: type } }));
      return;
    }
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        return next(new AppError('mamgate.request.body_too_large.app_error', { params: { Limit: SAML_ACS_BODY_LIMIT } }));
      }
      if (type === 'parameters.too.many' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
        return next(
          new AppError('mamgate.request.invalid_body_param.app_error', { params: { Field: 'SAMLResponse', Problem: type } }),
        );
      }
      next(error);
    });
  };
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function sendPage(res: Response, status: number, title: string, lines: string[]): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.send(
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
      '<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}</style></head>' +
      `<body><h1>${escapeHtml(title)}</h1>${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</body></html>\n`,
  );
}

function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

function signedInBody(result: SamlSignIn): z.output<typeof samlSignedInAnswer> {
  return {
    user_id: result.user.id,
    username: result.user.username,
    email: result.user.email,
    auth_service: result.user.auth_service,
    tenant_id: result.identity.tenantId,
    object_id: result.identity.objectId,
    solicited: result.identity.inResponseTo !== null,
    user_created: result.created,
    user_updated: result.updated,
  };
}

export function samlRoutes(ctx: ServiceContext, rateLimit: LoginRateLimit, outcomes: OutcomeMetrics): Router {
  const router = Router();

  router.get('/metadata', async (_req, res) => {
    const xml = await samlMetadata(ctx);
    res.setHeader('Content-Type', 'application/samlmetadata+xml; charset=utf-8');
    res.send(xml);
  });

  router.get('/login', async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, await startSamlLogin(ctx));
  });

  // Counted once answered, whichever path answered it (a refused body, the HTML page, the common error answer).
  const countSignIn = (_req: Request, res: Response, next: NextFunction): void => {
    res.on('finish', () => {
      const errorId = res.locals.errorId;
      outcomes.signIn('saml', typeof errorId === 'string' ? errorId : res.statusCode < 400 ? 'success' : 'unknown');
    });
    next();
  };

  router.post('/acs', countSignIn, formBody(), async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const actor = { name: 'anonymous', requestId: String(res.locals.requestId) };
    try {
      const form = samlAcsForm.safeParse(req.body ?? {});
      if (!form.success) {
        throw new AppError('mamgate.request.invalid_body_param.app_error', { params: { Field: 'SAMLResponse', Problem: 'missing' } });
      }
      const samlResponse = form.data.SAMLResponse;
      const result = await acceptSamlResponse(ctx, { samlResponse, clientIp: req.ip ?? '' }, actor, rateLimit);
      if (wantsJson(req)) {
        sendAnswer(res, samlSignedInAnswer, signedInBody(result));
        return;
      }
      const { user, identity } = result;
      sendPage(res, 200, 'Signed in with SAML', [
        `Signed in as ${user.username} (${user.email}).`,
        `Entra objectId ${identity.objectId} of tenant ${identity.tenantId} was recorded for this account.`,
        result.created ? 'A SAML account was created.' : result.updated.length ? `Updated: ${result.updated.join(', ')}.` : '',
      ].filter(Boolean));
    } catch (error) {
      const appError = toAppError(error);
      // JSON clients and server-side failures take the common error path (logged, AppError JSON).
      if (wantsJson(req) || appError.status >= 500) throw error;
      res.locals.errorId = appError.id;
      sendPage(res, appError.status, 'SAML sign-in refused', [
        appError.message,
        appError.toBody(String(res.locals.requestId)).next_step,
        `Error ${appError.id}, request ${String(res.locals.requestId)}.`,
      ]);
    }
  });

  return router;
}
