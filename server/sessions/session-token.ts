// Where a chat client puts its session token: Authorization: Bearer, the Token header, or the MMAUTHTOKEN cookie
// (the same places a chat server looks).
import type { IncomingHttpHeaders } from 'node:http';

const BEARER = /^(?:Bearer|Token)\s+(\S+)\s*$/i;
const COOKIE = /(?:^|;\s*)MMAUTHTOKEN=([^;]+)/;

export function sessionTokenFrom(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization) {
    const match = BEARER.exec(authorization);
    if (match) return match[1];
  }
  const token = headers.token;
  if (typeof token === 'string' && token) return token.trim();
  const cookie = headers.cookie;
  if (cookie) {
    const match = COOKIE.exec(cookie);
    if (match) {
      try {
        return decodeURIComponent(match[1]!);
      } catch {
        return undefined; // a malformed cookie is no token
      }
    }
  }
  return undefined;
}
