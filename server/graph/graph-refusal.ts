// A Graph error answer ({"error":{"code","message","innerError":{"request-id","date"}}}) as a catalogue error.
// The detail names the Graph code and request id (what Microsoft support asks for); it never holds the token,
// which only ever travels in the request header.
import { AppError } from '../errors/app-error.ts';
import { parseJson } from '../util/capped-fetch.ts';

export interface GraphErrorBody {
  code?: string;
  message?: string;
  requestId?: string;
}

const MAX_MESSAGE = 300;

export function graphErrorOf(text: string): GraphErrorBody {
  const body = parseJson(text) as { error?: { code?: unknown; message?: unknown; innerError?: Record<string, unknown> } } | undefined;
  const error = body?.error;
  if (typeof error !== 'object' || error === null) return {};
  const inner = error.innerError ?? {};
  const requestId = inner['request-id'] ?? inner.requestId;
  return {
    code: typeof error.code === 'string' ? error.code : undefined,
    message: typeof error.message === 'string' ? error.message.slice(0, MAX_MESSAGE) : undefined,
    requestId: typeof requestId === 'string' ? requestId : undefined,
  };
}

export function describeGraphError(status: number, error: GraphErrorBody): string {
  const parts = [`HTTP ${status}`];
  if (error.code) parts.push(error.code);
  if (error.message) parts.push(`"${error.message}"`);
  if (error.requestId) parts.push(`request-id ${error.requestId}`);
  return parts.join(' ');
}

/** A final (not retried) refusal: 401 after a fresh token, 403, and the other 4xx. */
export function graphRefusal(status: number, text: string, operation: string): AppError {
  const error = graphErrorOf(text);
  const detailed = `${operation}: ${describeGraphError(status, error)}`;
  if (status === 401) return new AppError('mamgate.graph.unauthorized.app_error', { params: { Operation: operation }, detailed });
  if (status === 403) return new AppError('mamgate.graph.forbidden.app_error', { params: { Operation: operation }, detailed });
  return new AppError('mamgate.graph.request_failed.app_error', { params: { Operation: operation, Status: status }, detailed });
}

export function graphUnavailable(operation: string, reason: string): AppError {
  return new AppError('mamgate.graph.unavailable.app_error', { params: { Operation: operation, Reason: reason }, detailed: `${operation}: ${reason}` });
}

export function graphInvalidResponse(operation: string, reason: string): AppError {
  return new AppError('mamgate.graph.invalid_response.app_error', { params: { Operation: operation, Reason: reason }, detailed: `${operation}: ${reason}` });
}
