// Ending a user's mobile sessions on the chat server (companion mode). A request is queued in the database in the
// transaction that decided it, then carried out by a worker on any node: it lists the user's sessions on the
// chat server, revokes each mobile one, and marks the request done only when the chat server confirmed every
// revocation. A failure is retried with backoff (capped), never dropped; the gate refuses the user meanwhile,
// because the decision that queued the request also changed the user's evidence.
import { AUDIT_ACTIONS } from '../contract/audit-actions.ts';
import type { Logger } from 'pino';
import { audit } from '../audit/audit.ts';
import { recordChange } from '../changes/feed.ts';
import type { ChatServerLink } from '../chatserver/link.ts';
import type { Database } from '../db/connect.ts';
import { chatRevocationStore, type ChatRevocationRow } from '../db/stores/chat-revocation-store.ts';
import { isAppError } from '../errors/app-error.ts';

export type ChatRevocationReason = 'enrollment_failed' | 'evidence_lost' | 'revoked_by_admin';

/** Queued inside the caller's transaction; the evidence change makes every node refuse the user until it is done. */
export async function queueChatRevocation(trx: Database, userId: string, reason: ChatRevocationReason, requestId: string | null): Promise<void> {
  await chatRevocationStore.enqueue(trx, userId, reason, requestId);
  await recordChange(trx, 'evidence', userId);
}

const POLL_MS = 1000;
const BATCH = 10;
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** attempts);
}

export class ChatRevocationWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly link: ChatServerLink,
    private readonly log: Logger,
    /** Called with the user whose chat sessions were ended, so this node forgets their tokens at once. */
    private readonly onRevoked: (userId: string) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), POLL_MS);
    this.timer.unref();
  }

  /** Runs the due requests now (or right after the run in progress). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runDue()
      .catch((error: unknown) => this.log.warn({ err: (error as Error).message }, 'chat revocations not run'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async runDue(): Promise<void> {
    const connection = this.link.connection;
    if (!connection) return;
    await this.db.transaction(async (trx) => {
      for (const request of await chatRevocationStore.due(trx, BATCH)) await this.carryOut(trx, request);
    });
  }

  private async carryOut(trx: Database, request: ChatRevocationRow): Promise<void> {
    const connection = this.link.connection!;
    try {
      const mobile = (await connection.sessionsOf(request.user_id)).filter((s) => s.isMobile);
      for (const session of mobile) await connection.revokeSession(request.user_id, session.id);
      await chatRevocationStore.done(trx, request.id, mobile.length);
      await recordChange(trx, 'evidence', request.user_id);
      await audit(trx, { name: 'mamgate', requestId: request.request_id }, {
        action: AUDIT_ACTIONS.chatSessionsRevoke,
        target: `chat-user:${request.user_id}`,
        outcome: 'success',
        details: { reason: request.reason, sessions: mobile.map((s) => s.id), attempts: request.attempts + 1 },
      });
      this.onRevoked(request.user_id);
    } catch (error) {
      const reason = isAppError(error) ? `${error.id}: ${error.detailed ?? ''}` : 'unexpected error';
      await chatRevocationStore.retryLater(trx, request.id, retryDelayMs(request.attempts), reason);
      this.log.warn({ user_id: request.user_id, attempts: request.attempts + 1, error: reason }, 'chat session revocation will be retried');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }
}
