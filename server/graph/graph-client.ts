// The questions mamgate asks Microsoft Graph, in the domain's words. The only code that knows Graph's paths
// (microsoft-graph-docs-contrib, api-reference/v1.0/api/…); retries, throttling and errors live in graph-transport.ts.
import type { Logger } from 'pino';
import type { GraphTokenSource } from './app-token.ts';
import { graphInvalidResponse } from './graph-refusal.ts';
import { type GraphStats, GraphTransport } from './graph-transport.ts';
import type {
  ConditionalAccessPolicy,
  ManagedAppPolicy,
  ManagedAppRegistration,
  ManagedAppRegistrationWithPolicies,
  OAuth2PermissionGrant,
  ServicePrincipal,
} from './resources.ts';
import { rolesOf } from './token-roles.ts';

export interface GraphClientOptions {
  graphUrl: string;
  tokens: GraphTokenSource;
  timeoutMs?: number;
  maxRetries?: number;
  /** Total wait between the tries of one call; default 30000. */
  maxWaitMs?: number;
  baseBackoffMs?: number;
  /** Pages one collection may span before the answer is refused as unbounded; default 200. */
  maxPages?: number;
  fetch?: typeof fetch;
  log?: Logger;
}

/** An OData string literal: quotes doubled, then URL-encoded. */
function odataString(value: string): string {
  return encodeURIComponent(`'${value.replaceAll("'", "''")}'`);
}

export class GraphClient {
  private readonly transport: GraphTransport;
  private readonly tokens: GraphTokenSource;
  private readonly maxPages: number;

  constructor(o: GraphClientOptions) {
    this.transport = new GraphTransport(o);
    this.tokens = o.tokens;
    this.maxPages = o.maxPages ?? 200;
  }

  /**
   * The tenant's whole list (GET /deviceAppManagement/managedAppRegistrations, every page), without policies.
   * v1.0 documents only the tenant-wide list (no $filter on userId, no $expand; /users/{id}/… is beta), so a
   * check reads it once for every user it is about and picks each user's own (enrollment/graph-verification.ts).
   */
  managedAppRegistrations(): Promise<ManagedAppRegistration[]> {
    return this.collection<ManagedAppRegistration>('/deviceAppManagement/managedAppRegistrations', 'list the managed app registrations');
  }

  /** One registration with its appliedPolicies (GET …/managedAppRegistrations/{id}/appliedPolicies). */
  async withAppliedPolicies(registration: ManagedAppRegistration): Promise<ManagedAppRegistrationWithPolicies> {
    return {
      ...registration,
      appliedPolicies: await this.collection<ManagedAppPolicy>(
        `/deviceAppManagement/managedAppRegistrations/${encodeURIComponent(registration.id)}/appliedPolicies`,
        'list the applied policies of a managed app registration',
      ),
    };
  }

  /** GET /identity/conditionalAccess/policies (Policy.Read.All). */
  conditionalAccessPolicies(): Promise<ConditionalAccessPolicy[]> {
    return this.collection('/identity/conditionalAccess/policies', 'list the Conditional Access policies');
  }

  /** GET /servicePrincipals(appId='{appId}') (Application.Read.All); null when the tenant has none for that app. */
  async servicePrincipalByAppId(appId: string): Promise<ServicePrincipal | null> {
    const operation = 'read the service principal of an app';
    const found = await this.transport.get(`/servicePrincipals(appId=${odataString(appId)})`, operation, { notFoundIsNull: true });
    if (found === null) return null;
    const principal = found as Partial<ServicePrincipal>;
    if (typeof principal.id !== 'string' || typeof principal.appId !== 'string') throw graphInvalidResponse(operation, 'no id or appId');
    return principal as ServicePrincipal;
  }

  /** GET /oauth2PermissionGrants?$filter=clientId eq '{id}' (Directory.Read.All): the delegated grants of a client. */
  delegatedGrantsOf(servicePrincipalId: string): Promise<OAuth2PermissionGrant[]> {
    return this.collection(
      `/oauth2PermissionGrants?$filter=${encodeURIComponent('clientId eq ')}${odataString(servicePrincipalId)}`,
      'list the delegated permission grants',
    );
  }

  /** The application permissions (roles claim) of the current app token. */
  async tokenRoles(): Promise<string[]> {
    return rolesOf(await this.tokens.token());
  }

  stats(): GraphStats {
    return this.transport.stats();
  }

  /** An OData collection, following @odata.nextLink for at most maxPages pages. */
  private async collection<T>(path: string, operation: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    for (let page = 0; next !== undefined; page++) {
      if (page >= this.maxPages) throw graphInvalidResponse(operation, `more than ${this.maxPages} pages`);
      const body = (await this.transport.get(next, operation)) as { value?: unknown; '@odata.nextLink'?: unknown };
      if (!Array.isArray(body.value)) throw graphInvalidResponse(operation, 'the answer is not a collection (no value array)');
      items.push(...(body.value as T[]));
      const link = body['@odata.nextLink'];
      next = typeof link === 'string' && link !== '' ? link : undefined;
    }
    return items;
  }
}
