// §7.9 — the calling app (azp in v2, appid in v1) must be an allow-listed MAM-enabled mobile client. This is what ties
// the token to the Conditional Access app-protection gate.
import type { JsonObject } from '../compact-jws.ts';
import type { Expectations, TokenVersion } from '../expectations.ts';
import { invalidToken, shown } from '../refusal.ts';

/** Returns the client id, lower case. */
export function checkClient(claims: JsonObject, version: TokenVersion, expect: Expectations): string {
  const claim = version === '2.0' ? 'azp' : 'appid';
  const value = claims[claim];
  if (typeof value !== 'string' || value === '') throw invalidToken('client', `the token names no calling app (${claim})`);
  const clientId = value.toLowerCase();
  if (!expect.allowedClientIds.has(clientId)) {
    throw invalidToken('client', 'the mobile app is not allowed to sign in', `${claim} ${shown(value)}`);
  }
  return clientId;
}
