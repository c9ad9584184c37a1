// RFC 7515 §2 and RFC 4648 §3.5 — the signature is canonical base64url: no padding, only the url-safe alphabet, and
// the last character's unused low bits zero. Node's decoder drops those bits, so a token whose last character is
// bumped within them decodes to the same signature and would verify: one token, many strings (logs, replay and
// revocation keys would tell them apart). The format check's pattern already keeps every character of the token in
// the url-safe alphabet; what it cannot see is the signature's length and its last character, read here in O(1).
import { invalidToken } from '../refusal.ts';

/** The 6-bit value of a base64url character, or -1 for any other character (padding and + / included). */
function sextet(code: number): number {
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 71; // a-z
  if (code >= 48 && code <= 57) return code + 4; // 0-9
  if (code === 45) return 62; // -
  if (code === 95) return 63; // _
  return -1;
}

export function checkSignatureEncoding(compact: string): void {
  const length = compact.length - compact.lastIndexOf('.') - 1;
  if (length === 0) return; // no signature at all: alg none, refused by the algorithm check
  const last = sextet(compact.charCodeAt(compact.length - 1));
  if (last < 0) throw invalidToken('encoding', 'the signature is not base64url', 'only A-Z a-z 0-9 - _, no padding');
  // Each character carries 6 bits: 2 trailing characters carry 1 byte (4 bits unused), 3 carry 2 (2 unused), 1 none.
  const tail = length % 4;
  if (tail === 1) throw invalidToken('encoding', 'the signature is not base64url', 'a length no encoding has');
  const unused = tail === 2 ? 0b1111 : tail === 3 ? 0b11 : 0;
  if ((last & unused) !== 0) {
    throw invalidToken('encoding', 'the signature is not canonical base64url', 'the last character has unused bits set');
  }
}
