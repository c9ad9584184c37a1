// §7.7 — exp is required (jose would skip it when absent), nbf and iat are honoured when present, all with the
// same small skew. An expired token has its own error so the mobile client renews and retries once.
import type { JsonObject } from '../compact-jws.ts';
import { invalidToken, shown, tokenExpired } from '../refusal.ts';

function numericDate(claims: JsonObject, name: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidToken('time', `the ${name} claim is not a time`, `${name} ${shown(value)}`);
  return value;
}

/** Returns exp in milliseconds. `nowMs` is wall-clock time; `skewSeconds` is at most 300. */
export function checkTime(claims: JsonObject, nowMs: number, skewSeconds: number): number {
  const now = nowMs / 1000;
  const exp = numericDate(claims, 'exp');
  if (exp === undefined) throw invalidToken('time', 'the token has no expiry (exp)');
  if (exp <= now - skewSeconds) throw tokenExpired(`expired ${Math.round(now - exp)} s ago, skew ${skewSeconds} s`);
  const nbf = numericDate(claims, 'nbf');
  if (nbf !== undefined && nbf > now + skewSeconds) {
    throw invalidToken('time', 'the token is not valid yet (nbf)', `valid in ${Math.round(nbf - now)} s, skew ${skewSeconds} s`);
  }
  const iat = numericDate(claims, 'iat');
  if (iat !== undefined && iat > now + skewSeconds) {
    throw invalidToken('time', 'the token was issued in the future (iat)', `${Math.round(iat - now)} s ahead, skew ${skewSeconds} s`);
  }
  return exp * 1000;
}
