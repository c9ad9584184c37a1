// The one place an error becomes an HTTP answer: status from the catalogue, AppError JSON body.
import type { Response } from 'express';
import type { AppError } from '../errors/app-error.ts';

export function sendAppError(res: Response, error: AppError): void {
  const requestId = String(res.locals.requestId ?? '');
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).json(error.toBody(requestId));
}
