// The one place that talks to the chat server's REST API (Mattermost API v4, through @mattermost/client's
// Client4). Every call has a timeout and goes through one concurrency limit; failures become catalogue errors
// in the domain's words: a token the chat server refuses is an answer (null), everything else is "unavailable".
import mm from '@mattermost/client';
import { AppError } from '../errors/app-error.ts';
import { CallLimit } from './call-limit.ts';
import { type ChatSession, type ChatUser, chatSessionOf, chatUserOf } from './chat-user.ts';
import { type ChatServerView, chatServerViewOf } from './chat-server-view.ts';

const { Client4, ClientError } = mm;

/** Client4 with its fetch opened up, for calls made with another session's token or a timeout signal. */
class CompanionClient extends Client4 {
  fetchJson(url: string, options: { method: string; body?: string; headers: Record<string, string>; signal: AbortSignal }) {
    return this.doFetch<unknown>(url, options);
  }
}

export interface ChatServerTarget {
  url: string;
  adminToken: string;
}

export interface ConnectionOptions {
  timeoutMs?: number;
  maxConcurrent?: number;
  maxQueued?: number;
  /** Told of every call's outcome, for the metrics. */
  onCall?: (call: string, outcome: 'ok' | 'refused' | 'unavailable') => void;
}

/** Defaults: 3 s a call, 16 calls at once per node, 2,000 waiting. */
export const CHAT_SERVER_CALL_DEFAULTS = { timeoutMs: 3000, maxConcurrent: 16, maxQueued: 2000 } as const;

function statusOf(error: unknown): number | undefined {
  return error instanceof ClientError ? (error as { status_code?: number }).status_code : undefined;
}

export class ChatServerConnection {
  private readonly client: CompanionClient;
  private readonly limit: CallLimit;
  private readonly timeoutMs: number;
  private readonly onCall: NonNullable<ConnectionOptions['onCall']>;

  constructor(
    readonly target: ChatServerTarget,
    options: ConnectionOptions = {},
  ) {
    this.client = new CompanionClient();
    this.client.setUrl(target.url);
    this.client.setToken(target.adminToken);
    this.client.setIncludeCookies(false);
    this.client.setUserAgent('mamgate');
    this.timeoutMs = options.timeoutMs ?? CHAT_SERVER_CALL_DEFAULTS.timeoutMs;
    this.onCall = options.onCall ?? (() => undefined);
    this.limit = new CallLimit(
      options.maxConcurrent ?? CHAT_SERVER_CALL_DEFAULTS.maxConcurrent,
      options.maxQueued ?? CHAT_SERVER_CALL_DEFAULTS.maxQueued,
    );
  }

  get url(): string {
    return this.target.url;
  }

  /** Calls in flight now, for the bench and /metrics. */
  get activeCalls(): number {
    return this.limit.active;
  }

  private unavailable(what: string, error: unknown): AppError {
    const status = statusOf(error);
    // The detail names the call and the status only: a ClientError's message may quote the request URL.
    const detailed = status ? `${what}: HTTP ${status}` : `${what}: ${(error as Error)?.name === 'TimeoutError' ? 'timed out' : 'no answer'}`;
    return new AppError('mamgate.chatserver.unavailable.app_error', { detailed, headers: { 'Retry-After': '2' } });
  }

  private async call<T>(what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      const outcome = await this.limit.run(() => run(AbortSignal.timeout(this.timeoutMs)));
      if (!outcome.ran) throw this.unavailable(what, new Error('queue full'));
      this.onCall(what, 'ok');
      return outcome.value;
    } catch (error) {
      const status = statusOf(error);
      this.onCall(what, status === 401 || status === 403 ? 'refused' : 'unavailable');
      throw error;
    }
  }

  private fetchJson(path: string, signal: AbortSignal, init: { method?: string; body?: string; token?: string } = {}) {
    const headers: Record<string, string> = {};
    if (init.token !== undefined) headers.Authorization = `Bearer ${init.token}`;
    return this.client.fetchJson(`${this.client.getBaseRoute()}${path}`, {
      method: init.method ?? 'get',
      body: init.body,
      headers,
      signal,
    });
  }

  /** Who a session token belongs to; null when the chat server refuses the token (401). */
  async whoIs(token: string): Promise<ChatUser | null> {
    try {
      return await this.call('GET /users/me', async (signal) => chatUserOf(await this.fetchJson('/users/me', signal, { token })));
    } catch (error) {
      if (statusOf(error) === 401) return null;
      if (error instanceof AppError) throw error;
      throw this.unavailable('GET /users/me', error);
    }
  }

  private async adminCall<T>(what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.call(what, run);
    } catch (error) {
      if (error instanceof AppError) throw error;
      const status = statusOf(error);
      if (status === 401 || status === 403) {
        throw new AppError('mamgate.chatserver.admin_token_refused.app_error', { params: { Status: status }, detailed: what });
      }
      throw this.unavailable(what, error);
    }
  }

  /** The configuration and license the decisions depend on, read together. */
  async readView(): Promise<ChatServerView> {
    const [config, license] = await Promise.all([
      this.adminCall('GET /config', (signal) => this.fetchJson('/config', signal)),
      this.adminCall('GET /license/client', (signal) => this.fetchJson('/license/client?format=old', signal)),
    ]);
    return chatServerViewOf(config as Record<string, unknown>, license as Record<string, unknown>, Date.now());
  }

  async sessionsOf(userId: string): Promise<ChatSession[]> {
    const sessions = await this.adminCall('GET /users/{id}/sessions', (signal) =>
      this.fetchJson(`/users/${encodeURIComponent(userId)}/sessions`, signal),
    );
    return Array.isArray(sessions) ? sessions.map(chatSessionOf) : [];
  }

  async revokeSession(userId: string, sessionId: string): Promise<void> {
    await this.adminCall('POST /users/{id}/sessions/revoke', (signal) =>
      this.fetchJson(`/users/${encodeURIComponent(userId)}/sessions/revoke`, signal, {
        method: 'post',
        body: JSON.stringify({ session_id: sessionId }),
      }),
    );
  }

  /** Accounts by username (POST /users/usernames); usernames the chat server does not know are left out. */
  async usersByUsername(usernames: string[]): Promise<ChatUser[]> {
    const users = await this.adminCall('POST /users/usernames', (signal) =>
      this.fetchJson('/users/usernames', signal, { method: 'post', body: JSON.stringify(usernames) }),
    );
    return Array.isArray(users) ? users.map(chatUserOf) : [];
  }

  /** The WebSocket URL of the chat server, for the event listener. */
  webSocketUrl(): string {
    return `${this.target.url.replace(/^http/, 'ws')}/api/v4/websocket`;
  }
}
