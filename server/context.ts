// The ground floor: what every domain operation is handed (the service context) and who acted (the actor). Types
// only; the composition root (runtime/service.ts) builds the context, and nothing here imports a domain module that
// needs the context back.
import type { Logger } from 'pino';
import type { ChangeSource } from './changes/feed.ts';
import type { ChatServerLink } from './chatserver/link.ts';
import type { Database } from './db/connect.ts';
import type { GraphRecheckRequests } from './enrollment/graph-recheck-requests.ts';
import type { GraphLink } from './graph/graph-link.ts';
import type { OutcomeMetrics } from './observability/outcome-metrics.ts';

/** Who did something, for the audit log and the "saved by" of a version. Never holds a secret. */
export interface Actor {
  name: string;
  requestId: string | null;
}

/** What domain operations need: storage, a logger and the channel that tells other parts about changes. */
export interface ServiceContext {
  db: Database;
  log: Logger;
  changes: ChangeSource;
  /** Base URL of Entra discovery and keys, for checks that reach it. */
  entraAuthority: string;
  /** The chat server this node is the companion of (absent in commands that run without the service). */
  chatServer?: ChatServerLink;
  /** MAMGATE_CHAT_SERVER_URL, for commands that run without the service (and so without chatServer). */
  environmentChatServerUrl?: string;
  /** Wakes this node's worker that ends sessions on the chat server (a request was just queued). */
  wakeRevocations?: () => void;
  /** When this node asks Microsoft Graph about protected users (absent in commands run without the service). */
  graphRechecks?: GraphRecheckRequests;
  /** This node's Microsoft Graph client for the settings it decides on (absent in commands run without the service). */
  graph?: GraphLink;
  /** This node's outcome counters (absent in commands run without the service). */
  outcomes?: OutcomeMetrics;
}
