// Which keys of a JWKS document may verify an access token: RSA signing keys (use absent or "sig", alg absent or
// RS256, key_ops allowing verify) of 2048 to 8192 bits with a kid. A kid published twice is ambiguous and dropped.
import { createPublicKey, type KeyObject } from 'node:crypto';

export const MIN_RSA_BITS = 2048;
/** Larger keys only cost CPU per verification; Entra uses 2048. */
export const MAX_RSA_BITS = 8192;
const MAX_KEYS = 100;

export interface UsableKeys {
  keys: Map<string, KeyObject>;
  skipped: number;
}

function toSigningKey(jwk: unknown): { kid: string; key: KeyObject } | undefined {
  if (typeof jwk !== 'object' || jwk === null) return undefined;
  const { kty, use, alg, kid, n, e, key_ops: ops } = jwk as Record<string, unknown>;
  if (kty !== 'RSA' || typeof kid !== 'string' || kid === '' || typeof n !== 'string' || typeof e !== 'string') return undefined;
  if (use !== undefined && use !== 'sig') return undefined;
  if (alg !== undefined && alg !== 'RS256') return undefined;
  if (ops !== undefined && !(Array.isArray(ops) && ops.includes('verify'))) return undefined;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty, n, e }, format: 'jwk' });
  } catch {
    return undefined;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) return undefined;
  return { kid, key };
}

export function usableSigningKeys(document: unknown): UsableKeys {
  const list = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) return { keys: new Map(), skipped: 0 };
  const keys = new Map<string, KeyObject>();
  const ambiguous = new Set<string>();
  let skipped = Math.max(0, list.length - MAX_KEYS);
  for (const jwk of list.slice(0, MAX_KEYS)) {
    const found = toSigningKey(jwk);
    if (!found) {
      skipped++;
    } else if (keys.has(found.kid) || ambiguous.has(found.kid)) {
      skipped += keys.delete(found.kid) ? 2 : 1;
      ambiguous.add(found.kid);
    } else {
      keys.set(found.kid, found.key);
    }
  }
  return { keys, skipped };
}
