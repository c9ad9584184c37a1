// Composes the HTTP surface: request context, routes, and the catalogue-driven error answer.
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../errors/app-error.ts';
import { toAppError } from '../errors/classify.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { ServiceContext } from '../context.ts';
import { requireAdmin } from './admin-auth.ts';
import { answerJsonAsTheChatServer, sendAppError } from './answer.ts';
import { jsonBody } from './json-body.ts';
import { requestContext } from './request-context.ts';
import { adminSettingsRoutes } from './routes/admin-settings.ts';
import { clientRoutes } from './routes/client.ts';
import type { GateService } from '../enrollment/gate-service.ts';
import { adminActivityRoutes } from './routes/admin-activity.ts';
import { adminHistoryRoutes } from './routes/admin-history.ts';
import { adminLdapRoutes } from './routes/admin-ldap.ts';
import { adminPagesRoutes } from './routes/admin-pages.ts';
import { adminPreflightRoutes } from './routes/admin-preflight.ts';
import { adminReportRoutes } from './routes/admin-reports.ts';
import { adminStatsRoutes } from './routes/admin-stats.ts';
import { adminTunnelRoutes } from './routes/admin-tunnel.ts';
import { adminUserImportRoutes } from './routes/admin-users.ts';
import { eventRoutes } from './routes/events.ts';
import { mobileSessionRoutes } from './routes/mobile-session.ts';
import type { CompanionGate } from '../enrollment/companion-gate.ts';
import { samlRoutes } from './routes/saml.ts';
import { opsRoutes } from './routes/ops.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { redactPath } from '../util/redact-path.ts';
import type { LoginRateLimit } from '../login/login-rate-limit.ts';

export const PLUGIN_BASE = '/plugins/mamgate';
export const API_BASE = `${PLUGIN_BASE}/api/v1`;

export interface AppOptions {
  metrics: Metrics;
  gate: GateService;
  /** Companion mode's gate, for the mobile client's own routes called with a chat-server session. */
  companion?: CompanionGate;
  trustProxy: string;
  sseHeartbeatMs: number;
  stopping: AbortSignal;
  /** Sign-in attempts per client address, shared by the mobile sign-in and the SAML ACS. */
  signInRateLimit: LoginRateLimit;
}

export function createApp(ctx: ServiceContext, options: AppOptions): express.Express {
  const { metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy);
  app.set('etag', false);
  answerJsonAsTheChatServer(app); // Content-Type exactly application/json, as the chat server answers
  app.set('query parser', 'simple');
  app.use(requestContext(ctx.log, metrics));
  app.use(opsRoutes(ctx.db, metrics, ctx.chatServer, ctx.graphRechecks), openApiRoutes());
  app.use(`${API_BASE}/admin`, adminUserImportRoutes(ctx, options.companion?.identities));
  app.use(`${PLUGIN_BASE}/saml`, samlRoutes(ctx, options.signInRateLimit, metrics.outcomes)); // form-encoded ACS: before the JSON body parser
  app.use(jsonBody());
  app.use(clientRoutes(options.gate.policies));
  app.use(API_BASE, mobileSessionRoutes(ctx, options.gate, options.companion), eventRoutes(ctx, options.gate, options.sseHeartbeatMs, options.stopping));
  app.use(`${API_BASE}/admin`, requireAdmin(ctx, options.companion?.identities), adminSettingsRoutes(ctx), adminActivityRoutes(ctx), adminReportRoutes(ctx), adminStatsRoutes(ctx), adminPreflightRoutes(ctx), adminTunnelRoutes(ctx), adminLdapRoutes(ctx), adminHistoryRoutes(ctx));

  app.use(`${PLUGIN_BASE}/admin`, adminPagesRoutes());

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new AppError('mamgate.request.not_found.app_error', { params: { Method: req.method, Path: redactPath(req.path) } }));
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      // Part of the answer is out (a download that failed, or whose client left): the connection ends without the
      // body's end, so the client cannot take what it got for the whole answer.
      if (!(res.destroyed && (error as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE')) {
        ctx.log.error({ request_id: res.locals.requestId, err: error }, 'request failed after its answer began');
      }
      res.destroy();
      return;
    }
    // The router's refusal of a path parameter that is not valid percent-encoding (URIError, status 400): such a
    // path names nothing on this server.
    const badPath = error instanceof URIError && (error as URIError & { status?: number }).status === 400;
    const appError = badPath
      ? new AppError('mamgate.request.not_found.app_error', { params: { Method: req.method, Path: redactPath(req.path) } })
      : toAppError(error);
    res.locals.errorId = appError.id;
    if (appError.status >= 500) {
      ctx.log.error(
        { request_id: res.locals.requestId, error_id: appError.id, err: appError.cause ?? appError },
        'request failed',
      );
    }
    sendAppError(res, appError);
  });
  return app;
}
