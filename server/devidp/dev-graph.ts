// A development Microsoft Graph under /graph/v1.0/ of the dev issuer: exactly the endpoints server/graph calls, in
// Graph's published shapes (OData collections with @odata.context, value and @odata.nextLink; errors as
// {"error":{"code","message","innerError"}}). Each call is answered in Graph's order: fault mode (down, hang),
// bearer token (401 InvalidAuthenticationToken), permission (403 Authorization_RequestDenied), throttling (429 with
// Retry-After), then the data. The data, faults and page size are set through /admin/graph/* or DevIdp.graph.
// One directory for every tenant: it models what the client sees, not Entra's multi-tenancy.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BearerRefused, checkBearer } from './graph-bearer.ts';
import { send } from './http-io.ts';
import type { KeyRing } from './key-ring.ts';

export type GraphMode = 'up' | 'down' | 'hang';

const policySchema = z.looseObject({ id: z.string().optional(), displayName: z.string().optional(), '@odata.type': z.string().optional() });

export const registrationSchema = z.looseObject({
  id: z.string().optional(),
  '@odata.type': z.string().optional(),
  appIdentifier: z.looseObject({ '@odata.type': z.string(), bundleId: z.string().optional(), packageId: z.string().optional() }),
  lastSyncDateTime: z.string().optional(),
  flaggedReasons: z.array(z.string()).optional(),
  /** Served by …/managedAppRegistrations/{id}/appliedPolicies, not in the registration itself (a relationship). */
  appliedPolicies: z.array(policySchema).optional(),
});
export type RegistrationInput = z.input<typeof registrationSchema>;

export const faultSchema = z.strictObject({
  /** The Graph endpoints: up, down (503 without Retry-After), hang (held unanswered). */
  mode: z.enum(['up', 'down', 'hang']).optional(),
  /** The token endpoint of the client-credentials grant. */
  tokenEndpoint: z.enum(['up', 'down', 'hang']).optional(),
  /** The next `times` Graph calls answer `status` (429 default, or 503) with Retry-After seconds. */
  throttle: z.strictObject({ times: z.number().int().min(0), retryAfterSeconds: z.number().int().min(0), status: z.union([z.literal(429), z.literal(503)]).optional() }).optional(),
});
export type GraphFault = z.input<typeof faultSchema>;

export interface DevGraphStats {
  /** Graph calls per endpoint, refused ones included. */
  calls: Record<string, number>;
  throttled: number;
  unauthorized: number;
  forbidden: number;
  tokenRequests: number;
  tokensIssued: number;
  mode: GraphMode;
  tokenEndpoint: GraphMode;
  pageSize: number;
}

type Entity = Record<string, unknown> & { id: string };

interface Endpoint {
  name: string;
  roles: string[];
  answer(match: RegExpExecArray, query: URLSearchParams): { context: string; items: Entity[] } | Entity | null;
}

const REGISTRATIONS_READ = ['DeviceManagementApps.Read.All', 'DeviceManagementApps.ReadWrite.All'];

function withId<T extends { id?: string }>(value: T): T & { id: string } {
  return { ...value, id: value.id ?? randomUUID() };
}

export class DevGraph {
  private registrations = new Map<string, Entity[]>();
  private appliedPolicies = new Map<string, Entity[]>();
  private conditionalAccess: Entity[] = [];
  private servicePrincipals: Entity[] = [];
  private grants: Entity[] = [];
  private pageSize = 100;
  private mode: GraphMode = 'up';
  private tokenMode: GraphMode = 'up';
  private throttle = { times: 0, retryAfterSeconds: 0, status: 429 };
  private readonly issued = new Set<string>();
  private readonly revoked = new Set<string>();
  private readonly held = new Set<ServerResponse>();
  private counters = { calls: {} as Record<string, number>, throttled: 0, unauthorized: 0, forbidden: 0, tokenRequests: 0, tokensIssued: 0 };

  constructor(
    private readonly ring: KeyRing,
    /** e.g. http://127.0.0.1:9000/graph, known once the server listens. */
    private readonly resource: () => string,
  ) {}

  // --- data ---

  /** Replaces the user's registrations; returns them as Graph serves them. */
  setRegistrations(userId: string, inputs: RegistrationInput[]): Entity[] {
    // The old ones go first: a new registration may keep an old one's id (the same app on the same device).
    for (const old of this.registrations.get(userId.toLowerCase()) ?? []) this.appliedPolicies.delete(old.id);
    const stored = inputs.map((input) => {
      const { appliedPolicies = [], ...registration } = registrationSchema.parse(input);
      const ios = registration.appIdentifier['@odata.type'].toLowerCase().includes('ios');
      const entity: Entity = withId({
        '@odata.type': ios ? '#microsoft.graph.iosManagedAppRegistration' : '#microsoft.graph.androidManagedAppRegistration',
        createdDateTime: new Date().toISOString(),
        lastSyncDateTime: new Date().toISOString(),
        flaggedReasons: [],
        version: '1',
        ...registration,
        userId,
      });
      this.appliedPolicies.set(
        entity.id,
        appliedPolicies.map((policy) => withId({ '@odata.type': ios ? '#microsoft.graph.iosManagedAppProtection' : '#microsoft.graph.androidManagedAppProtection', ...policy })),
      );
      return entity;
    });
    this.registrations.set(userId.toLowerCase(), stored);
    return stored;
  }

  setConditionalAccessPolicies(policies: Record<string, unknown>[]): void {
    this.conditionalAccess = policies.map((policy) => withId(policy as { id?: string }));
  }

  setServicePrincipals(principals: { appId: string; [property: string]: unknown }[]): void {
    this.servicePrincipals = principals.map((principal) => withId(principal as { appId: string; id?: string }));
  }

  setPermissionGrants(grants: { clientId: string; [property: string]: unknown }[]): void {
    this.grants = grants.map((grant) => withId(grant as { clientId: string; id?: string }));
  }

  setPageSize(size: number): void {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('pageSize must be a positive integer');
    this.pageSize = size;
  }

  setFault(fault: GraphFault): void {
    const parsed = faultSchema.parse(fault);
    if (parsed.mode) this.mode = parsed.mode;
    if (parsed.tokenEndpoint) this.tokenMode = parsed.tokenEndpoint;
    if (parsed.throttle) this.throttle = { status: 429, ...parsed.throttle };
    if (this.mode !== 'hang' && this.tokenMode !== 'hang') this.releaseHeld();
  }

  /** Every token issued so far answers 401 from now on (to exercise a client's refresh). */
  revokeIssuedTokens(): void {
    for (const uti of this.issued) this.revoked.add(uti);
  }

  stats(): DevGraphStats {
    return { ...this.counters, calls: { ...this.counters.calls }, mode: this.mode, tokenEndpoint: this.tokenMode, pageSize: this.pageSize };
  }

  reset(): void {
    this.registrations.clear();
    this.appliedPolicies.clear();
    this.conditionalAccess = [];
    this.servicePrincipals = [];
    this.grants = [];
    this.pageSize = 100;
    this.mode = 'up';
    this.tokenMode = 'up';
    this.throttle = { times: 0, retryAfterSeconds: 0, status: 429 };
    this.counters = { calls: {}, throttled: 0, unauthorized: 0, forbidden: 0, tokenRequests: 0, tokensIssued: 0 };
  }

  stop(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }

  // --- the token endpoint's side (client-credentials.ts issues, this keeps count and the fault) ---

  /** false when the token endpoint is down or hanging (the answer is then given here). */
  tokenEndpointUp(res: ServerResponse): boolean {
    this.counters.tokenRequests++;
    if (this.tokenMode === 'hang') return this.hold(res);
    if (this.tokenMode === 'down') {
      send(res, 503, { error: 'temporarily_unavailable', error_description: 'AADSTS90033: A transient error has occurred. Please try again.', error_codes: [90033] });
      return false;
    }
    return true;
  }

  issuedToken(uti: string): void {
    this.counters.tokensIssued++;
    this.issued.add(uti);
  }

  // --- the Graph endpoints ---

  private readonly endpoints: [RegExp, Endpoint][] = [
    [
      /^\/deviceAppManagement\/managedAppRegistrations$/,
      {
        name: 'managedAppRegistrations',
        roles: REGISTRATIONS_READ,
        answer: () => ({ context: 'deviceAppManagement/managedAppRegistrations', items: [...this.registrations.values()].flat() }),
      },
    ],
    [
      /^\/deviceAppManagement\/managedAppRegistrations\/([^/]+)\/appliedPolicies$/,
      {
        name: 'appliedPolicies',
        roles: REGISTRATIONS_READ,
        answer: (match) => {
          const policies = this.appliedPolicies.get(decodeURIComponent(match[1] ?? ''));
          return policies ? { context: `deviceAppManagement/managedAppRegistrations('${match[1]}')/appliedPolicies`, items: policies } : null;
        },
      },
    ],
    [
      /^\/identity\/conditionalAccess\/policies$/,
      {
        name: 'conditionalAccessPolicies',
        roles: ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'],
        answer: () => ({ context: 'identity/conditionalAccess/policies', items: this.conditionalAccess }),
      },
    ],
    [
      /^\/servicePrincipals\(appId='([^']*)'\)$/,
      {
        name: 'servicePrincipalByAppId',
        roles: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'],
        answer: (match) => {
          const appId = (match[1] ?? '').toLowerCase();
          const found = this.servicePrincipals.find((principal) => String(principal.appId).toLowerCase() === appId);
          return found ? { '@odata.context': `${this.resource()}/v1.0/$metadata#servicePrincipals/$entity`, ...found } : null;
        },
      },
    ],
    [
      /^\/oauth2PermissionGrants$/,
      {
        name: 'oauth2PermissionGrants',
        roles: ['Directory.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'],
        answer: (_match, query) => {
          const filter = query.get('$filter');
          if (filter === null) return { context: 'oauth2PermissionGrants', items: this.grants };
          const clientId = /^clientId eq '([^']*)'$/.exec(filter)?.[1];
          if (clientId === undefined) throw new GraphProblem(400, 'BadRequest', `Invalid filter clause: ${filter}`);
          return { context: 'oauth2PermissionGrants', items: this.grants.filter((grant) => grant.clientId === clientId) };
        },
      },
    ],
  ];

  /** Answers GET /graph/v1.0/{path}. */
  handle(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
    const found = this.endpoints.map(([pattern, endpoint]) => ({ endpoint, match: pattern.exec(decodeURIComponent(path)) })).find((m) => m.match);
    const name = found?.endpoint.name ?? 'unknown';
    this.counters.calls[name] = (this.counters.calls[name] ?? 0) + 1;
    try {
      if (this.mode === 'hang') return void this.hold(res);
      if (this.mode === 'down') throw new GraphProblem(503, 'ServiceUnavailable', 'The service is temporarily unavailable (dev-idp admin: down).');
      const caller = this.authenticate(req.headers.authorization);
      if (!found?.match) throw new GraphProblem(400, 'BadRequest', `Resource not found for the segment '${path}'.`);
      if (req.method !== 'GET') throw new GraphProblem(405, 'Request_BadRequest', `${req.method} is not supported here.`);
      if (!found.endpoint.roles.some((role) => caller.roles.includes(role))) {
        this.counters.forbidden++;
        throw new GraphProblem(403, 'Authorization_RequestDenied', `Insufficient privileges to complete the operation. Needs one of: ${found.endpoint.roles.join(', ')}.`);
      }
      if (this.throttle.times > 0) {
        this.throttle.times--;
        this.counters.throttled++;
        const status = this.throttle.status;
        throw new GraphProblem(status, status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', 'Too many requests (dev-idp admin: throttle).', {
          'retry-after': String(this.throttle.retryAfterSeconds),
        });
      }
      const answer = found.endpoint.answer(found.match, query);
      if (answer === null) throw new GraphProblem(404, 'Request_ResourceNotFound', `Resource '${path}' does not exist or one of its queried reference-property objects are not present.`);
      if ('items' in answer && Array.isArray(answer.items)) this.page(res, path, query, answer as { context: string; items: Entity[] });
      else send(res, 200, answer);
    } catch (error) {
      if (!(error instanceof GraphProblem)) throw error;
      send(res, error.status, { error: { code: error.code, message: error.message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID(), 'client-request-id': randomUUID() } } }, error.headers);
    }
  }

  private authenticate(authorization: string | undefined) {
    try {
      return checkBearer(authorization, { ring: this.ring, resource: this.resource(), isRevoked: (uti) => this.revoked.has(uti) });
    } catch (error) {
      if (!(error instanceof BearerRefused)) throw error;
      this.counters.unauthorized++;
      throw new GraphProblem(401, 'InvalidAuthenticationToken', error.message);
    }
  }

  /** One page of an OData collection; $skiptoken (an offset here, opaque to clients) picks it. */
  private page(res: ServerResponse, path: string, query: URLSearchParams, answer: { context: string; items: Entity[] }): void {
    const offset = Number(query.get('$skiptoken') ?? '0');
    if (!Number.isInteger(offset) || offset < 0) throw new GraphProblem(400, 'BadRequest', 'Invalid $skiptoken.');
    const value = answer.items.slice(offset, offset + this.pageSize);
    const body: Record<string, unknown> = { '@odata.context': `${this.resource()}/v1.0/$metadata#${answer.context}`, value };
    if (offset + this.pageSize < answer.items.length) {
      const next = new URL(`${this.resource()}/v1.0${path}`);
      for (const [name, value] of query) if (name !== '$skiptoken') next.searchParams.set(name, value);
      next.searchParams.set('$skiptoken', String(offset + this.pageSize));
      body['@odata.nextLink'] = next.toString();
    }
    send(res, 200, body);
  }

  private hold(res: ServerResponse): false {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
    return false;
  }

  private releaseHeld(): void {
    for (const res of this.held) res.destroy();
    this.held.clear();
  }
}

class GraphProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
