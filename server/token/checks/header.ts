// RFC 7515 §4.1.11, RFC 7797, RFC 7516 — header parameters that change how a JWS is read, not which key signs it.
// mamgate understands no extension, so any crit is refused (a recipient must refuse critical parameters it does not
// understand, and knowing none, every crit list names one); b64 (an unencoded payload) and zip/enc (compression and
// content encryption, both JWE) have no place in an Entra access token. Runs on the unverified header, first.
import { type JsonObject, has } from '../compact-jws.ts';
import { invalidToken, shown } from '../refusal.ts';

export function checkHeader(header: JsonObject): void {
  if (has(header, 'crit')) {
    throw invalidToken('header', 'critical header extensions (crit) are not understood', `crit ${shown(header.crit)}`);
  }
  if (has(header, 'b64')) {
    const reason = header.b64 === false ? 'an unencoded payload (b64 false, RFC 7797) is not accepted' : 'the b64 header (RFC 7797) is not accepted';
    throw invalidToken('header', reason, `b64 ${shown(header.b64)}`);
  }
  if (has(header, 'zip')) throw invalidToken('header', 'a compressed payload (zip, a JWE parameter) is not accepted', `zip ${shown(header.zip)}`);
  if (has(header, 'enc')) throw invalidToken('header', 'the enc header belongs to an encrypted token (JWE), not a signed one', `enc ${shown(header.enc)}`);
}
