// The LDAP id attribute (msDS-aadObjectId) as a GUID: a 36-character string in any case, or 16 raw bytes in
// MS-DTYP §2.3.4 order (Data1, Data2 and Data3 little-endian, Data4 as is). reference/entra-saml-ldap.md §5.
// Values are read as bytes (explicitBufferAttributes), so text and binary are told apart here.
import { isAscii } from 'node:buffer';
import { isGuid } from '../../util/guid.ts';

/** One value of the id attribute: the GUID it holds (lower case) or null, and the value as read. */
export interface GuidReading {
  /** The normalised lower-case GUID, or null when the value is not a GUID. */
  objectId: string | null;
  /** The value as read: the text, or the bytes in lower-case hex. */
  raw: string;
  encoding: 'string' | 'binary';
}

const GUID_BYTES = 16;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function hex(bytes: Uint8Array, from: number, to: number, reverse = false): string {
  const part = Array.from(bytes.subarray(from, to), (b) => b.toString(16).padStart(2, '0'));
  return (reverse ? part.reverse() : part).join('');
}

/** 16 bytes as an MS-DTYP GUID string (lower case); anything else → null. */
export function decodeGuidBytes(bytes: Uint8Array): string | null {
  if (bytes.length !== GUID_BYTES) return null;
  return [hex(bytes, 0, 4, true), hex(bytes, 4, 6, true), hex(bytes, 6, 8, true), hex(bytes, 8, 10), hex(bytes, 10, 16)].join('-');
}

/** A 36-character GUID string of any case, lower-cased; anything else (braces, no dashes, other text) → null. */
export function normaliseGuidString(value: string): string | null {
  const trimmed = value.trim();
  return trimmed.length === 36 && isGuid(trimmed) ? trimmed.toLowerCase() : null;
}

// Text of printable characters only (no control, format, private-use or unassigned code points).
const PRINTABLE = /^[^\p{C}]+$/u;

function printableText(bytes: Uint8Array): string | null {
  try {
    const text = strictUtf8.decode(bytes);
    return PRINTABLE.test(text) ? text : null;
  } catch {
    return null;
  }
}

/**
 * Reads one value of the id attribute, whether the directory sent text or bytes. 16 bytes are a binary GUID
 * unless they are printable text: a 16-character value such as "dave@example.com" is text that is not a GUID.
 * (A random GUID is printable UTF-8 with a probability below 1e-6.)
 */
export function readGuidValue(value: string | Uint8Array): GuidReading {
  if (typeof value === 'string') return { objectId: normaliseGuidString(value), raw: value, encoding: 'string' };
  // The common case, a GUID string: ASCII text (valid UTF-8 as is), read without the strict decoder.
  if (value.length !== GUID_BYTES && isAscii(value)) {
    const text = Buffer.from(value.buffer, value.byteOffset, value.length).toString('latin1');
    return { objectId: normaliseGuidString(text), raw: text, encoding: 'string' };
  }
  if (value.length === GUID_BYTES && printableText(value) === null) {
    return { objectId: decodeGuidBytes(value), raw: hex(value, 0, GUID_BYTES), encoding: 'binary' };
  }
  let text: string;
  try {
    text = strictUtf8.decode(value);
  } catch {
    return { objectId: null, raw: hex(value, 0, value.length), encoding: 'binary' };
  }
  return { objectId: normaliseGuidString(text), raw: text, encoding: 'string' };
}
