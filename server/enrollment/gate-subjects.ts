// Per-node memory of protected users (objectId and evidence), so the gate reads the database once per user
// and change: entries are dropped when the change feed reports that user's evidence, and at most
// SUBJECT_TTL_MS old (an import of accounts is not on the feed).
import type { ChatUser } from '../chatserver/chat-user.ts';
import type { Database } from '../db/connect.ts';
import { userStore } from '../db/stores/user-store.ts';
import { userEvidenceStore } from '../db/stores/user-evidence-store.ts';
import type { GateSubject } from './evidence-decision.ts';
import type { GraphEvidenceRecord } from './graph-evidence-record.ts';

export const SUBJECT_TTL_MS = 30_000;

interface Entry {
  subject: GateSubject;
  until: number;
}

export class GateSubjects {
  private readonly byUser = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<GateSubject>>();
  private readonly remembered = new Set<string>();
  private generation = 0;

  constructor(private readonly db: Database) {}

  peek(userId: string, now: number): GateSubject | undefined {
    const entry = this.byUser.get(userId);
    if (entry && entry.until > now) return entry.subject;
    return undefined;
  }

  /** The objectId counts only when the imported account signs in with the same method as the chat account. */
  load(userId: string, authService: string): Promise<GateSubject> {
    let pending = this.loading.get(userId);
    if (!pending) {
      const generation = this.generation;
      pending = userEvidenceStore
        .subject(this.db, userId)
        .then((row) => {
          const objectId = row.auth_data && row.auth_service === authService ? row.auth_data.toLowerCase() : null;
          const subject: GateSubject = {
            objectId,
            evidence: row.state,
            source: row.source,
            graph: row.source === 'graph' ? (row.details as unknown as GraphEvidenceRecord) : null,
            revocationPending: row.revocation_pending,
          };
          if (generation === this.generation) this.byUser.set(userId, { subject, until: Date.now() + SUBJECT_TTL_MS });
          return subject;
        })
        .finally(() => this.loading.delete(userId));
      this.loading.set(userId, pending);
    }
    return pending;
  }

  /**
   * A protected chat user whose objectId mamgate does not know is remembered as an account without auth data, so
   * the identity report lists them (missing_source, MissingAuthAccountError) with the step that fixes it.
   */
  rememberUnknown(user: ChatUser): void {
    if (this.remembered.has(user.id)) return;
    this.remembered.add(user.id);
    userStore
      .insertIfAbsent(this.db, {
        id: user.id,
        username: user.username,
        email: user.email,
        auth_service: user.authService,
        auth_data: null,
        first_name: '',
        last_name: '',
      })
      .catch(() => this.remembered.delete(user.id)); // tried again at the next refusal
  }

  invalidate(userId: string | null): void {
    this.generation++;
    if (userId) this.byUser.delete(userId);
    else this.byUser.clear();
  }
}
