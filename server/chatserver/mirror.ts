// This node's copy of the chat server's configuration and license. Read at start, again at once when the chat
// server's WebSocket says either changed (config_changed, license_changed: their payloads carry only the client
// parts, so the full view is read again), and on a poll in case the WebSocket is down. A copy older than the
// stale bound is not decided on.
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.ts';
import type { ChatServerView } from './chat-server-view.ts';
import type { ChatServerConnection } from './connection.ts';
import { EventSocket } from './event-socket.ts';

export interface MirrorOptions {
  pollMs: number;
  staleMs: number;
  log: Logger;
}

const CHANGE_EVENTS = new Set(['config_changed', 'license_changed']);

export class ChatServerMirror {
  private view: ChatServerView | undefined;
  private lastError: AppError | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private socket: EventSocket | undefined;
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly connection: ChatServerConnection,
    private readonly options: MirrorOptions,
  ) {}

  /** The first read (its failure is kept, not thrown: the gate then fails closed and /readyz says why). */
  async start(): Promise<void> {
    await this.refresh();
    this.pollTimer = setInterval(() => void this.refresh(), this.options.pollMs);
    this.pollTimer.unref();
    this.listen();
  }

  private listen(): void {
    this.socket = new EventSocket({
      url: this.connection.webSocketUrl(),
      token: this.connection.target.adminToken,
      onEvent: (event) => {
        if (CHANGE_EVENTS.has(event)) void this.refresh();
      },
      // Events sent while the socket was down are lost: read everything again on every (re)connection.
      onConnected: () => void this.refresh(),
      onProblem: (problem) => this.options.log.debug({ chat_server: this.connection.url, problem }, 'chat server websocket'),
    });
    this.socket.start();
  }

  /** Reads the view now; concurrent callers share one read, and a request made during a read gets another. */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        try {
          this.view = await this.connection.readView();
          this.lastError = undefined;
          for (const listener of this.listeners) listener();
        } catch (error) {
          this.lastError = error instanceof AppError ? error : new AppError('mamgate.chatserver.unavailable.app_error');
          this.options.log.warn({ chat_server: this.connection.url, error_id: this.lastError.id }, 'chat server view not read');
        }
      } while (this.again && !this.closed);
    })().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  /** Called after every successful read (the decisions that depend on the view are recomputed). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The view if it is within the stale bound; otherwise the reason it cannot be used. */
  current(now = Date.now()): ChatServerView | AppError {
    if (!this.view) return this.lastError ?? new AppError('mamgate.chatserver.unavailable.app_error');
    const age = now - this.view.readAt;
    if (age > this.options.staleMs) {
      return (
        this.lastError ??
        new AppError('mamgate.chatserver.stale.app_error', {
          params: { Age: Math.round(age / 1000), Bound: Math.round(this.options.staleMs / 1000) },
        })
      );
    }
    return this.view;
  }

  /** When the current view was read (ms since the epoch; 0: never). */
  readAt(): number {
    return this.view?.readAt ?? 0;
  }

  /** When the current view stops being usable (ms since the epoch), for caches built on it. */
  usableUntil(): number {
    return this.view ? this.view.readAt + this.options.staleMs : 0;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.pollTimer);
    this.socket?.close();
    this.listeners.clear();
  }
}
