import type { NextFunction, Request, Response } from 'express';
import type { GateCheck, GateService } from '../enrollment/gate-service.ts';
import { AppError } from '../errors/app-error.ts';
import { csrfHolds } from '../sessions/csrf-proof.ts';
import { sessionLive } from '../sessions/session-snapshot.ts';
import { sessionTokenFrom } from '../sessions/session-token.ts';

/** Routes a mobile client calls with its session (live, enrolled or not): the session lands in res.locals. */
export function requireSession(gate: GateService) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = sessionTokenFrom(req.headers);
    const check = await gate.check(token, Date.now(), req.headers['user-agent']);
    const failed = check.session?.state === 'failed';
    if (!sessionLive(check.session, Date.now())) {
      throw new AppError(failed ? 'ent.intune.enrollment.failed.app_error' : 'api.context.session_expired.app_error');
    }
    res.locals.gate = check;
    res.locals.sessionToken = token;
    next();
  };
}

export function gateCheckOf(res: Response): GateCheck {
  return res.locals.gate as GateCheck;
}

/**
 * A mobile route's write carried by the MMAUTHTOKEN cookie needs the chat server's CSRF proof (sessions/csrf-proof.ts),
 * checked before anything is read or changed: a failed report from another site would end the user's sessions.
 */
export function requireCsrfProof() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!csrfHolds(req.method, req.headers, 'either')) throw new AppError('mamgate.session.csrf_failed.app_error');
    next();
  };
}
