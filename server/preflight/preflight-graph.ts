// Microsoft Graph as the preflight's Graph checks see it: one GraphClient for one run, each question asked once
// however many checks need its answer (the checks run together), failures kept as they were thrown.
import type { GraphClient } from '../graph/graph-client.ts';
import type { OAuth2PermissionGrant, ServicePrincipal } from '../graph/resources.ts';
import type { ConditionalAccessPolicy } from '../graph/resources.ts';

export class PreflightGraph {
  private readonly answers = new Map<string, Promise<unknown>>();

  constructor(private readonly client: GraphClient) {}

  private once<T>(key: string, ask: () => Promise<T>): Promise<T> {
    let answer = this.answers.get(key) as Promise<T> | undefined;
    if (!answer) {
      answer = ask();
      this.answers.set(key, answer);
    }
    return answer;
  }

  /** The application permissions (roles) of the app token; obtaining the token is the credentials' test. */
  tokenRoles(): Promise<string[]> {
    return this.once('roles', () => this.client.tokenRoles());
  }

  conditionalAccessPolicies(): Promise<ConditionalAccessPolicy[]> {
    return this.once('ca', () => this.client.conditionalAccessPolicies());
  }

  servicePrincipalByAppId(appId: string): Promise<ServicePrincipal | null> {
    return this.once(`sp:${appId.toLowerCase()}`, () => this.client.servicePrincipalByAppId(appId));
  }

  delegatedGrantsOf(servicePrincipalId: string): Promise<OAuth2PermissionGrant[]> {
    return this.once(`grants:${servicePrincipalId}`, () => this.client.delegatedGrantsOf(servicePrincipalId));
  }
}
