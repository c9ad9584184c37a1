// The plugin's request headers (webapp/src/plugin/host.ts): every call says X-Requested-With, a write also carries
// the chat server's MMCSRF cookie as X-CSRF-Token, read from the page's cookies by name, never by prefix; a
// malformed cookie value must not break the call (it used to throw out of decodeURIComponent).
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';

// Loaded by URL: the module is browser code (DOM types), outside the root tsconfig's node types.
const HOST_MODULE = new URL('../../webapp/src/plugin/host.ts', import.meta.url).href;
const { hostHeaders } = (await import(HOST_MODULE)) as { hostHeaders: (method: string) => Record<string, string> };

function withCookies(cookie: string): void {
  (globalThis as { document?: unknown }).document = { cookie };
}

describe('plugin host headers', () => {
  afterEach(() => {
    delete (globalThis as { document?: unknown }).document;
  });

  test('a write carries MMCSRF as X-CSRF-Token, decoded; a read does not', () => {
    withCookies('MMAUTHTOKEN=t; MMUSERID=u1; MMCSRF=c%2Bsrf');
    assert.deepEqual(hostHeaders('POST'), { 'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': 'c+srf' });
    assert.deepEqual(hostHeaders('GET'), { 'X-Requested-With': 'XMLHttpRequest' });
  });

  test('the cookie is found by its name only, first in the list or not, without a space after the separator', () => {
    withCookies('MMCSRFX=wrong;MMCSRF=right');
    assert.equal(hostHeaders('PUT')['X-CSRF-Token'], 'right');
    withCookies('MMCSRFX=wrong');
    assert.equal(hostHeaders('PUT')['X-CSRF-Token'], undefined);
  });

  test('no page, no cookie, an empty or malformed value: no CSRF header, and no throw', () => {
    assert.deepEqual(hostHeaders('POST'), { 'X-Requested-With': 'XMLHttpRequest' });
    withCookies('');
    assert.equal(hostHeaders('POST')['X-CSRF-Token'], undefined);
    withCookies('MMCSRF=');
    assert.equal(hostHeaders('POST')['X-CSRF-Token'], undefined);
    withCookies('MMCSRF=%E0%A4%A');
    assert.doesNotThrow(() => hostHeaders('POST'));
  });
});
