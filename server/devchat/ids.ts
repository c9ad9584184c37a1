// Identifiers shaped like Mattermost's model.NewId (server/public/model/utils.go in mattermost/mattermost): 16 random
// bytes written in base32 with the alphabet "ybndrfg8ejkmcpqxot1uwisza345h769" and no padding, 26 lower-case
// characters. Session tokens are made the same way (Session.PreSave in server/public/model/session.go).
import { randomBytes } from 'node:crypto';

const ALPHABET = 'ybndrfg8ejkmcpqxot1uwisza345h769';

export function newId(): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of randomBytes(16)) {
    buffer = ((buffer << 8) | byte) & 0xfff; // at most 12 bits are ever pending
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** model.IsValidId: 26 characters, letters and digits. */
export function isValidId(value: string): boolean {
  return /^[a-z0-9]{26}$/i.test(value);
}
