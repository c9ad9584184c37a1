// The one place an error becomes an HTTP answer: status from the catalogue, AppError JSON body, the error's own
// headers (Retry-After…). Express routes and the plain node:http hot paths (gate, sign-in) all answer through it.
import type { ServerResponse } from 'node:http';
import type { Response } from 'express';
import type { AppError } from '../errors/app-error.ts';

export function writeAppError(res: ServerResponse, requestId: string, error: AppError, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(error.toBody(requestId));
  res.writeHead(error.status, {
    ...headers,
    ...error.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendAppError(res: Response, error: AppError): void {
  writeAppError(res, String(res.locals.requestId ?? ''), error);
}
