import type { NextFunction, Request, Response } from 'express';
import { authenticateAdmin } from '../admin/tokens.ts';
import type { Database } from '../db/connect.ts';
import type { Actor } from '../runtime/context.ts';

export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** Admin routes need Authorization: Bearer <admin token>; the admin becomes the request's actor. */
export function requireAdmin(db: Database) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const admin = await authenticateAdmin(db, bearerToken(req));
    res.locals.actor = { name: `admin-token:${admin.tokenId}`, requestId: res.locals.requestId } satisfies Actor;
    next();
  };
}

export function actorOf(res: Response): Actor {
  return res.locals.actor as Actor;
}
