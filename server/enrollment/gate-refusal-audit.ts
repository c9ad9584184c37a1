// Gate refusals belong in the audit log, but a pending client may ask the gate many times a second. Refusals are
// therefore written in batches off the request path, once per session and error within a window; repeats inside
// the window are counted in memory and reported with the next entry. An Android client let through without app
// protection (AndroidPolicy allow_unprotected) is written the same way: as often, and as much in need of a trace.
import { AUDIT_ACTIONS } from '../contract/audit-actions.ts';
import type { Logger } from 'pino';
import type { Database } from '../db/connect.ts';
import { auditStore } from '../db/stores/audit-store.ts';
import type { AppError } from '../errors/app-error.ts';
/** Who was refused: a mamgate session, or (companion mode) a chat user whose session mamgate does not know. */
export interface RefusedSubject {
  id: string | null;
  userId: string | null;
}

/** What an entry says happened at the gate. */
const REFUSED = { action: AUDIT_ACTIONS.gateRefused, outcome: 'refused' } as const;
const ANDROID_UNPROTECTED = { action: AUDIT_ACTIONS.gateAndroidUnprotected, outcome: 'success' } as const;
type GateEvent = typeof REFUSED | typeof ANDROID_UNPROTECTED;

interface Pending {
  event: GateEvent;
  sessionId: string | null;
  userId: string | null;
  errorId: string | null;
  requestId: string;
  repeats: number;
}

export class GateRefusalAudit {
  private readonly pending = new Map<string, Pending>();
  private readonly written = new Map<string, { at: number; repeats: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly options: { windowMs?: number; flushMs?: number; maxKeys?: number } = {},
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 1000);
    this.timer.unref();
  }

  record(session: RefusedSubject | undefined, error: AppError, requestId: string, now = Date.now()): void {
    this.queue(REFUSED, session, error.id, requestId, now);
  }

  /** An Android client passed without app protection. */
  recordAndroidUnprotected(session: RefusedSubject, requestId: string, now = Date.now()): void {
    this.queue(ANDROID_UNPROTECTED, session, null, requestId, now);
  }

  private queue(event: GateEvent, session: RefusedSubject | undefined, errorId: string | null, requestId: string, now: number): void {
    const key = `${session?.id ?? session?.userId ?? 'no-session'}|${event.action}|${errorId}`;
    const queued = this.pending.get(key);
    if (queued) {
      queued.repeats++;
      return;
    }
    const last = this.written.get(key);
    if (last && now - last.at < (this.options.windowMs ?? 300_000)) {
      last.repeats++;
      return;
    }
    this.pending.set(key, { event, sessionId: session?.id ?? null, userId: session?.userId ?? null, errorId, requestId, repeats: last?.repeats ?? 0 });
  }

  async flush(now = Date.now()): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.entries()];
    this.pending.clear();
    try {
      await auditStore.insertMany(
        this.db,
        batch.map(([, p]) => ({
          request_id: p.requestId,
          actor: 'gate',
          action: p.event.action,
          target: p.sessionId ? `session:${p.sessionId}` : null,
          outcome: p.event.outcome,
          details: { error_id: p.errorId, user_id: p.userId, repeats_since_last_entry: p.repeats },
        })),
      );
      for (const [key] of batch) this.written.set(key, { at: now, repeats: 0 });
      const max = this.options.maxKeys ?? 100_000;
      while (this.written.size > max) this.written.delete(this.written.keys().next().value!);
    } catch (error) {
      this.log.warn({ err: (error as Error).message, entries: batch.length }, 'could not write gate refusals to the audit log');
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
