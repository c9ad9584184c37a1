// @mattermost/client's WebSocketClient is written for browsers: besides the socket it is given, it reads the
// global WebSocket (for WebSocket.OPEN) and makes CloseEvents, neither of which Node 20 has. They are provided
// here, once, from the `ws` package and a minimal CloseEvent, before the first WebSocketClient is made.
import WebSocket from 'ws';

class NodeCloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  constructor(type: string, init: { code?: number; reason?: string; wasClean?: boolean } = {}) {
    super(type);
    this.code = init.code ?? 0;
    this.reason = init.reason ?? '';
    this.wasClean = init.wasClean ?? false;
  }
}

export function provideWebSocketGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  g.WebSocket ??= WebSocket;
  g.CloseEvent ??= NodeCloseEvent;
}
