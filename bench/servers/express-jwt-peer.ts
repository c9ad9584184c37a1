// Peer stack: Express 5 + express-jwt 8 + jwks-rsa 4 protecting a route the usual way, verifying the bearer RS256
// token on every request. Keys come from the dev issuer's JWKS over HTTP with jwks-rsa's cache on. Issuer and
// audience are checked as a careful deployment would.
//   JWKS_URI, JWT_ISSUER, JWT_AUDIENCE
import http from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { expressjwt, type Request as JwtRequest } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import { listen } from './listen.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(
  expressjwt({
    secret: jwksRsa.expressJwtSecret({ jwksUri: required('JWKS_URI'), cache: true, rateLimit: true, jwksRequestsPerMinute: 10 }),
    algorithms: ['RS256'],
    issuer: required('JWT_ISSUER'),
    audience: required('JWT_AUDIENCE'),
  }),
);
app.get('/protected', (req: JwtRequest, res: Response) => {
  res.json({ oid: req.auth?.oid });
});
app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
  res.status(error.status ?? 500).json({ error: error.name });
});
listen(http.createServer(app), 'express-jwt peer');
