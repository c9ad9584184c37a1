// Helpers for the enrollment tests: Intune and the license configured through the admin API, sign-in over
// POST /oauth/intune with a token minted by the development issuer, sessions inserted directly (web sessions,
// unprotected users, a second session on one device), the gate and the enrollment report, and bounded polling.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../server/db/connect.ts';
import type { MamState } from '../../server/db/stores/session-store.ts';
import { type DevIdp, startDevIdp } from '../../server/devidp/dev-idp.ts';
import { API_BASE } from '../../server/http/app.ts';
import { hashToken, newId, newSecretToken } from '../../server/util/secret-token.ts';
import { CLIENT_ID, MOBILE_CLIENT, TENANT } from '../token/fixtures.ts';
import { type ApiAnswer, call, startTestService, type TestService } from './service.ts';

export { CLIENT_ID, MOBILE_CLIENT, TENANT };

/**
 * The service environment the enrollment tests use: the dev issuer as authority and as Graph, no sign-in rate limit
 * in the way.
 */
export function intuneEnv(idp: DevIdp, extra: Record<string, unknown> = {}) {
  return { entraAuthority: idp.url, graphUrl: idp.graphUrl, loginRatePerIpPerMinute: 100_000, loginRatePerTenantPerMinute: 100_000, ...extra };
}

export const gateUrl = (base: string) => `${base}${API_BASE}/gate`;
export const enrollmentUrl = (base: string) => `${base}${API_BASE}/enrollment`;
export const sessionUrl = (base: string) => `${base}${API_BASE}/session`;
export const eventsUrl = (base: string) => `${base}${API_BASE}/events`;
export const adminUrl = (base: string, path: string) => `${base}${API_BASE}/admin/${path}`;

async function expectOk(answer: ApiAnswer, what: string): Promise<ApiAnswer> {
  assert.equal(answer.status, 200, `${what}: ${answer.text}`);
  return answer;
}

/** Saves an update to the settings through the admin API. */
export async function saveSettings(base: string, adminToken: string, update: unknown): Promise<ApiAnswer> {
  return expectOk(await call(adminUrl(base, 'settings'), { method: 'PUT', token: adminToken, body: update }), 'saving settings');
}

/** Saves the license (a SKU short name, or null for none) through the admin API. */
export async function saveLicense(base: string, adminToken: string, sku: string | null): Promise<ApiAnswer> {
  const body = sku ? { IsLicensed: true, SkuShortName: sku } : { IsLicensed: false };
  return expectOk(await call(adminUrl(base, 'license'), { method: 'PUT', token: adminToken, body }), 'saving the license');
}

/** Intune MAM on (or off) for office365 sign-ins of the test tenant. */
export function setIntune(base: string, adminToken: string, enable: boolean, options: { userCreation?: boolean } = {}) {
  return saveSettings(base, adminToken, {
    IntuneSettings: {
      Enable: enable,
      TenantId: TENANT,
      ClientId: CLIENT_ID,
      AuthService: 'office365',
      EnableUserCreation: options.userCreation ?? true,
    },
    Office365Settings: { Enable: true },
  });
}

/** Intune on and an Enterprise Advanced license: what a protected sign-in needs. */
export async function configureIntune(base: string, adminToken: string, options: { userCreation?: boolean } = {}): Promise<void> {
  await setIntune(base, adminToken, true, options);
  await saveLicense(base, adminToken, 'advanced');
}

export interface SignedIn {
  token: string;
  userId: string;
  oid: string;
  answer: ApiAnswer;
}

export interface SignInOptions {
  oid?: string;
  email?: string;
  deviceId?: string;
  headers?: Record<string, string>;
}

/** POST /oauth/intune with a fresh v2 token for the configured tenant; asserts success. */
export async function signIn(base: string, idp: DevIdp, options: SignInOptions = {}): Promise<SignedIn> {
  const oid = options.oid ?? randomUUID();
  const access = idp.mint({
    tenant: TENANT,
    aud: CLIENT_ID,
    azp: MOBILE_CLIENT,
    oid,
    scp: 'login.mattermost',
    email: options.email ?? `u${oid.slice(0, 8)}@example.com`,
  });
  const body: Record<string, string> = { access_token: access };
  if (options.deviceId !== undefined) body.device_id = options.deviceId;
  const answer = await call(`${base}/oauth/intune`, { body, headers: options.headers });
  assert.equal(answer.status, 200, `sign-in: ${answer.text}`);
  const token = answer.headers.get('token');
  assert.ok(token, 'the sign-in answers the session token in the Token header');
  return { token, userId: answer.body.id, oid, answer };
}

/** A chat-server account inserted directly. */
export async function insertUser(
  db: Database,
  user: { authService?: string; authData?: string | null; email?: string } = {},
): Promise<string> {
  const id = newId();
  await db('users').insert({
    id,
    username: `u${id.slice(0, 12)}`,
    email: user.email ?? `${id}@example.com`,
    auth_service: user.authService ?? '',
    auth_data: user.authData ?? null,
  });
  return id;
}

export interface InsertedSession {
  id: string;
  token: string;
}

/**
 * A session row inserted directly, the way another sign-in path (web, email/password, a second server) would leave
 * one. No change is recorded: use it only for sessions no node has seen yet.
 */
export async function insertSession(
  db: Database,
  session: {
    userId: string;
    isMobile: boolean;
    authService: string;
    deviceId?: string | null;
    tenantId?: string | null;
    objectId?: string | null;
    mamState?: MamState;
    expiresAt?: Date;
  },
): Promise<InsertedSession> {
  const id = newId();
  const token = newSecretToken('mgs_');
  await db('sessions').insert({
    id,
    token_hash: hashToken(token),
    user_id: session.userId,
    device_id: session.deviceId ?? null,
    is_mobile: session.isMobile,
    auth_service: session.authService,
    tenant_id: session.tenantId ?? null,
    object_id: session.objectId ?? null,
    mam_state: session.mamState ?? 'not_required',
    expires_at: session.expiresAt ?? new Date(Date.now() + 3_600_000),
  });
  return { id, token };
}

/** GET the gate with the session token as a bearer token (or no token). */
export function gate(base: string, token?: string, headers?: Record<string, string>): Promise<ApiAnswer> {
  return call(gateUrl(base), { token, headers });
}

export function report(base: string, token: string | undefined, body: unknown, headers?: Record<string, string>): Promise<ApiAnswer> {
  return call(enrollmentUrl(base), { method: 'POST', token, body, headers });
}

let eventCounter = 0;
/** A unique event id for an enrollment report. */
export function eventId(label = 'ev'): string {
  eventCounter++;
  return `${label}-${process.pid}-${eventCounter}-${randomUUID().slice(0, 8)}`;
}

/** Polls `condition` every `intervalMs` until it is true or `timeoutMs` has passed; returns whether it became true. */
export async function pollUntil(condition: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Polls `check` until it is true; fails the test naming `what` when it is not within `withinMs`. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, withinMs: number): Promise<void> {
  assert.ok(await pollUntil(check, withinMs), `${what} did not happen within ${withinMs} ms`);
}

/** Polls the gate until it answers `status`; asserts it did within `timeoutMs`, returns the last answer. */
export async function gateBecomes(base: string, token: string | undefined, status: number, timeoutMs: number): Promise<ApiAnswer> {
  let last: ApiAnswer | undefined;
  const reached = await pollUntil(async () => {
    last = await gate(base, token);
    return last.status === status;
  }, timeoutMs);
  assert.ok(reached, `the gate did not answer ${status} within ${timeoutMs} ms (last: ${last?.status} ${last?.text})`);
  return last!;
}

export async function countRows(db: Database, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const row = (await db(table).where(where).count({ n: '*' }).first()) as { n: number | string } | undefined;
  return Number(row?.n ?? 0);
}

export interface IntuneService {
  idp: DevIdp;
  service: TestService;
  close(): Promise<void>;
}

/** A development issuer and a service trusting it, with Intune configured and licensed: most enrollment tests' start. */
export async function startIntuneService(options: { userCreation?: boolean; env?: Record<string, unknown> } = {}): Promise<IntuneService> {
  const idp = await startDevIdp();
  const service = await startTestService({ env: intuneEnv(idp, options.env) });
  await configureIntune(service.url, service.adminToken, { userCreation: options.userCreation });
  return {
    idp,
    service,
    async close() {
      await service.close();
      await idp.stop();
    },
  };
}
