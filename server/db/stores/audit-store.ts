import type { Database } from '../connect.ts';

export interface AuditEntry {
  request_id: string | null;
  actor: string;
  action: string;
  target?: string | null;
  outcome: 'success' | 'failure' | 'refused';
  details?: Record<string, unknown>;
}

export interface AuditRow extends Required<Omit<AuditEntry, 'details'>> {
  id: number;
  at: Date;
  details: Record<string, unknown>;
}

/** An audit row with the names behind its ids: the admin token's name, the user's username and email. */
export interface NamedAuditRow extends AuditRow {
  actor_token_name: string | null;
  /** The admin token's name when the target is `admin_token:<id>`. */
  target_token_name: string | null;
  subject_user_id: string | null;
  username: string | null;
  email: string | null;
}

/**
 * The user an entry is about: details.user_id (gate refusals, standalone enrollment reports), else the id in a
 * `user:` or `chat-user:` target. The index audit_log_subject_user (migration 20261207000001) is on this very
 * expression, so a user filter reads the index instead of the whole log.
 */
export const AUDIT_SUBJECT_USER_SQL = "coalesce(details->>'user_id', case when target like 'user:%' then substr(target, 6) when target like 'chat-user:%' then substr(target, 11) end)";

export interface AuditPageFilter {
  limit: number;
  beforeId?: number;
  action?: string;
  /** Actor names as written (`admin-token:<id>`, `chat-admin:<username>`, `gate`…); any of them. */
  actors?: string[];
  subjectUserId?: string;
  since?: Date;
  until?: Date;
}

/** Protected Android decisions in the log, each gate entry weighted by the repeats it carries (gate-refusal-audit.ts). */
export interface AndroidDecisionCounts {
  /** Entries refused with the given error id, at the sign-in or the gate. */
  refused: number;
  /** Let through without app protection, at the sign-in or the gate. */
  allowed_unprotected: number;
  /** Android sign-ins held until evidence (neither refused nor let through unprotected). */
  held_for_evidence: number;
}

/** Intune sign-ins counted by outcome, token version and refusal id. */
export interface SignInsByTokenVersion {
  outcome: string;
  version: string | null;
  error_id: string | null;
  n: number;
}

export const auditStore = {
  /** The Android decisions logged since `since` (one pass over the log from that time). */
  async androidDecisions(db: Database, since: Date, refusedErrorId: string): Promise<AndroidDecisionCounts> {
    const weight = "1 + coalesce((details->>'repeats_since_last_entry')::int, 0)";
    const row = (await db('audit_log')
      .where('at', '>=', since)
      .select(
        db.raw(`coalesce(sum(${weight}) filter (where details->>'error_id' = ?), 0)::int as refused`, [refusedErrorId]),
        db.raw(
          `coalesce(sum(${weight}) filter (where action = 'gate.android_unprotected' or (action = 'login.intune' and details->>'android_unprotected' = 'true')), 0)::int as allowed_unprotected`,
        ),
        db.raw(
          "coalesce(sum(1) filter (where action = 'login.intune' and outcome = 'success' and details->>'platform' = 'android' and details->>'android_unprotected' is null), 0)::int as held_for_evidence",
        ),
      )
      .first()) as AndroidDecisionCounts;
    return { refused: Number(row.refused), allowed_unprotected: Number(row.allowed_unprotected), held_for_evidence: Number(row.held_for_evidence) };
  },
  /** The Intune sign-ins logged since `since`, counted by outcome, token version and refusal id. */
  async intuneSignInsByTokenVersion(db: Database, since: Date): Promise<SignInsByTokenVersion[]> {
    return (await db('audit_log')
      .where({ action: 'login.intune' })
      .where('at', '>=', since)
      .select(db.raw("outcome, details->>'token_version' as version, details->>'error_id' as error_id, count(*)::int as n"))
      .groupByRaw("outcome, details->>'token_version', details->>'error_id'")) as SignInsByTokenVersion[];
  },
  async insert(db: Database, entry: AuditEntry): Promise<void> {
    await db('audit_log').insert({ ...entry, target: entry.target ?? null, details: JSON.stringify(entry.details ?? {}) });
  },
  async insertMany(db: Database, entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await db('audit_log').insert(entries.map((e) => ({ ...e, target: e.target ?? null, details: JSON.stringify(e.details ?? {}) })));
  },
  /**
   * A page of entries, newest first, every filter combined with AND. The names are joined after the limit (the
   * inner query), so the joins touch one page of rows by primary key.
   */
  async page(db: Database, filter: AuditPageFilter): Promise<NamedAuditRow[]> {
    const inner = db('audit_log')
      .select('*', db.raw(`${AUDIT_SUBJECT_USER_SQL} as subject_user_id`))
      .orderBy('id', 'desc')
      .limit(filter.limit);
    if (filter.beforeId !== undefined) inner.where('id', '<', filter.beforeId);
    if (filter.action) inner.where('action', filter.action);
    if (filter.actors) inner.whereIn('actor', filter.actors);
    if (filter.subjectUserId) inner.whereRaw(`${AUDIT_SUBJECT_USER_SQL} = ?`, [filter.subjectUserId]);
    if (filter.since) inner.where('at', '>=', filter.since);
    if (filter.until) inner.where('at', '<', filter.until);
    return db
      .from(inner.as('a'))
      .leftJoin('admin_tokens as t', function joinToken() {
        this.on(db.raw("a.actor like 'admin-token:%'")).andOn('t.id', '=', db.raw('substring(a.actor from 13)'));
      })
      .leftJoin('admin_tokens as tt', function joinTargetToken() {
        this.on(db.raw("a.target like 'admin\\_token:%'")).andOn('tt.id', '=', db.raw('substring(a.target from 13)'));
      })
      .leftJoin('users as u', 'u.id', 'a.subject_user_id')
      .select('a.*', 't.name as actor_token_name', 'tt.name as target_token_name', 'u.username', 'u.email')
      .orderBy('a.id', 'desc');
  },
};
