// The WebSocket at /api/v4/websocket, after api4/websocket.go, platform/websocket_router.go and
// platform/web_conn.go in mattermost/mattermost. A connection authenticated by its upgrade request is registered
// at once and sent `hello`; otherwise it must send {"seq":n,"action":"authentication_challenge","data":{"token":t}}
// (answered {"status":"OK","seq_reply":n}, then hello); a challenge with a missing or invalid token closes the
// socket, as does staying unauthenticated past the auth check interval (5 s there). Before authentication every
// other action is answered with api.web_socket_router.not_authenticated.app_error. Events are
// {"event","data","broadcast","seq"} with seq counting from 0 on each connection (model/websocket_message.go);
// replies are {"status","seq_reply","data"|"error"}. config_changed and license_changed carry no scope in their
// broadcast, so every authenticated connection receives them. When a session is revoked dev-chat closes its
// sockets at once (a real server notices on its next session check).
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { ChatError } from './chat-error.ts';
import type { ChatState } from './chat-state.ts';
import { newId } from './ids.ts';
import type { ChatSession } from './model.ts';

interface Connection {
  ws: WebSocket;
  connectionId: string;
  token?: string;
  session?: ChatSession;
  nextSeq: number;
  authTimer?: NodeJS.Timeout;
}

interface SocketRequest {
  seq?: unknown;
  action?: unknown;
  data?: unknown;
}

export class WebSocketHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly connections = new Set<Connection>();
  opened = 0;

  constructor(
    private readonly state: ChatState,
    private readonly authTimeoutMs: number,
  ) {}

  accept(req: IncomingMessage, socket: Duplex, head: Buffer, auth?: { session: ChatSession; token: string }): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, auth));
  }

  private attach(ws: WebSocket, auth?: { session: ChatSession; token: string }): void {
    const conn: Connection = { ws, connectionId: newId(), nextSeq: 0 };
    this.connections.add(conn);
    this.opened++;
    ws.on('message', (data) => this.onMessage(conn, data));
    ws.on('close', () => {
      clearTimeout(conn.authTimer);
      this.connections.delete(conn);
    });
    ws.on('error', () => ws.terminate());
    if (auth) this.register(conn, auth.session, auth.token);
    else conn.authTimer = setTimeout(() => conn.session || ws.close(), this.authTimeoutMs);
  }

  private register(conn: Connection, session: ChatSession, token: string): void {
    clearTimeout(conn.authTimer);
    conn.session = session;
    conn.token = token;
    const data = { server_version: this.state.helloServerVersion(), connection_id: conn.connectionId, server_hostname: hostname() };
    this.sendEvent(conn, 'hello', data, session.user_id);
  }

  /** WebConn.IsAuthenticated: the session must still be valid (revoked, expired or deactivated ones are not). */
  private authenticated(conn: Connection): boolean {
    return conn.token !== undefined && this.state.store.sessionForToken(conn.token) !== undefined;
  }

  private send(conn: Connection, message: unknown): void {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(message));
  }

  private sendEvent(conn: Connection, event: string, data: Record<string, unknown>, userId = ''): void {
    const broadcast = { omit_users: null, user_id: userId, channel_id: '', team_id: '', connection_id: '', omit_connection_id: '' };
    this.send(conn, { event, data, broadcast, seq: conn.nextSeq++ });
  }

  private reply(conn: Connection, seq: number, data?: Record<string, unknown>): void {
    this.send(conn, { status: 'OK', seq_reply: seq, ...(data ? { data } : {}) });
  }

  private replyError(conn: Connection, seq: number, error: ChatError): void {
    this.send(conn, { status: 'FAIL', seq_reply: seq, error: error.toBody(undefined, false) });
  }

  private onMessage(conn: Connection, raw: RawData): void {
    let request: SocketRequest;
    try {
      request = JSON.parse(raw.toString()) as SocketRequest;
    } catch {
      conn.ws.close(); // an undecodable message ends the read pump
      return;
    }
    const seq = typeof request.seq === 'number' ? request.seq : 0;
    const action = typeof request.action === 'string' ? request.action : '';
    const answer = this.answer(conn, seq, action, request.data);
    if (answer instanceof ChatError) this.replyError(conn, seq, answer);
    else if (answer) this.reply(conn, seq, answer === true ? undefined : answer);
  }

  /** The router (platform/websocket_router.go): true for a bare OK, data for OK with data, an error, or nothing. */
  private answer(conn: Connection, seq: number, action: string, data: unknown): ChatError | Record<string, unknown> | boolean {
    if (action === '') return new ChatError(400, 'api.web_socket_router.no_action.app_error');
    if (seq <= 0) return new ChatError(400, 'api.web_socket_router.bad_seq.app_error');
    if (action === 'authentication_challenge') {
      if (conn.token !== undefined) return false; // already authenticated: ignored
      const token = (data as { token?: unknown } | null | undefined)?.token;
      const session = typeof token === 'string' ? this.state.store.sessionForToken(token) : undefined;
      if (typeof token !== 'string' || !session) {
        conn.ws.close();
        return false;
      }
      this.reply(conn, seq);
      this.register(conn, session, token);
      return false;
    }
    if (!this.authenticated(conn)) return new ChatError(401, 'api.web_socket_router.not_authenticated.app_error');
    if (action === 'ping') return { text: 'pong', version: this.state.build.version, server_time: Date.now(), node_id: '' };
    return new ChatError(500, 'api.web_socket_router.bad_action.app_error');
  }

  /** An unscoped event, to every authenticated connection. */
  broadcast(event: string, data: Record<string, unknown>): void {
    for (const conn of this.connections) if (this.authenticated(conn)) this.sendEvent(conn, event, data);
  }

  closeSessions(sessionIds: Set<string>): void {
    for (const conn of this.connections) if (conn.session && sessionIds.has(conn.session.id)) conn.ws.close(1000, 'session revoked');
  }

  /** Drops every connection without a closing handshake, as a network failure would. */
  dropAll(): void {
    for (const conn of this.connections) conn.ws.terminate();
  }

  counts(): { open: number; authenticated: number; opened: number } {
    const open = this.connections.size;
    const authenticated = [...this.connections].filter((c) => this.authenticated(c)).length;
    return { open, authenticated, opened: this.opened };
  }

  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
