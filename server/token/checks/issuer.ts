// §7.4 — iss must exactly equal the configured tenant's issuer for the token's version. An issuer of the right shape
// naming another tenant is a tenant problem (invalid_tenant_id); any other issuer is a bad token.
import type { JsonObject } from '../compact-jws.ts';
import type { Expectations, TokenVersion } from '../expectations.ts';
import { invalidToken, shown, wrongTenant } from '../refusal.ts';

const ANY_TENANT = '([^/]+)';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function checkIssuer(claims: JsonObject, version: TokenVersion, expect: Expectations): void {
  const iss = claims.iss;
  const expected = expect.issuer[version];
  if (iss === expected) return;
  if (typeof iss !== 'string') throw invalidToken('issuer', 'the token has no issuer (iss)');
  const at = expected.lastIndexOf(expect.tenantId);
  const prefix = expected.slice(0, at);
  const suffix = expected.slice(at + expect.tenantId.length);
  const sameShape = new RegExp(`^${escapeRegExp(prefix)}${ANY_TENANT}${escapeRegExp(suffix)}$`).exec(iss);
  if (sameShape && sameShape[1]?.toLowerCase() !== expect.tenantId) {
    throw wrongTenant('issuer', 'the issuer names another tenant', `iss ${shown(iss)}`);
  }
  throw invalidToken('issuer', 'the issuer is not the configured tenant\'s issuer', `iss ${shown(iss)}, expected ${expected}`);
}
