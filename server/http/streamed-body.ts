import { Transform } from 'node:stream';
import type { Request } from 'express';
import { AppError } from '../errors/app-error.ts';

/** The request body as a stream that fails with the catalogue's body_too_large past `limitBytes`. */
export function limitedBody(req: Request, limitBytes: number): Transform {
  let size = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limitBytes) {
        done(new AppError('mamgate.request.body_too_large.app_error', { params: { Limit: `${Math.round(limitBytes / 1048576)} MB` } }));
        return;
      }
      done(null, chunk);
    },
  });
  req.on('error', (error) => limiter.destroy(error));
  return req.pipe(limiter);
}
