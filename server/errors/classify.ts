import { AppError } from './app-error.ts';

// PostgreSQL connection-class and shutdown codes, and the node socket errors a lost database shows.
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006']);

function looksLikeDatabaseOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return /Timeout acquiring a connection|Connection terminated|connection is closed|Client has encountered a connection error/i.test(
    error.message,
  );
}

/**
 * PostgreSQL refusing text the client sent: 22021 (a NUL, or bytes not valid in the encoding) and 22P05 (a
 * character the encoding cannot hold). The request is at fault, not the server.
 */
const INVALID_TEXT_CODES = new Set(['22021', '22P05']);

/** Every error as an AppError: catalogue errors as they are, a lost database as 503, bad text as 400, the rest as 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && INVALID_TEXT_CODES.has(code)) {
    return new AppError('mamgate.request.invalid_text.app_error', { cause: error });
  }
  if (looksLikeDatabaseOutage(error)) {
    return new AppError('mamgate.database.unavailable.app_error', { cause: error, headers: { 'Retry-After': '5' } });
  }
  return new AppError('mamgate.internal.app_error', { cause: error });
}
