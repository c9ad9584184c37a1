// The gate for the chat server's own sessions (companion mode): who the token belongs to from the chat server,
// the policy from the chat server's configuration and license, the evidence from mamgate's records. Everything
// is answered from this node's memory when it can be; otherwise read once (per token, per user) and remembered.
import type { ChatUser } from '../chatserver/chat-user.ts';
import type { ChatServerLink } from '../chatserver/link.ts';
import { isOwnSessionToken } from '../sessions/session-token.ts';
import type { TokenIdentities } from '../chatserver/token-identities.ts';
import type { AppError } from '../errors/app-error.ts';
import { hashToken } from '../util/secret-token.ts';
import { beforeEvidence } from './companion-decision.ts';
import { type GateSubject, refusalByEvidence } from './evidence-decision.ts';
import type { GraphRechecks } from './graph-rechecks.ts';
import type { GateSubjects } from './gate-subjects.ts';
import type { MamPolicy } from './mam-policy.ts';
import { mobileRequestOf } from './mobile-request.ts';
import type { PolicyCache } from './policy-cache.ts';

export interface CompanionCheck {
  user: ChatUser | null;
  /** not_required: passed before evidence was needed; enrolled: passed on evidence; android_unprotected: AndroidPolicy. */
  state: 'not_required' | 'enrolled' | 'android_unprotected' | 'refused';
  refusal: AppError | undefined;
}

/** A token the companion gate decides: this node is a companion, and the token is not one of mamgate's own sessions. */
export function isChatServerToken(link: ChatServerLink | undefined, token: string | undefined): boolean {
  return link?.companion === true && !isOwnSessionToken(token);
}

export interface GateRequest {
  token: string;
  userAgent: string | undefined;
}

export class CompanionGate {
  constructor(
    readonly identities: TokenIdentities,
    readonly subjects: GateSubjects,
    readonly policies: PolicyCache,
    /** Graph mode: users the gate refuses for want of verified evidence are checked (with backoff). */
    readonly rechecks?: GraphRechecks,
  ) {}

  private decide(user: ChatUser | null, policy: MamPolicy, request: GateRequest, now: number): CompanionCheck | undefined {
    const step = beforeEvidence(user, policy, mobileRequestOf(request.userAgent));
    if (step.outcome === 'pass') return { user, state: 'not_required', refusal: undefined };
    if (step.outcome === 'refuse') return { user, state: 'refused', refusal: step.refusal };
    if (step.outcome === 'unprotected') return { user, state: 'android_unprotected', refusal: undefined };
    const subject = this.subjects.peek(user!.id, now);
    if (!subject) return undefined;
    return this.byEvidence(user!, subject, policy, now);
  }

  private byEvidence(user: ChatUser, subject: GateSubject, policy: MamPolicy, now: number): CompanionCheck {
    const refusal = refusalByEvidence(subject, policy.evidence, now);
    if (!subject.objectId) this.subjects.rememberUnknown(user);
    this.rechecks?.afterDecision(user.id, subject, policy.evidence, refusal);
    return { user, state: refusal ? 'refused' : 'enrolled', refusal };
  }

  /** Synchronous fast path: the answer when everything needed is in memory, else undefined. */
  checkCached(request: GateRequest, now: number, tokenHash = hashToken(request.token)): CompanionCheck | undefined {
    const policy = this.policies.current(now);
    if (!policy) return undefined;
    const identity = this.identities.peek(tokenHash, now);
    if (!identity) return undefined;
    return this.decide(identity.user, policy, request, now);
  }

  async check(request: GateRequest, now = Date.now()): Promise<CompanionCheck> {
    const tokenHash = hashToken(request.token);
    const cached = this.checkCached(request, now, tokenHash);
    if (cached) return cached;
    const known = this.identities.peek(tokenHash, now);
    const [policy, user] = await Promise.all([
      this.policies.current(now) ?? this.policies.load(),
      known ? known.user : this.identities.lookup(request.token, tokenHash),
    ]);
    const decided = this.decide(user, policy, request, now);
    if (decided) return decided;
    return this.byEvidence(user!, await this.subjects.load(user!.id, user!.authService), policy, now);
  }
}
