// Reading a compact JWS without trusting it. Everything the rest of the pipeline sees comes from here, so this file
// turns every malformed input (garbage, random bytes, JWE, huge strings, non-JSON, non-objects) into invalid_token,
// never an exception of another kind.
import { invalidToken } from './refusal.ts';

/** Entra access tokens are a few KB; anything larger is refused before it is decoded. */
export const MAX_TOKEN_LENGTH = 16 * 1024;

/** header.payload.signature, base64url without padding; the signature may be empty (alg "none" is refused later). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export type JsonObject = Record<string, unknown>;

export interface UnverifiedToken {
  /** The exact string, handed to the signature check and never to an error. */
  compact: string;
  header: JsonObject;
  /** Claims as decoded; trusted only after the signature check passed. */
  claims: JsonObject;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decodeJsonObject(segment: string, what: 'header' | 'payload'): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(strictUtf8.decode(Buffer.from(segment, 'base64url')));
  } catch {
    throw invalidToken('format', `the ${what} is not base64url-encoded JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidToken('format', `the ${what} is not a JSON object`);
  }
  return value as JsonObject;
}

export function parseCompactJws(input: unknown): UnverifiedToken {
  if (typeof input !== 'string' || input.length === 0) throw invalidToken('format', 'no access token');
  if (input.length > MAX_TOKEN_LENGTH) {
    throw invalidToken('format', 'the token is too large', `${input.length} characters, limit ${MAX_TOKEN_LENGTH}`);
  }
  if (!COMPACT_JWS.test(input)) {
    const parts = input.split('.').length;
    throw invalidToken('format', 'the token is not a compact JWS', parts === 5 ? 'five parts: an encrypted JWE' : `${parts} part(s)`);
  }
  const [header = '', payload = ''] = input.split('.');
  return { compact: input, header: decodeJsonObject(header, 'header'), claims: decodeJsonObject(payload, 'payload') };
}

/** A claim or header parameter that must be a string when present. */
export function optionalString(object: JsonObject, name: string): string | undefined {
  const value = object[name];
  return typeof value === 'string' ? value : undefined;
}

export function has(object: JsonObject, name: string): boolean {
  return Object.hasOwn(object, name);
}
