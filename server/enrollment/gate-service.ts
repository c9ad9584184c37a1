// The gate on one node: session and policy from memory when nothing changed, from the database otherwise, and a
// refusal (503) when the node cannot be sure it has heard of every change.
import type { Change, ChangeSource } from '../changes/feed.ts';
import type { ChatServerLink } from '../chatserver/link.ts';
import type { Database } from '../db/connect.ts';
import { AppError } from '../errors/app-error.ts';
import { SessionCache } from '../sessions/session-cache.ts';
import { type SessionSnapshot, sessionLive } from '../sessions/session-snapshot.ts';
import { hashToken } from '../util/secret-token.ts';
import { type GateSubject, refusalByEvidence } from './evidence-decision.ts';
import { androidGateStep, gateRefusal } from './gate-decision.ts';
import type { GraphRechecks } from './graph-rechecks.ts';
import { GateSubjects } from './gate-subjects.ts';
import { type MamPolicy, mamRequiredFor } from './mam-policy.ts';
import { PolicyCache } from './policy-cache.ts';

export interface GateCheck {
  session: SessionSnapshot | undefined;
  policy: MamPolicy;
  refusal: AppError | undefined;
  /** Graph evidence mode: whether the user's Intune registration (read by the server) opened the gate. */
  verified?: boolean;
  /** An Android client let through without app protection (IntuneSettings.AndroidPolicy allow_unprotected). */
  androidUnprotected?: boolean;
}

/** The Android rule's answer for a protected session, or undefined when the evidence rules decide. */
function byPlatform(session: SessionSnapshot | undefined, policy: MamPolicy, userAgent: string | undefined, now: number): GateCheck | undefined {
  const step = androidGateStep(session, policy, userAgent, now);
  if (step.outcome === 'refuse') return { session, policy, refusal: step.refusal };
  if (step.outcome === 'unprotected') return { session, policy, refusal: undefined, androidUnprotected: true };
  return undefined;
}

/** In graph mode a protected live session is decided by the user's Graph evidence, not by the client's report. */
function decidedByGraph(session: SessionSnapshot | undefined, policy: MamPolicy, now: number): session is SessionSnapshot {
  return policy.evidence === 'graph' && sessionLive(session, now) && session.state !== 'failed' && mamRequiredFor(policy, session);
}

export class GateService {
  readonly sessions: SessionCache;
  readonly policies: PolicyCache;
  /** Protected users' objectIds and evidence (companion mode, and graph evidence in either mode). */
  readonly subjects: GateSubjects;
  private readonly unsubscribe: (() => void)[];
  private rechecks: GraphRechecks | undefined;

  constructor(
    db: Database,
    private readonly changes: ChangeSource,
    link?: ChatServerLink,
  ) {
    this.sessions = new SessionCache(db);
    this.policies = new PolicyCache(db, link);
    this.subjects = new GateSubjects(db);
    this.unsubscribe = [changes.subscribe((change) => this.onChange(change))];
    if (link) this.unsubscribe.push(link.onChange(() => this.policies.invalidate()));
  }

  private onChange(change: Change): void {
    if (change.kind === 'session' && change.ref) this.sessions.invalidate(change.ref);
    else if (change.kind === 'evidence') this.subjects.invalidate(change.ref);
    else {
      this.policies.invalidate();
      // Read again now rather than on the next request: a settings change may connect to a chat server.
      if (change.kind === 'settings') void this.policies.get().catch(() => undefined);
    }
  }

  /** Graph mode: sessions refused for want of verified evidence get their user checked (made after the gate). */
  attachGraphRechecks(rechecks: GraphRechecks): void {
    this.rechecks = rechecks;
  }

  private byGraphEvidence(session: SessionSnapshot, subject: GateSubject, policy: MamPolicy, now: number): GateCheck {
    const refusal = refusalByEvidence(subject, 'graph', now);
    this.rechecks?.afterDecision(session.userId, subject, 'graph', refusal);
    return { session, policy, refusal, verified: refusal === undefined };
  }

  /** False when this node cannot be sure it has heard of every change: decisions then fail closed. */
  upToDate(now: number): boolean {
    return this.changes.fresh(now);
  }

  unavailable(): AppError {
    return new AppError('mamgate.database.unavailable.app_error', {
      detailed: 'the change feed has not been read recently',
      headers: { 'Retry-After': '2' },
    });
  }

  /**
   * Synchronous fast path: the answer when everything needed is in memory, `undefined` when a read is needed.
   * Fails closed (503) when the node is not up to date with the change feed. `userAgent`: the request's, for the
   * Android rule.
   */
  checkCached(token: string | undefined, now: number, userAgent?: string): GateCheck | AppError | undefined {
    if (!this.upToDate(now)) return this.unavailable();
    const policy = this.policies.current(now);
    if (!policy) return undefined;
    if (!token) return { session: undefined, policy, refusal: gateRefusal(undefined, policy, now) };
    const entry = this.sessions.peek(hashToken(token), now);
    if (!entry) return undefined;
    return this.decide(entry.session, policy, userAgent, now);
  }

  /** The session's answer in rule order; undefined when Graph evidence decides and the user is not in memory. */
  private decide(session: SessionSnapshot | undefined, policy: MamPolicy, userAgent: string | undefined, now: number): GateCheck | undefined {
    const android = byPlatform(session, policy, userAgent, now);
    if (android) return android;
    if (decidedByGraph(session, policy, now)) {
      const subject = this.subjects.peek(session.userId, now);
      return subject ? this.byGraphEvidence(session, subject, policy, now) : undefined;
    }
    return { session, policy, refusal: gateRefusal(session, policy, now) };
  }

  async check(token: string | undefined, now = Date.now(), userAgent?: string): Promise<GateCheck> {
    const cached = this.checkCached(token, now, userAgent);
    if (cached instanceof AppError) throw cached;
    if (cached) return cached;
    const [policy, session] = await Promise.all([
      this.policies.current(now) ?? this.policies.load(),
      token ? this.sessions.load(hashToken(token)) : undefined,
    ]);
    const decided = this.decide(session, policy, userAgent, now);
    if (decided) return decided;
    // Only Graph evidence of a user not in memory is left to read.
    return this.byGraphEvidence(session!, await this.subjects.load(session!.userId, session!.authService), policy, now);
  }

  close(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
  }
}
