// §7.2 (second half) — the JWS signature: RSASSA-PKCS1-v1_5 with SHA-256 (RS256, the only algorithm checkAlgorithm
// lets through) over "header.payload", with the key the key-set cache resolved from the configured tenant's JWKS.
// Verified by node:crypto (OpenSSL) synchronously: jose's WebCrypto path (a CryptoKey per call, an async job)
// cost several times more per sign-in, and the JWS parsing and algorithm rules are already this module's own.
import { type KeyObject, verify } from 'node:crypto';
import type { UnverifiedToken } from '../compact-jws.ts';
import { invalidToken } from '../refusal.ts';

/** RFC 7518 §3.3: RS256 keys are 2048 bits or larger. */
const MIN_RSA_BITS = 2048;

export function checkSignature(token: UnverifiedToken, key: KeyObject): void {
  const details = key.asymmetricKeyDetails;
  if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa' || (details?.modulusLength ?? 0) < MIN_RSA_BITS) {
    throw invalidToken('signature', 'the signature could not be verified', 'the signing key is not an RSA public key of 2048 bits or more');
  }
  const lastDot = token.compact.lastIndexOf('.');
  const signingInput = Buffer.from(token.compact.slice(0, lastDot), 'ascii');
  const signature = Buffer.from(token.compact.slice(lastDot + 1), 'base64url');
  let valid = false;
  try {
    valid = verify('sha256', signingInput, key, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw invalidToken('signature', 'the signature does not verify');
}
