// The one HTTP entry of a node: every request arrives here and goes to the gate or the sign-in, the two hot paths
// answered on plain node:http (no routing, no middleware: about as costly as their own work), or to the Express
// app for everything else.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isGateRequest } from './gate-handler.ts';
import { isSignInRequest } from './sign-in-handler.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface EntryRoutes {
  gate: Handler;
  signIn: Handler;
  /** The Express app (a request listener). */
  app: Handler;
}

export function httpEntry(routes: EntryRoutes): RequestListener {
  return (req, res) => {
    if (isGateRequest(req.url)) routes.gate(req, res);
    else if (isSignInRequest(req)) routes.signIn(req, res);
    else routes.app(req, res);
  };
}
