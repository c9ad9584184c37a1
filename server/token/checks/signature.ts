// §7.2 (second half) — the JWS signature, verified by jose with RS256 as the only algorithm and the key the key-set
// cache resolved from the configured tenant's JWKS. jose checks the signature only; the claims are ours.
import type { KeyObject } from 'node:crypto';
import { compactVerify, errors } from 'jose';
import type { UnverifiedToken } from '../compact-jws.ts';
import { invalidToken } from '../refusal.ts';
import { ALLOWED_ALGORITHMS } from './algorithm.ts';

export async function checkSignature(token: UnverifiedToken, key: KeyObject): Promise<void> {
  try {
    await compactVerify(token.compact, key, { algorithms: [...ALLOWED_ALGORITHMS] });
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      throw invalidToken('signature', 'the signature does not verify');
    }
    const code = error instanceof errors.JOSEError ? error.code : 'unexpected error';
    throw invalidToken('signature', 'the signature could not be verified', code);
  }
}
