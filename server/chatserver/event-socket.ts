// The chat server's WebSocket (Mattermost API v4 /api/v4/websocket), for the two events mamgate acts on:
// config_changed and license_changed. Written on the `ws` package rather than @mattermost/client's
// WebSocketClient, which is made for browsers: it prints every connect, close and error to standard output with
// console.log (lines that break the service's JSON log stream) and needs browser globals (WebSocket, CloseEvent)
// put on Node's global object. The protocol part used here is small: the token on the upgrade, the `hello`
// event, events as `{event, data, broadcast, seq}` (server/public/model/websocket_message.go), and reconnecting.
import WebSocket from 'ws';

export interface EventSocketOptions {
  url: string;
  token: string;
  /** An event arrived (its name). */
  onEvent(event: string): void;
  /** A connection (the first, or one after a drop) said hello: events may have been missed before it. */
  onConnected(): void;
  onProblem(problem: string): void;
  minRetryMs?: number;
  maxRetryMs?: number;
  pingMs?: number;
}

export class EventSocket {
  private socket: WebSocket | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private closed = false;
  private alive = true;

  constructor(private readonly options: EventSocketOptions) {}

  start(): void {
    if (this.closed) return;
    const socket = new WebSocket(this.options.url, { headers: { Authorization: `Bearer ${this.options.token}` }, handshakeTimeout: 10_000 });
    this.socket = socket;
    socket.on('message', (data) => this.onMessage(String(data)));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('unexpected-response', (_request, response) => {
      this.options.onProblem(`upgrade refused: HTTP ${response.statusCode}`);
      socket.terminate();
    });
    socket.on('error', (error) => this.options.onProblem((error as NodeJS.ErrnoException).code ?? error.name));
    socket.on('close', () => this.reconnectLater());
  }

  private onMessage(text: string): void {
    let message: { event?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message.event !== 'string') return; // a reply to an action
    if (message.event === 'hello') {
      this.failures = 0;
      this.keepAlive();
      this.options.onConnected();
      return;
    }
    this.options.onEvent(message.event);
  }

  /** A connection that stops answering pings is dropped and made again (a half-open TCP connection hears nothing). */
  private keepAlive(): void {
    clearInterval(this.pingTimer);
    this.alive = true;
    this.pingTimer = setInterval(() => {
      if (!this.alive) {
        this.socket?.terminate();
        return;
      }
      this.alive = false;
      this.socket?.ping();
    }, this.options.pingMs ?? 30_000);
    this.pingTimer.unref();
  }

  private reconnectLater(): void {
    clearInterval(this.pingTimer);
    if (this.closed) return;
    const min = this.options.minRetryMs ?? 500;
    const delay = Math.min(this.options.maxRetryMs ?? 5000, min * 2 ** this.failures) + Math.random() * min;
    this.failures++;
    this.retryTimer = setTimeout(() => this.start(), delay);
    this.retryTimer.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.socket?.terminate();
  }
}
