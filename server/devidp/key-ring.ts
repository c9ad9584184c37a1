// The development issuer's signing keys: RSA 2048 made with jose at start, rotated on demand. Old keys may stay
// published after a rotation (as Entra publishes several keys) so tests can model real rollover.
import { createPublicKey, generateKeyPairSync, KeyObject, type webcrypto } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The public key as JWK (kty, n, e) and as SPKI PEM: the bytes an HS256 confusion attack would use. */
  publicJwk: JWK;
  publicPem: string;
  /** What the JWKS says the key is for; "enc" lets tests publish a key the verifier must not use. */
  use: 'sig' | 'enc';
}

export interface RotateOptions {
  /** Keep the previous keys published (default true). */
  keepOld?: boolean;
  use?: 'sig' | 'enc';
  /** Below 2048 the key is made with node:crypto (jose refuses), so tests can publish a weak key. */
  modulusLength?: number;
}

async function makeKey(use: 'sig' | 'enc', modulusLength: number): Promise<SigningKey> {
  let privateKey: KeyObject;
  if (modulusLength >= 2048) {
    const pair = await generateKeyPair('RS256', { extractable: true, modulusLength });
    privateKey = KeyObject.from(pair.privateKey as webcrypto.CryptoKey);
  } else {
    privateKey = generateKeyPairSync('rsa', { modulusLength }).privateKey;
  }
  const publicKey = createPublicKey(privateKey);
  const { kty, n, e } = await exportJWK(publicKey);
  const publicJwk: JWK = { kty, n, e };
  const kid = await calculateJwkThumbprint(publicJwk);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { kid, privateKey, publicJwk, publicPem, use };
}

export class KeyRing {
  private keys: SigningKey[];
  /** Signs tokens for `signWith: "unpublished"`: a valid RSA key no JWKS lists. */
  readonly unpublished: SigningKey;

  private constructor(first: SigningKey, unpublished: SigningKey) {
    this.keys = [first];
    this.unpublished = unpublished;
  }

  static async create(): Promise<KeyRing> {
    return new KeyRing(await makeKey('sig', 2048), await makeKey('sig', 2048));
  }

  /** The key new tokens are signed with: the latest. */
  get current(): SigningKey {
    return this.keys[this.keys.length - 1]!;
  }

  get published(): readonly SigningKey[] {
    return this.keys;
  }

  async rotate(options: RotateOptions = {}): Promise<SigningKey> {
    const key = await makeKey(options.use ?? 'sig', options.modulusLength ?? 2048);
    this.keys = options.keepOld === false ? [key] : [...this.keys, key];
    return key;
  }
}
