// §7.1 — RS256 only; key material or key locations in the header are never trusted (they would let the token
// choose its own key). Runs on the unverified header, before any key is looked up.
import { type JsonObject, has } from '../compact-jws.ts';
import { invalidToken, shown } from '../refusal.ts';

export const ALLOWED_ALGORITHMS = ['RS256'] as const;

const KEY_BEARING_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;
const MAX_KID_LENGTH = 256;

/** Returns the kid the key check will look up. */
export function checkAlgorithm(header: JsonObject): string {
  const alg = header.alg;
  if (alg === 'none') throw invalidToken('algorithm', 'unsigned tokens (alg none) are not accepted');
  if (typeof alg !== 'string' || !(ALLOWED_ALGORITHMS as readonly string[]).includes(alg)) {
    throw invalidToken('algorithm', 'the signing algorithm is not RS256', `alg ${shown(alg)}`);
  }
  for (const name of KEY_BEARING_HEADERS) {
    if (has(header, name)) throw invalidToken('algorithm', `the ${name} header is not accepted`);
  }
  // Microsoft Graph tokens carry a header nonce and a signature over a transformed nonce: not for this API (§1.2).
  if (has(header, 'nonce')) throw invalidToken('algorithm', 'the token is for another API (header nonce, e.g. Microsoft Graph)');
  const kid = header.kid;
  if (typeof kid !== 'string' || kid.length === 0 || kid.length > MAX_KID_LENGTH) {
    throw invalidToken('algorithm', 'the token names no usable signing key (kid)');
  }
  return kid;
}
