// §7.10 — a user (delegated) token whose scp, split on spaces, holds the permission word exactly. App-only tokens
// (idtyp=app, or roles without scp) are refused: sign-in is for a person.
import type { JsonObject } from '../compact-jws.ts';
import type { Expectations } from '../expectations.ts';
import { invalidToken } from '../refusal.ts';

/** Returns the scp string. */
export function checkUserToken(claims: JsonObject): string {
  if (claims.idtyp === 'app') throw invalidToken('scope', 'app-only tokens cannot sign in', 'idtyp app');
  const scp = claims.scp;
  if (scp === undefined && claims.roles !== undefined) throw invalidToken('scope', 'app-only tokens cannot sign in', 'roles without scp');
  if (typeof scp !== 'string' || scp.trim() === '') throw invalidToken('scope', 'the token carries no delegated scope (scp)');
  return scp;
}

/** Returns the delegated scopes. */
export function checkScope(scp: string, expect: Expectations): string[] {
  const scopes = scp.split(' ').filter(Boolean);
  // {resource}/.default asks for every consented permission, so no single word is required.
  if (expect.permission !== undefined && !scopes.includes(expect.permission)) {
    throw invalidToken('scope', `the token does not carry the ${expect.permission} permission`, `scope ${expect.scope}`);
  }
  return scopes;
}
