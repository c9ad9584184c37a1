// Reading and writing cookies with the `cookie` package (the one Express uses), in the house's terms: a cookie
// whose value is not valid percent-encoding reads as absent (a malformed token is no token, a malformed CSRF value
// proves nothing), and session cookies are written as a chat server writes them.
import { parse, serialize } from 'cookie';

/** Stands for a value that failed to decode: a string no cookie can carry. */
const MALFORMED = '\u0000';

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return MALFORMED;
  }
}

/** The cookie's decoded value; undefined when the header has none by that name, or its value is malformed or empty. */
export function cookieNamed(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  const value = parse(header, { decode })[name];
  return value === undefined || value === '' || value === MALFORMED ? undefined : value;
}

/** A session cookie as the chat server sets it: Path=/, Max-Age and Expires, SameSite=Lax; Secure behind https. */
export function sessionCookie(name: string, value: string, options: { maxAgeMs: number; secure: boolean; httpOnly: boolean }): string {
  return serialize(name, value, {
    maxAge: Math.floor(options.maxAgeMs / 1000),
    path: '/',
    expires: new Date(Date.now() + options.maxAgeMs),
    httpOnly: options.httpOnly,
    secure: options.secure,
    sameSite: 'lax',
  });
}
