import type { NextFunction, Request, Response } from 'express';
import type { GateCheck, GateService } from '../enrollment/gate-service.ts';
import { AppError } from '../errors/app-error.ts';
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
