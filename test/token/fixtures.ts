// Shared by the token tests: a configured Settings, minting over the dev issuer's real HTTP endpoint, and one
// assertion for refusals (catalogue id, and the token never echoed in message or detailed_error).
import assert from 'node:assert/strict';
import type { DevIdp } from '../../server/devidp/dev-idp.ts';
import type { MintRequest } from '../../server/devidp/mint.ts';
import { AppError } from '../../server/errors/app-error.ts';
import type { ErrorId } from '../../server/errors/catalogue.ts';
import { defaultSettings, type Settings } from '../../server/settings/model.ts';

export const TENANT = '3f1c2a4b-5d6e-4f70-8a9b-0c1d2e3f4a5b';
export const OTHER_TENANT = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
export const CONSUMER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
export const CLIENT_ID = 'c0ffee00-1234-4abc-9def-0123456789ab';
export const MOBILE_CLIENT = '9ac649f1-4f77-44d6-9792-b2f54ab3c9a7';
export const TUNNEL_CLIENT = 'b1b2b3b4-c5c6-4d7d-8e9e-f0f1f2f3f4f5';
export const USER_OID = '5e7d1c2b-3a49-4f8e-9d6c-1b2a3c4d5e6f';

export function settingsWith(change: (s: Settings) => void = () => {}): Settings {
  const s = defaultSettings();
  s.IntuneSettings.Enable = true;
  s.IntuneSettings.TenantId = TENANT;
  s.IntuneSettings.ClientId = CLIENT_ID;
  s.IntuneSettings.AuthService = 'office365';
  s.Office365Settings.Enable = true;
  change(s);
  return s;
}

/** A valid v2 user token request for the default settings; tests change one thing at a time. */
export function validV2(overrides: MintRequest = {}): MintRequest {
  return { aud: CLIENT_ID, azp: MOBILE_CLIENT, oid: USER_OID, scp: 'login.mattermost', email: 'jane@example.com', ...overrides };
}

export async function mintOverHttp(idp: DevIdp, body: MintRequest, tenant = TENANT): Promise<string> {
  const response = await fetch(`${idp.url}/${tenant}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { access_token?: string; error_description?: string };
  assert.equal(response.status, 200, answer.error_description);
  assert.ok(answer.access_token);
  return answer.access_token;
}

/** Awaits a refusal and checks its catalogue id; the token (and its signature part) never appears in the error. */
export async function assertRefused(promise: Promise<unknown>, id: ErrorId, token?: string): Promise<AppError> {
  const error = await promise.then(
    () => assert.fail(`expected ${id}, but the token was accepted`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
  assert.equal(error.id, id, `detailed: ${error.detailed}`);
  assert.match(error.detailed, /^token check "[a-z]+" failed: /);
  if (token) {
    const signature = token.split('.')[2] ?? '';
    for (const text of [error.message, error.detailed, JSON.stringify(error.toBody('r'))]) {
      assert.ok(!text.includes(token), 'the error echoes the token');
      if (signature.length > 8) assert.ok(!text.includes(signature), 'the error echoes the signature');
    }
  }
  return error;
}

/** Replaces the payload (claims) of a compact JWS, keeping header and signature. */
export function withPayload(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  change(claims);
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}
