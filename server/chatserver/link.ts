// Whether this node is the companion of a chat server, and its connection and mirror when it is. The target
// comes from the environment (MAMGATE_CHAT_SERVER_URL / _TOKEN, which win) or from ChatServerSettings; a change
// of either replaces the connection.
import type { Logger } from 'pino';
import type { ChatServerSettings } from './connection-settings.ts';
import { type ChatServerTarget, ChatServerConnection, type ConnectionOptions } from './connection.ts';
import { ChatServerMirror } from './mirror.ts';

export interface ChatServerEnvironment extends ConnectionOptions {
  url: string | undefined;
  token: string | undefined;
  pollMs: number;
  staleMs: number;
}

export type TargetSource = 'environment' | 'mamgate';

export interface ResolvedTarget {
  target: ChatServerTarget | undefined;
  sources: { Url: TargetSource; AdminToken: TargetSource };
}

export function resolveTarget(stored: ChatServerSettings, env: ChatServerEnvironment): ResolvedTarget {
  const url = (env.url || stored.Url).replace(/\/+$/, '');
  const adminToken = env.token || stored.AdminToken;
  return {
    target: url ? { url, adminToken } : undefined,
    sources: { Url: env.url ? 'environment' : 'mamgate', AdminToken: env.token ? 'environment' : 'mamgate' },
  };
}

export class ChatServerLink {
  private current: { connection: ChatServerConnection; mirror: ChatServerMirror } | undefined;
  private readonly listeners = new Set<() => void>();
  private configuring: Promise<void> = Promise.resolve();

  constructor(
    private readonly env: ChatServerEnvironment,
    private readonly log: Logger,
  ) {}

  get connection(): ChatServerConnection | undefined {
    return this.current?.connection;
  }

  get mirror(): ChatServerMirror | undefined {
    return this.current?.mirror;
  }

  /** Where the connection's Url and AdminToken come from for these stored settings. */
  targetSources(stored: ChatServerSettings): ResolvedTarget['sources'] {
    return resolveTarget(stored, this.env).sources;
  }

  get companion(): boolean {
    return this.current !== undefined;
  }

  /** Connects, reconnects or disconnects to match the settings; resolves once the first view was read (or failed). */
  configure(stored: ChatServerSettings): Promise<void> {
    this.configuring = this.configuring.then(() => this.apply(resolveTarget(stored, this.env).target));
    return this.configuring;
  }

  private async apply(target: ChatServerTarget | undefined): Promise<void> {
    const same =
      this.current?.connection.target.url === target?.url && this.current?.connection.target.adminToken === target?.adminToken;
    if (same) return;
    this.current?.mirror.close();
    this.current = undefined;
    if (target) {
      const connection = new ChatServerConnection(target, this.env);
      const mirror = new ChatServerMirror(connection, { pollMs: this.env.pollMs, staleMs: this.env.staleMs, log: this.log });
      mirror.onChange(() => this.notify());
      this.current = { connection, mirror };
      this.log.info({ chat_server: target.url }, 'companion of a chat server');
      await mirror.start();
    }
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Called after every change of the target or of the chat server's view. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.current?.mirror.close();
    this.current = undefined;
    this.listeners.clear();
  }
}
