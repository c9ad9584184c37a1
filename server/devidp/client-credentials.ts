// The client-credentials grant of the development issuer, as Entra answers it: POST /{tenant}/oauth2/v2.0/token,
// form-encoded client_id, client_secret, grant_type=client_credentials, scope={resource}/.default. Success is
// {token_type, expires_in, ext_expires_in, access_token}: a v1 app token signed by the key ring (aud = the resource,
// roles = the app's application permissions, idtyp app). Failures are Entra's error shape with its AADSTS codes.
// Apps (tenant, client id, secrets, roles) are registered through /admin/apps or DevIdp.apps.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { KeyRing } from './key-ring.ts';
import { mintToken } from './mint.ts';

export const registeredAppSchema = z.strictObject({
  tenant: z.string().min(1),
  clientId: z.string().min(1),
  /** Client secrets; an expired one answers AADSTS7000222. */
  secrets: z.array(z.strictObject({ value: z.string().min(1), expiresAt: z.string().datetime().optional() })).min(1),
  /** Application permissions granted (with admin consent): the token's roles. */
  roles: z.array(z.string()).default([]),
  /** The token's lifetime (default 3599 s, as Entra). */
  tokenLifetimeSeconds: z.number().int().min(1).max(86400).optional(),
  /** The object id of the app's service principal in the tenant (the token's oid); random by default. */
  servicePrincipalId: z.string().optional(),
});

export type RegisteredAppInput = z.input<typeof registeredAppSchema>;
type RegisteredApp = z.infer<typeof registeredAppSchema> & { servicePrincipalId: string };

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface IssueContext {
  ring: KeyRing;
  /** The issuer's base URL, e.g. http://127.0.0.1:9000. */
  issuerBase: string;
  /** The one resource tokens are issued for: the development Graph, e.g. http://127.0.0.1:9000/graph. */
  resource: string;
  /** Called with the token's uti, so the Graph can revoke what was issued. */
  issued(uti: string): void;
}

const DEFAULT_LIFETIME_SECONDS = 3599;

function entraError(status: number, error: string, code: number, description: string): TokenAnswer {
  const trace = randomUUID();
  const correlation = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${trace} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

export class AppRegistry {
  private readonly apps = new Map<string, RegisteredApp>();

  private static key(tenant: string, clientId: string): string {
    return `${tenant.toLowerCase()} ${clientId.toLowerCase()}`;
  }

  set(input: RegisteredAppInput): { tenant: string; clientId: string; servicePrincipalId: string } {
    const app = registeredAppSchema.parse(input);
    const registered = { ...app, servicePrincipalId: app.servicePrincipalId ?? randomUUID() };
    this.apps.set(AppRegistry.key(app.tenant, app.clientId), registered);
    return { tenant: app.tenant, clientId: app.clientId, servicePrincipalId: registered.servicePrincipalId };
  }

  clear(): void {
    this.apps.clear();
  }

  knowsTenant(tenant: string): boolean {
    return [...this.apps.values()].some((app) => app.tenant.toLowerCase() === tenant.toLowerCase());
  }

  find(tenant: string, clientId: string): RegisteredApp | undefined {
    return this.apps.get(AppRegistry.key(tenant, clientId));
  }

  /** The grant, checked in Entra's order: request shape, tenant, app, secret, scope. */
  issue(form: URLSearchParams, tenant: string, context: IssueContext): TokenAnswer {
    for (const name of ['grant_type', 'client_id'] as const) {
      if (!form.get(name)) return entraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return entraError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    if (!this.knowsTenant(tenant)) {
      return entraError(400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`);
    }
    const clientId = form.get('client_id') ?? '';
    const app = this.find(tenant, clientId);
    if (!app) {
      return entraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    }
    const secret = form.get('client_secret');
    if (!secret) return entraError(401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    const matching = app.secrets.find((candidate) => candidate.value === secret);
    if (!matching) {
      return entraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
    }
    if (matching.expiresAt && Date.parse(matching.expiresAt) <= Date.now()) {
      return entraError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.clientId}' are expired.`);
    }
    const scope = form.get('scope') ?? '';
    if (!scope.endsWith('/.default')) {
      return entraError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const resource = scope.slice(0, -'/.default'.length).replace(/\/+$/, '');
    if (resource !== context.resource) {
      return entraError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}.`);
    }
    const lifetime = app.tokenLifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS;
    const uti = randomUUID().replaceAll('-', '');
    const accessToken = mintToken(
      {
        version: '1.0',
        aud: resource,
        appid: app.clientId,
        expOffset: lifetime,
        claims: { appidacr: '1', idtyp: 'app', oid: app.servicePrincipalId, sub: app.servicePrincipalId, roles: app.roles, uti },
        omit: ['scp'],
      },
      { ring: context.ring, tenant, issuerBase: context.issuerBase },
    );
    context.issued(uti);
    return { status: 200, body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken } };
  }
}
