// The signature-encoding rule on its own: canonical base64url only, for both lengths that leave unused bits.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { AppError } from '../../server/errors/app-error.ts';
import { checkSignatureEncoding } from '../../server/token/checks/signature-encoding.ts';

const refused = (signature: string) => {
  assert.throws(
    () => checkSignatureEncoding(`aGVhZGVy.cGF5bG9hZA.${signature}`),
    (e: unknown) => e instanceof AppError && e.id === 'ent.intune.validate_token.invalid_token.app_error' && /^token check "encoding" failed/.test(e.detailed),
    signature,
  );
};

describe('checkSignatureEncoding', () => {
  test('accepts what Node encodes, of every length, and an empty signature (alg none is refused later)', () => {
    for (const bytes of [0, 1, 2, 3, 32, 255, 256, 512]) checkSignatureEncoding(`h.p.${randomBytes(bytes).toString('base64url')}`);
  });

  test('refuses set unused bits: 4 of them after 2 trailing characters, 2 after 3', () => {
    const one = Buffer.from([0xff]).toString('base64url'); // "_w": w is 48, low 4 bits zero
    const two = Buffer.from([0xff, 0xff]).toString('base64url'); // "__8": 8 is 60, low 2 bits zero
    assert.equal(one, '_w');
    assert.equal(two, '__8');
    for (const bad of ['_x', '_z', '__', '__9', '__-']) refused(bad);
  });

  test('refuses a last character outside the url-safe alphabet (padding, + or /) and a length no encoding has', () => {
    // Elsewhere in the token such characters are the format check's: its pattern admits the url-safe alphabet only.
    for (const bad of ['_w==', '__8=', 'ab+/', 'abc+', 'abcde']) refused(bad);
  });
});
