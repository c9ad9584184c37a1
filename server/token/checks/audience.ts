// §7.6 — aud must name this API (rule and v1/v2 differences in expectations.ts). A single string, as Entra issues.
import type { JsonObject } from '../compact-jws.ts';
import type { Expectations, TokenVersion } from '../expectations.ts';
import { invalidToken, shown } from '../refusal.ts';

export function checkAudience(claims: JsonObject, version: TokenVersion, expect: Expectations): void {
  const aud = claims.aud;
  if (typeof aud !== 'string') throw invalidToken('audience', 'the audience (aud) is not a single value', `aud ${shown(aud)}`);
  const accepted = expect.audiences[version];
  if (!accepted.includes(aud.toLowerCase())) {
    throw invalidToken(
      'audience',
      'the token was issued for another audience',
      `aud ${shown(aud)}; v${version} accepts ${accepted.join(' or ')}`,
    );
  }
}
