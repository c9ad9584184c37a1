// A write carried by the MMAUTHTOKEN session cookie must prove it comes from the chat server's own web app: another
// site can make a browser send the cookie, but cannot read the MMCSRF cookie to copy it into X-CSRF-Token, nor add
// X-Requested-With to a cross-site request without a CORS preflight. A token in Authorization or Token is never
// sent by a browser on its own, so it needs no proof. Next to session-token.ts because it asks the same question:
// where did the session token come from. Used by the mobile routes and the System Console admin session.
import { cookieNamed } from '../util/cookies.ts';
import type { IncomingHttpHeaders } from 'node:http';
import { sessionTokenFrom } from './session-token.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * either: the chat server's rule (ExperimentalStrictCSRFEnforcement off): the CSRF token or X-Requested-With.
 * both: the System Console admin session, which changes settings: X-Requested-With and the CSRF token.
 */
export type CsrfStrictness = 'either' | 'both';

/** Whether the session token is the cookie's: no token in Authorization or Token, and a session cookie. */
function carriedByCookie(headers: IncomingHttpHeaders): boolean {
  if (sessionTokenFrom({ authorization: headers.authorization, token: headers.token }) !== undefined) return false;
  return sessionTokenFrom({ cookie: headers.cookie }) !== undefined;
}

export function csrfHolds(method: string, headers: IncomingHttpHeaders, strictness: CsrfStrictness): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (!carriedByCookie(headers)) return true;
  const expected = cookieNamed(headers.cookie, 'MMCSRF'); // a malformed value proves nothing
  const tokenMatches = !!expected && headers['x-csrf-token'] === expected;
  const xhr = headers['x-requested-with'] === 'XMLHttpRequest';
  return strictness === 'both' ? tokenMatches && xhr : tokenMatches || xhr;
}
