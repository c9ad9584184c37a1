// When this node asks Graph about protected users. A user the gate refuses for want of verified evidence is
// checked at once, then again with backoff while still pending (5 s, 10 s, 20 s … capped at 5 minutes); a
// verified user again every 15 minutes; any user at once on demand (a client's report, an admin, the CLI). Checks
// due together (at most 100) share one sweep (one read of the tenant's registrations), and sweeps start at most every 2 s,
// so Graph sees at most 30 sweeps a minute however many users are pending: each sweep is the registration list's
// pages plus one applied-policies read per registration of a configured app of a due user.
import type { Logger } from 'pino';
import { AppError } from '../errors/app-error.ts';
import type { GraphLink } from '../graph/graph-link.ts';
import type { ServiceContext } from '../context.ts';
import { type GateSubject, needsGraphCheck } from './evidence-decision.ts';
import type { GraphCheckResult, GraphCheckSubject, GraphRecheckRequests, GraphStatus } from './graph-recheck-requests.ts';
import { checkWithGraph } from './graph-verification.ts';
import type { EvidenceMode } from './mam-policy.ts';
import type { PolicyCache } from './policy-cache.ts';

export const RECHECK_TIMING = {
  minSweepIntervalMs: 2000,
  firstBackoffMs: 5000,
  maxBackoffMs: 300_000,
  verifiedRecheckMs: 900_000,
  maxUsersPerSweep: 100,
} as const;

interface Watched {
  objectId: string;
  attempts: number;
  dueAt: number;
}

export class GraphRechecks implements GraphRecheckRequests {
  private readonly watched = new Map<string, Watched>();
  private sweeping: Promise<void> | undefined;
  private lastSweepEnd = 0;
  private lastSweepAt: number | null = null;
  private lastError: AppError | undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly timing: typeof RECHECK_TIMING;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly link: GraphLink,
    private readonly policies: PolicyCache,
    private readonly log: Logger,
    timing: Partial<typeof RECHECK_TIMING> = {},
  ) {
    this.timing = { ...RECHECK_TIMING, ...timing };
    this.timer = setInterval(() => this.sweepDue(), 250);
    this.timer.unref();
  }

  /** The gate saw this user: a pending one is checked now unless a check is already scheduled (its backoff holds). */
  notice(userId: string, objectId: string, verified: boolean): void {
    if (this.watched.has(userId)) return;
    const now = Date.now();
    this.watched.set(userId, { objectId, attempts: 0, dueAt: verified ? now + this.timing.verifiedRecheckMs : now });
    if (!verified) this.sweepDue();
  }

  /** The gate decided on this user's evidence: in graph mode a user it refused for want of it gets checked. */
  afterDecision(userId: string, subject: GateSubject, mode: EvidenceMode, refusal: AppError | undefined): void {
    if (mode !== 'graph' || !subject.objectId) return;
    this.notice(userId, subject.objectId, !needsGraphCheck(subject, mode, refusal));
  }

  /**
   * Check this user at the next sweep, whatever its schedule said (a client's report in graph mode). The caller
   * says the mode it decided on: the cached policy may just have been dropped by a change.
   */
  soon(userId: string, objectId: string, mode: EvidenceMode): void {
    if (mode !== 'graph') return;
    const entry = this.watched.get(userId);
    this.watched.set(userId, { objectId, attempts: entry?.attempts ?? 0, dueAt: Date.now() });
    this.sweepDue();
  }

  /** Check this user now and answer the outcome (admin pages, `mamgate enrollment verify`). */
  async verifyNow(subject: GraphCheckSubject): Promise<GraphCheckResult> {
    const [result] = await this.run([subject]);
    this.reschedule(result!);
    return result!;
  }

  status(now = Date.now()): GraphStatus {
    let due = 0;
    for (const entry of this.watched.values()) if (entry.dueAt <= now) due++;
    return {
      last_sweep_at: this.lastSweepAt ? new Date(this.lastSweepAt).toISOString() : null,
      last_error_id: this.lastError?.id ?? null,
      watched: this.watched.size,
      due,
    };
  }

  private async run(subjects: GraphCheckSubject[]): Promise<GraphCheckResult[]> {
    const { settings, policy } = await this.policies.get();
    const client = this.link.clientFor(settings);
    if (client instanceof AppError) throw client;
    try {
      const results = await checkWithGraph(this.ctx, client, settings.IntuneSettings, subjects, Date.now(), policy.evidence);
      this.lastError = undefined;
      this.lastSweepAt = Date.now();
      return results;
    } catch (error) {
      this.lastError = error instanceof AppError ? error : new AppError('mamgate.graph.unavailable.app_error');
      throw error;
    }
  }

  private reschedule(result: GraphCheckResult): void {
    const entry = this.watched.get(result.userId);
    if (!entry) return;
    if (result.verified) {
      entry.attempts = 0;
      entry.dueAt = Date.now() + this.timing.verifiedRecheckMs;
    } else {
      entry.attempts++;
      entry.dueAt = Date.now() + Math.min(this.timing.maxBackoffMs, this.timing.firstBackoffMs * 2 ** (entry.attempts - 1));
    }
  }

  private sweepDue(): void {
    const now = Date.now();
    if (this.sweeping || now - this.lastSweepEnd < this.timing.minSweepIntervalMs) return;
    const due: GraphCheckSubject[] = [];
    for (const [userId, entry] of this.watched) {
      if (entry.dueAt <= now) due.push({ userId, objectId: entry.objectId });
      if (due.length >= this.timing.maxUsersPerSweep) break;
    }
    if (due.length === 0) return;
    this.sweeping = this.run(due)
      .then((results) => {
        for (const result of results) this.reschedule(result);
      })
      .catch((error: unknown) => {
        // Graph down or refusing: nothing changed; every due user waits its backoff before the next try.
        for (const subject of due) this.reschedule({ userId: subject.userId, outcome: 'none', verified: false, lost: false });
        this.log.warn({ error_id: (error as AppError).id, users: due.length }, 'graph check failed');
      })
      .finally(() => {
        this.sweeping = undefined;
        this.lastSweepEnd = Date.now();
      });
  }

  close(): void {
    clearInterval(this.timer);
  }
}
