// §7.8 — the user is keyed by (tid, oid): oid must be present (missing_claims) and a GUID. Display claims are passed
// on for account creation only, never used to authorize.
import { isGuid } from '../../util/guid.ts';
import { type JsonObject, optionalString } from '../compact-jws.ts';
import { invalidToken, missingClaim } from '../refusal.ts';

export interface TokenIdentity {
  oid: string;
  email?: string;
  upn?: string;
  preferredUsername?: string;
  givenName?: string;
  familyName?: string;
  name?: string;
}

export function checkIdentity(claims: JsonObject): TokenIdentity {
  const oid = claims.oid;
  if (oid === undefined || oid === null || oid === '') throw missingClaim('oid');
  if (typeof oid !== 'string' || !isGuid(oid)) throw invalidToken('identity', 'the object id (oid) is not a GUID');
  const identity: TokenIdentity = { oid: oid.toLowerCase() };
  const display: [keyof Omit<TokenIdentity, 'oid'>, string][] = [
    ['email', 'email'],
    ['upn', 'upn'],
    ['preferredUsername', 'preferred_username'],
    ['givenName', 'given_name'],
    ['familyName', 'family_name'],
    ['name', 'name'],
  ];
  for (const [field, claim] of display) {
    const value = optionalString(claims, claim);
    if (value) identity[field] = value;
  }
  return identity;
}
