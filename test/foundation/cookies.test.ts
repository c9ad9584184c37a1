// The cookie helper (server/util/cookies.ts): the sign-in's Set-Cookie keeps the bytes a chat server writes
// (attribute order included), and reading a Cookie header finds the named cookie only, decoded, with a malformed
// or empty value read as no cookie (a malformed token is no token, a malformed CSRF value proves nothing).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { cookieNamed, sessionCookie } from '../../server/util/cookies.ts';

describe('cookies', () => {
  const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 600);
  beforeEach(() => mock.timers.enable({ apis: ['Date'], now: NOW }));
  afterEach(() => mock.timers.reset());

  test('a session cookie: Max-Age in whole seconds, Path, Expires, HttpOnly and Secure when asked, SameSite=Lax last', () => {
    const hour = 3_600_999; // Max-Age rounds down; Expires is the exact instant, shown in whole seconds
    assert.equal(
      sessionCookie('MMAUTHTOKEN', 'mgs_abc-_1', { maxAgeMs: hour, secure: true, httpOnly: true }),
      'MMAUTHTOKEN=mgs_abc-_1; Max-Age=3600; Path=/; Expires=Fri, 02 Jan 2026 04:04:06 GMT; HttpOnly; Secure; SameSite=Lax',
    );
    assert.equal(
      sessionCookie('MMUSERID', 'u1', { maxAgeMs: hour, secure: false, httpOnly: false }),
      'MMUSERID=u1; Max-Age=3600; Path=/; Expires=Fri, 02 Jan 2026 04:04:06 GMT; SameSite=Lax',
    );
    assert.equal(
      sessionCookie('MMCSRF', 'x', { maxAgeMs: 0, secure: true, httpOnly: false }),
      'MMCSRF=x; Max-Age=0; Path=/; Expires=Fri, 02 Jan 2026 03:04:05 GMT; Secure; SameSite=Lax',
    );
  });

  test('a value a cookie cannot carry as is is percent-encoded, and reads back as written', () => {
    const written = sessionCookie('MMAUTHTOKEN', 'a b;c', { maxAgeMs: 1000, secure: false, httpOnly: true });
    assert.ok(written.startsWith('MMAUTHTOKEN=a%20b%3Bc; '), written);
    assert.equal(cookieNamed(written.split('; ')[0], 'MMAUTHTOKEN'), 'a b;c');
  });

  test('reading: the named cookie, decoded, the first of repeated names, spaces around pairs ignored', () => {
    assert.equal(cookieNamed('MMUSERID=u1; MMAUTHTOKEN=t%2Fk; MMCSRF=c', 'MMAUTHTOKEN'), 't/k');
    assert.equal(cookieNamed('MMAUTHTOKEN=first; MMAUTHTOKEN=second', 'MMAUTHTOKEN'), 'first');
    assert.equal(cookieNamed('  MMCSRF = c1 ;other=2', 'MMCSRF'), 'c1');
    assert.equal(cookieNamed('MMAUTHTOKEN=a=b', 'MMAUTHTOKEN'), 'a=b');
  });

  test('reading: absent, another name that ends the same, empty and malformed values are no cookie', () => {
    assert.equal(cookieNamed(undefined, 'MMAUTHTOKEN'), undefined);
    assert.equal(cookieNamed('', 'MMAUTHTOKEN'), undefined);
    assert.equal(cookieNamed('XMMAUTHTOKEN=t', 'MMAUTHTOKEN'), undefined);
    assert.equal(cookieNamed('MMAUTHTOKEN=; MMCSRF=c', 'MMAUTHTOKEN'), undefined);
    assert.equal(cookieNamed('MMAUTHTOKEN=%E0%A4%A', 'MMAUTHTOKEN'), undefined);
  });
});
