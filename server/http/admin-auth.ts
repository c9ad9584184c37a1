import type { NextFunction, Request, Response } from 'express';
import { authenticateConsoleAdmin } from '../admin/console-admin.ts';
import { ADMIN_TOKEN_PREFIX, authenticateAdmin } from '../admin/tokens.ts';
import { adminTokenActor } from '../audit/actor-names.ts';
import type { TokenIdentities } from '../chatserver/token-identities.ts';
import type { Actor, ServiceContext } from '../context.ts';

export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Admin routes need Authorization: Bearer <admin token>, or (companion mode) a system admin's chat-server session,
 * such as the System Console's; the admin becomes the request's actor.
 */
export function requireAdmin(ctx: ServiceContext, identities?: TokenIdentities) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const bearer = bearerToken(req);
    let name: string;
    if (identities && ctx.chatServer?.companion && !bearer?.startsWith(ADMIN_TOKEN_PREFIX)) {
      name = await authenticateConsoleAdmin(identities, req.method, req.headers);
    } else {
      name = adminTokenActor((await authenticateAdmin(ctx.db, bearer)).tokenId);
    }
    res.locals.actor = { name, requestId: res.locals.requestId } satisfies Actor;
    next();
  };
}

export function actorOf(res: Response): Actor {
  return res.locals.actor as Actor;
}
