// What a new office365 account is made of when Intune sign-in may create it: email, username, names.
import type { VerifiedToken } from '../token/verifier.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The `email` claim, else a UPN or preferred_username that looks like an email; lower case. */
export function emailOf(token: VerifiedToken): string | undefined {
  const candidate = [token.email, token.upn, token.preferredUsername].find((v) => v && EMAIL.test(v));
  return candidate?.toLowerCase();
}

/** Mattermost usernames: lower case, start with a letter, letters, digits, '.', '-', '_', at most 22 characters. */
export function usernameBase(email: string): string {
  let base = email
    .split('@')[0]!
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '');
  if (!/^[a-z]/.test(base)) base = `u${base}`;
  return base.slice(0, 20).padEnd(3, '0');
}

/** base if free, else base0, base1, … (the reference implementation's de-duplication). */
export function firstFreeUsername(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 0; ; i++) if (!used.has(`${base}${i}`)) return `${base}${i}`;
}

export function namesOf(token: VerifiedToken): { first_name: string; last_name: string } {
  if (token.givenName || token.familyName) return { first_name: token.givenName ?? '', last_name: token.familyName ?? '' };
  const [first = '', ...rest] = (token.name ?? '').trim().split(/\s+/);
  return { first_name: first, last_name: rest.join(' ') };
}
