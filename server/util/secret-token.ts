import { createHash, randomBytes } from 'node:crypto';

/** A new bearer secret: a recognisable prefix and 256 random bits. */
export function newSecretToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Tokens are stored only as this hash; 256-bit random secrets need no slow hash. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newId(bytes = 9): string {
  return randomBytes(bytes).toString('base64url');
}
