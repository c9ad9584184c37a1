// What operators alert on in companion mode and with Graph evidence, read when /metrics is scraped (nothing on
// the request path): how old the chat server's view is, calls to it in flight and by outcome, mobile-session
// revocations still waiting for the chat server, and whether Graph checks succeed.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ChatServerLink } from '../chatserver/link.ts';
import type { Database } from '../db/connect.ts';
import { chatRevocationStore } from '../db/stores/chat-revocation-store.ts';
import type { GraphRechecks } from '../enrollment/graph-rechecks.ts';

export type ChatServerCallOutcome = 'ok' | 'refused' | 'unavailable';

export function chatServerCallCounter(registry: Registry): Counter<'call' | 'outcome'> {
  return new Counter({
    name: 'mamgate_chat_server_calls_total',
    help: 'Calls to the chat server by call (e.g. GET /users/me) and outcome (ok, refused: 401/403, unavailable)',
    labelNames: ['call', 'outcome'],
    registers: [registry],
  });
}

export function registerCompanionGauges(registry: Registry, parts: { link: ChatServerLink; rechecks: GraphRechecks; db: Database }): void {
  new Gauge({
    name: 'mamgate_chat_server_view_age_seconds',
    help: "Age of the chat server's configuration and license this node decides on (-1: none read, or standalone)",
    registers: [registry],
    collect() {
      const readAt = parts.link.mirror?.readAt() ?? 0;
      this.set(readAt > 0 ? Math.max(0, (Date.now() - readAt) / 1000) : -1);
    },
  });
  new Gauge({
    name: 'mamgate_chat_server_calls_in_flight',
    help: 'Calls to the chat server under way on this node (at most 16)',
    registers: [registry],
    collect() {
      this.set(parts.link.connection?.activeCalls ?? 0);
    },
  });
  new Gauge({
    name: 'mamgate_chat_revocations_pending',
    help: 'Requests to end mobile sessions on the chat server not confirmed yet (all nodes)',
    registers: [registry],
    async collect() {
      this.set(parts.link.companion ? await chatRevocationStore.pendingCount(parts.db) : 0);
    },
  });
  new Gauge({
    name: 'mamgate_graph_up',
    help: 'Whether the last Microsoft Graph check succeeded (1), failed (0), or none ran yet (-1)',
    registers: [registry],
    collect() {
      const status = parts.rechecks.status();
      this.set(status.last_error_id ? 0 : status.last_sweep_at ? 1 : -1);
    },
  });
  new Gauge({
    name: 'mamgate_graph_users_watched',
    help: 'Protected users this node re-checks with Microsoft Graph',
    registers: [registry],
    collect() {
      this.set(parts.rechecks.status().watched);
    },
  });
}
