// The Graph client this node uses, built from the settings it decides on (GraphSettings, the tenant) and the
// environment (authority, Graph URL, a secret that wins over the stored one), and rebuilt when any of them
// changes, so a token is never reused across credentials.
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.ts';
import type { Settings } from '../settings/model.ts';
import { AppTokenProvider } from './app-token.ts';
import { GraphClient } from './graph-client.ts';

export interface GraphEnvironment {
  authority: string;
  graphUrl: string;
  /** MAMGATE_GRAPH_CLIENT_SECRET: wins over GraphSettings.ClientSecret. */
  clientSecret: string | undefined;
}

export class GraphLink {
  private current: { key: string; client: GraphClient } | undefined;

  constructor(
    private readonly env: GraphEnvironment,
    private readonly log: Logger,
  ) {}

  /** The client for these settings, or why there is none. */
  clientFor(settings: Settings): GraphClient | AppError {
    const graph = settings.GraphSettings;
    if (!graph.Enable) return new AppError('mamgate.graph.not_configured.app_error', { params: { Missing: 'GraphSettings.Enable' } });
    const clientSecret = this.env.clientSecret || graph.ClientSecret;
    const tenantId = settings.IntuneSettings.TenantId;
    const missing = !tenantId ? 'IntuneSettings.TenantId' : !graph.ClientId ? 'GraphSettings.ClientId' : !clientSecret ? 'GraphSettings.ClientSecret' : '';
    if (missing) return new AppError('mamgate.graph.not_configured.app_error', { params: { Missing: missing } });
    // The key holds the secret only in memory, to notice a change; it is never logged.
    const key = JSON.stringify([this.env.authority, this.env.graphUrl, tenantId, graph.ClientId, clientSecret]);
    if (this.current?.key !== key) {
      const tokens = new AppTokenProvider({
        authority: this.env.authority,
        tenantId,
        clientId: graph.ClientId,
        clientSecret,
        graphUrl: this.env.graphUrl,
        log: this.log,
      });
      this.current = { key, client: new GraphClient({ graphUrl: this.env.graphUrl, tokens, log: this.log }) };
    }
    return this.current.client;
  }
}
