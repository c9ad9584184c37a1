// Where a chat client puts its session token: Authorization: Bearer, the Token header, or the MMAUTHTOKEN cookie
// (the same places a chat server looks).
import type { IncomingHttpHeaders } from 'node:http';
import { cookieNamed } from '../util/cookies.ts';

const BEARER = /^(?:Bearer|Token)\s+(\S+)\s*$/i;

export function sessionTokenFrom(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = BEARER.exec(authorization);
    if (match) return match[1];
  }
  const token = headers.token;
  if (typeof token === 'string' && token) return token.trim();
  return cookieNamed(headers.cookie, 'MMAUTHTOKEN'); // a malformed cookie is no token
}

/** mamgate's own mobile sessions (standalone sign-in) carry this prefix; the chat server's tokens never do. */
export const SESSION_TOKEN_PREFIX = 'mgs_';

export function isOwnSessionToken(token: string | undefined): boolean {
  return token?.startsWith(SESSION_TOKEN_PREFIX) === true;
}
