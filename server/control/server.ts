// The local control channel: HTTP over a Unix socket in the data directory. No admin token is asked for: the
// directory's permissions already limit it to the service's own OS user.
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import { toAppError } from '../errors/classify.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { newRequestId } from '../http/request-context.ts';
import { runOperation } from './operations.ts';
import { controlSocketPath } from './socket-path.ts';
import { probeControlSocket } from './client.ts';
import { AppError } from '../errors/app-error.ts';
import { BodyTooLargeError, readCappedText } from '../http/plain/capped-body.ts';
import { sendJson } from '../http/plain/send-json.ts';

const MAX_BODY = 1024 * 1024;

async function readJson(req: http.IncomingMessage): Promise<{ args?: Record<string, unknown>; actor?: string }> {
  let text: string;
  try {
    text = await readCappedText(req, MAX_BODY);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new AppError('mamgate.request.body_too_large.app_error', { params: { Limit: '1mb' } });
    throw error;
  }
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw new AppError('mamgate.request.malformed_json.app_error');
  }
}

/** Refuses to go on when a service already answers on this data directory's control socket. */
export async function assertNoServiceRunning(dataDir: string): Promise<void> {
  if (await probeControlSocket(controlSocketPath(dataDir))) {
    throw new AppError('mamgate.service.already_running.app_error', { params: { DataDir: dataDir } });
  }
}

export async function startControlServer(ctx: ServiceContext, dataDir: string): Promise<http.Server> {
  await assertNoServiceRunning(dataDir);
  const socketPath = controlSocketPath(dataDir);
  if (existsSync(socketPath)) unlinkSync(socketPath); // left behind by a service that did not stop cleanly
  const server = http.createServer(async (req, res) => {
    const requestId = newRequestId();
    try {
      const match = /^\/op\/([\w.]+)$/.exec(req.url ?? '');
      if (req.method === 'GET' && req.url === '/ping') {
        sendJson(res, 200, { ok: true });
        return;
      }
      if (req.method !== 'POST' || !match) {
        throw new AppError('mamgate.request.not_found.app_error', { params: { Method: req.method ?? '', Path: req.url ?? '' } });
      }
      const body = await readJson(req);
      const actor: Actor = { name: `cli:${String(body.actor ?? 'local').slice(0, 64)}`, requestId };
      const result = await runOperation(ctx, match[1]!, body.args ?? {}, actor);
      sendJson(res, 200, { result });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.status >= 500) ctx.log.error({ request_id: requestId, err: appError.cause ?? appError }, 'control request failed');
      sendJson(res, appError.status, { error: appError.toBody(requestId) });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  chmodSync(socketPath, 0o600);
  return server;
}
