// §7.3 — the token version must be one this IntuneScope's resource issues (rule in expectations.ts). It picks the
// key set, so it is read from the still-unverified payload here; the signature check then covers it.
import type { JsonObject } from '../compact-jws.ts';
import type { Expectations, TokenVersion } from '../expectations.ts';
import { invalidToken, shown } from '../refusal.ts';

export function checkVersion(claims: JsonObject, expect: Expectations): TokenVersion {
  const ver = claims.ver;
  if (ver !== '1.0' && ver !== '2.0') throw invalidToken('version', 'the token version (ver) is not 1.0 or 2.0', `ver ${shown(ver)}`);
  if (!expect.acceptedVersions.includes(ver)) {
    throw invalidToken(
      'version',
      `a v${ver} token was sent but this server accepts v${expect.acceptedVersions.join('/v')} tokens for ${expect.resource}`,
    );
  }
  return ver;
}
