// JSON bodies: parsed with a size limit, refused with catalogue errors when malformed, too large or not JSON.
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../errors/app-error.ts';
import { carriesBody } from './plain-json-body.ts';

export const DEFAULT_BODY_LIMIT = '256kb';
export const DEFAULT_BODY_LIMIT_BYTES = 256 * 1024;

/** Parses application/json bodies for the routes after it; other content types are refused on methods with a body. */
export function jsonBody(limit = DEFAULT_BODY_LIMIT) {
  const parse = express.json({ limit, strict: false });
  return (req: Request, res: Response, next: NextFunction): void => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'DELETE';
    if (hasBody && carriesBody(req)) {
      if (!req.is('application/json')) {
        next(new AppError('mamgate.request.unsupported_media_type.app_error'));
        return;
      }
    }
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') {
        return next(new AppError('mamgate.request.body_too_large.app_error', { params: { Limit: limit } }));
      }
      if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
        return next(new AppError('mamgate.request.malformed_json.app_error', { detailed: type }));
      }
      next(error);
    });
  };
}
