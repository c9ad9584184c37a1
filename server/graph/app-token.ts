// An app-only Microsoft Graph token by the OAuth2 client-credentials grant:
//   POST {authority}/{tenant}/oauth2/v2.0/token  client_id, client_secret, grant_type=client_credentials,
//   scope={graphUrl}/.default
// Cached until shortly before it expires, fetched one at a time however many callers wait (single-flight).
// Hand-written with fetch rather than MSAL for Node: MSAL refuses authorities that are not https, and the
// development authority (mamgate dev-idp) is loopback http://.
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.ts';
import { describeFetchFailure, parseJson, readCapped } from '../util/capped-fetch.ts';
import { scrub, tokenEndpointRefusal } from './token-endpoint-refusal.ts';

export const PUBLIC_GRAPH_URL = 'https://graph.microsoft.com';

/** Refresh this long before expiry, or 10% of the lifetime when that is shorter (short-lived tokens). */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;
const REFRESH_MARGIN_SHARE = 0.1;

export interface AppTokenOptions {
  /** e.g. https://login.microsoftonline.com or http://127.0.0.1:9000 */
  authority: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** The Graph base URL the token is for; default https://graph.microsoft.com. */
  graphUrl?: string;
  /** Per token request; default 5000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  log?: Logger;
  /** Clock, for tests of the refresh time. */
  now?: () => number;
}

/** What the Graph client needs from a token source: a usable token, and a fresh one after a 401. */
export interface GraphTokenSource {
  token(): Promise<string>;
  /** A token other than `rejected` (fetched now unless another caller already replaced it). */
  refresh(rejected?: string): Promise<string>;
}

interface CachedToken {
  accessToken: string;
  refreshAt: number;
  expiresAt: number;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The client-credentials scope: every application permission granted on that Graph resource. */
export function graphScope(graphUrl: string): string {
  return `${withoutTrailingSlash(graphUrl)}/.default`;
}

export class AppTokenProvider implements GraphTokenSource {
  private readonly endpoint: string;
  private readonly scope: string;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private cached?: CachedToken;
  private inflight?: Promise<CachedToken>;
  private requests = 0;

  constructor(private readonly o: AppTokenOptions) {
    this.endpoint = `${withoutTrailingSlash(o.authority)}/${encodeURIComponent(o.tenantId)}/oauth2/v2.0/token`;
    new URL(this.endpoint); // fail at start-up, not at the first evidence check
    this.scope = graphScope(o.graphUrl ?? PUBLIC_GRAPH_URL);
    this.timeoutMs = o.timeoutMs ?? 5000;
    this.fetch = o.fetch ?? globalThis.fetch;
    this.now = o.now ?? Date.now;
  }

  async token(): Promise<string> {
    const cached = this.cached;
    if (cached && this.now() < cached.refreshAt) return cached.accessToken;
    try {
      return (await this.singleFlight()).accessToken;
    } catch (error) {
      // An early refresh that fails does not throw away a token that is still valid.
      if (cached && this.now() < cached.expiresAt) return cached.accessToken;
      throw error;
    }
  }

  async refresh(rejected?: string): Promise<string> {
    if (this.cached && rejected !== undefined && this.cached.accessToken !== rejected) return this.cached.accessToken;
    this.cached = undefined;
    return (await this.singleFlight()).accessToken;
  }

  /** Token requests made (for tests and the bench). */
  stats(): { requests: number; cached: boolean } {
    return { requests: this.requests, cached: this.cached !== undefined };
  }

  private singleFlight(): Promise<CachedToken> {
    this.inflight ??= this.request().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async request(): Promise<CachedToken> {
    this.requests++;
    const started = this.now();
    const form = new URLSearchParams({
      client_id: this.o.clientId,
      client_secret: this.o.clientSecret,
      grant_type: 'client_credentials',
      scope: this.scope,
    });
    let status: number;
    let text: string;
    try {
      const response = await this.fetch(this.endpoint, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
        headers: { accept: 'application/json' },
      });
      status = response.status;
      text = await readCapped(response, 256 * 1024);
    } catch (error) {
      throw this.unavailable(describeFetchFailure(error, this.timeoutMs), error);
    }
    const body = parseJson(text);
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
    if (status >= 500 || status === 429 || !fields) {
      throw this.unavailable(fields ? `HTTP ${status} ${String(fields.error ?? '')}`.trim() : `HTTP ${status}, not a JSON answer`);
    }
    if (status !== 200) {
      const refusal = tokenEndpointRefusal(status, fields, { tenantId: this.o.tenantId, clientId: this.o.clientId, secret: this.o.clientSecret });
      this.o.log?.warn({ err_id: refusal.id, detail: refusal.detailed }, 'graph token refused');
      throw refusal;
    }
    const accessToken = fields.access_token;
    const expiresIn = Number(fields.expires_in);
    if (typeof accessToken !== 'string' || accessToken === '' || !(expiresIn > 0)) {
      throw this.unavailable('the answer has no access_token or expires_in');
    }
    const lifetimeMs = expiresIn * 1000;
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs * REFRESH_MARGIN_SHARE);
    this.cached = { accessToken, expiresAt: started + lifetimeMs, refreshAt: started + lifetimeMs - margin };
    this.o.log?.debug({ expires_in: expiresIn }, 'graph token obtained');
    return this.cached;
  }

  private unavailable(reason: string, cause?: unknown): AppError {
    const safe = scrub(reason, this.o.clientSecret);
    this.o.log?.warn({ reason: safe }, 'graph token endpoint unavailable');
    return new AppError('mamgate.graph.token.unavailable.app_error', { params: { Reason: safe }, detailed: `POST ${this.endpoint}: ${safe}`, cause });
  }
}
