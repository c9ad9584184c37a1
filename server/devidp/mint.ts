// Building development access tokens in Entra's v1 and v2 shapes, with every knob a negative test needs: claim
// overrides and omissions, time offsets, header overrides, and signatures that must fail (none, HS256 keyed with
// the public key, a key nobody publishes). Signing uses node:crypto directly, so the issuer never shares code with
// the verifier it tests.
import { createHash, createHmac, randomUUID, sign } from 'node:crypto';
import { z } from 'zod';
import type { KeyRing, SigningKey } from './key-ring.ts';

/** The official Mattermost mobile app (Prod): the default calling client. */
export const DEFAULT_CLIENT_ID = '9ac649f1-4f77-44d6-9792-b2f54ab3c9a7';

const claimValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

export const mintRequestSchema = z.strictObject({
  version: z.enum(['1.0', '2.0']).optional(),
  /** Overrides the tid claim only; the issuer keeps the tenant of the URL (use iss to change it). */
  tid: z.string().optional(),
  iss: z.string().optional(),
  oid: z.string().optional(),
  aud: z.string().optional(),
  scp: z.string().optional(),
  azp: z.string().optional(),
  appid: z.string().optional(),
  email: z.string().optional(),
  upn: z.string().optional(),
  preferred_username: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  name: z.string().optional(),
  /** Seconds from now: exp (default 3600), nbf and iat (default 0). */
  expOffset: z.number().optional(),
  nbfOffset: z.number().optional(),
  iatOffset: z.number().optional(),
  /** Merged over everything above. */
  claims: z.record(z.string(), claimValue).optional(),
  /** Claims to leave out, e.g. ["oid"] or ["exp"]. */
  omit: z.array(z.string()).optional(),
  /** Merged over the default header (typ, alg, kid, and x5t for v1); a null value removes the parameter. */
  header: z.record(z.string(), claimValue).optional(),
  signWith: z.enum(['current', 'none', 'hs256-public-pem', 'hs256-public-jwk', 'unpublished']).optional(),
});

export type MintRequest = z.infer<typeof mintRequestSchema>;

export class MintError extends Error {
  override readonly name = 'MintError';
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function defined(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined));
}

function claimsFor(request: MintRequest, tenant: string, issuerBase: string, nowSeconds: number): Record<string, unknown> {
  const v2 = (request.version ?? '2.0') === '2.0';
  if (request.aud === undefined && request.claims?.aud === undefined) {
    throw new MintError('aud is required: the API client id (v2) or its App ID URI (v1)');
  }
  const client = v2 ? { azp: request.azp ?? DEFAULT_CLIENT_ID, azpacr: '0' } : { appid: request.appid ?? request.azp ?? DEFAULT_CLIENT_ID, appidacr: '0' };
  const claims: Record<string, unknown> = defined({
    aud: request.aud,
    iss: request.iss ?? (v2 ? `${issuerBase}/${tenant}/v2.0` : `${issuerBase}/${tenant}/`),
    iat: nowSeconds + (request.iatOffset ?? 0),
    nbf: nowSeconds + (request.nbfOffset ?? 0),
    exp: nowSeconds + (request.expOffset ?? 3600),
    ...client,
    email: request.email,
    family_name: request.family_name,
    given_name: request.given_name,
    name: request.name,
    oid: request.oid ?? objectIdFor(request.email ?? request.upn ?? request.preferred_username),
    preferred_username: v2 ? request.preferred_username : undefined,
    scp: request.scp ?? 'login.mattermost',
    sub: randomUUID().replaceAll('-', ''),
    tid: request.tid ?? tenant,
    upn: request.upn,
    unique_name: v2 ? undefined : request.upn,
    uti: randomUUID().replaceAll('-', ''),
    ver: v2 ? '2.0' : '1.0',
    ...request.claims,
  });
  for (const name of request.omit ?? []) delete claims[name];
  return claims;
}

/**
 * The same person gets the same objectId every time (a token minted again must sign in to the same account, as
 * Entra's would): a GUID derived from the email or UPN; a random one when the token names nobody.
 */
export function objectIdFor(identity: string | undefined): string {
  if (!identity) return randomUUID();
  const hex = createHash('sha256').update(`dev-idp:${identity.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((Number.parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function headerFor(request: MintRequest, key: SigningKey): Record<string, unknown> {
  const signWith = request.signWith ?? 'current';
  const alg = signWith === 'none' ? 'none' : signWith.startsWith('hs256') ? 'HS256' : 'RS256';
  const v1 = request.version === '1.0';
  const header: Record<string, unknown> = { typ: 'JWT', alg, ...(v1 ? { x5t: key.kid } : {}), kid: key.kid, ...request.header };
  for (const [name, value] of Object.entries(header)) if (value === null) delete header[name];
  return header;
}

function signature(signingInput: string, request: MintRequest, ring: KeyRing): string {
  const data = Buffer.from(signingInput);
  switch (request.signWith ?? 'current') {
    case 'none':
      return '';
    case 'hs256-public-pem':
      return createHmac('sha256', ring.current.publicPem).update(data).digest('base64url');
    case 'hs256-public-jwk':
      return createHmac('sha256', JSON.stringify(ring.current.publicJwk)).update(data).digest('base64url');
    case 'unpublished':
      return sign('sha256', data, ring.unpublished.privateKey).toString('base64url');
    default:
      return sign('sha256', data, ring.current.privateKey).toString('base64url');
  }
}

export interface MintContext {
  ring: KeyRing;
  tenant: string;
  /** The issuer's base URL, e.g. http://127.0.0.1:9000. */
  issuerBase: string;
  nowSeconds?: number;
}

/** A compact JWS; throws MintError when the request cannot make a token. */
export function mintToken(request: MintRequest, context: MintContext): string {
  const now = context.nowSeconds ?? Math.floor(Date.now() / 1000);
  const header = headerFor(request, context.ring.current);
  const signingInput = `${base64url(header)}.${base64url(claimsFor(request, context.tenant, context.issuerBase, now))}`;
  return `${signingInput}.${signature(signingInput, request, context.ring)}`;
}
