// How the development Graph checks the bearer token on each call, as Graph does: signed (RS256) by a key the
// issuer publishes, for the Graph resource, not expired, not revoked. Any failure is Graph's 401
// InvalidAuthenticationToken; the token is never echoed.
import { createPublicKey, verify } from 'node:crypto';
import type { KeyRing } from './key-ring.ts';

export interface GraphCaller {
  tid: string;
  appid: string;
  roles: string[];
}

export class BearerRefused extends Error {
  override readonly name = 'BearerRefused';
}

function decodePart(part: string | undefined): Record<string, unknown> {
  try {
    const value = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

export interface BearerContext {
  ring: KeyRing;
  resource: string;
  isRevoked(uti: string): boolean;
  nowSeconds?: number;
}

export function checkBearer(authorization: string | undefined, context: BearerContext): GraphCaller {
  const match = /^Bearer (\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) throw new BearerRefused('Access token is empty.');
  const parts = match[1].split('.');
  if (parts.length !== 3) throw new BearerRefused('IDX14100: JWT is not well formed.');
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  const key = context.ring.published.find((candidate) => candidate.kid === header.kid && candidate.use === 'sig');
  if (header.alg !== 'RS256' || !key) throw new BearerRefused('Signing key not found.');
  const signed = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey(key.privateKey), Buffer.from(parts[2] ?? '', 'base64url'));
  if (!signed) throw new BearerRefused('Signature is invalid.');
  if (claims.aud !== context.resource) throw new BearerRefused('Invalid audience.');
  const now = context.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= now) throw new BearerRefused('Lifetime validation failed, the token is expired.');
  if (typeof claims.uti === 'string' && context.isRevoked(claims.uti)) throw new BearerRefused('The token has been revoked.');
  return {
    tid: String(claims.tid ?? ''),
    appid: String(claims.appid ?? ''),
    roles: Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === 'string') : [],
  };
}
