// Runs the sign-in statement (sign-in-statement.ts) for a batch of sign-ins and answers, per sign-in, what it
// wrote — or, when no account may sign in with that objectId, the accounts the account rules decide from.
import { SESSION_END_REASONS } from '../../contract/session-end-reasons.ts';
import { AUDIT_ACTIONS } from '../../contract/audit-actions.ts';
import { CHANGE_CHANNEL } from '../change-channel.ts';
import type { Database } from '../connect.ts';
import { runPrepared } from '../prepared.ts';
import type { SessionRow } from './session-store.ts';
import { SIGN_IN_STATEMENT, type SignInParams } from './sign-in-statement.ts';
import { UNIQUE_VIOLATION, type UserRow } from './user-store.ts';
import { normaliseGuid } from '../../util/guid.ts';

const SESSION_DEVICE_CONFLICT_INDEX = 'sessions_one_live_per_device';

export function isDeviceConflict(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e.code === UNIQUE_VIOLATION && (e.constraint === SESSION_DEVICE_CONFLICT_INDEX || !!e.message?.includes(SESSION_DEVICE_CONFLICT_INDEX));
}

export interface SignInRecord {
  /** The account: the one whose auth data is the token's objectId under the protected provider. */
  account: { auth_service: string; object_id: string; /** The token's email (lower case), for the account rules. */ email: string | null };
  session: {
    id: string;
    token_hash: string;
    device_id: string | null;
    voip_device_id: string | null;
    tenant_id: string;
    expires_at: Date;
  };
  /** The success entry; its target (the user) and the session's id, state and replaced sessions are added. */
  audit: { request_id: string | null; actor: string; details: Record<string, unknown> };
}

export interface SignInWritten {
  user: UserRow;
  session: SessionRow;
  replaced: string[];
}

/** A sign-in that wrote nothing, and what the account rules need to say why: read by the same statement. */
export interface NoAccountSignedIn {
  /** The accounts of the protected provider holding the objectId (any letter case; bots and deactivated too), at most two. */
  holders: UserRow[];
  /** The account owning the token's email; null when none (or the token has no email). */
  emailOwner: UserRow | null;
}

export type SignInOutcome = SignInWritten | NoAccountSignedIn;

export function isWritten(outcome: SignInOutcome): outcome is SignInWritten {
  return 'session' in outcome;
}

/** A new session's first state: the state machine's rule (enrollment/mam-state.ts SIGN_IN_STATE), bound as parameters. */
export interface FirstSessionState {
  /** The state when this user's app already reported this status on this device. */
  enrolledOnDevice: string;
  otherwise: string;
  /** The device's reported status that counts as enrolled there. */
  DEVICE_ENROLLED: string;
}

interface SignInResultRow {
  ord: number | string;
  account: Record<string, unknown> | null;
  session: Record<string, unknown> | null;
  replaced_ids: string[];
  holders: Record<string, unknown>[] | null;
  email_owner: Record<string, unknown> | null;
}

const TIME_COLUMNS = ['created_at', 'updated_at', 'deleted_at', 'expires_at', 'revoked_at'];

/** to_jsonb answers times as ISO text: make them Dates, as every other read of these rows gives them. */
function withDates<Row>(json: Record<string, unknown>): Row {
  const row: Record<string, unknown> = { ...json };
  for (const column of TIME_COLUMNS) if (typeof row[column] === 'string') row[column] = new Date(row[column] as string);
  return row as Row;
}

export const signInStore = {
  /**
   * Writes a batch of sign-ins; answers, per record in order, what was written, or (nothing written) what the
   * account rules need when no account may sign in with that objectId. Throws the database's unique violation
   * (isDeviceConflict) when a sign-in raced another on its device; then nothing of the batch is written.
   */
  async writeMany(db: Database, records: SignInRecord[], firstState: FirstSessionState): Promise<SignInOutcome[]> {
    const rows = await runPrepared<SignInResultRow, SignInParams>(db, SIGN_IN_STATEMENT, {
      channel: CHANGE_CHANNEL,
      replacedReason: SESSION_END_REASONS.replacedOnDevice,
      source: 'oauth',
      attribute: 'oid',
      action: AUDIT_ACTIONS.signIn,
      authServices: records.map((r) => r.account.auth_service),
      objectIds: records.map((r) => normaliseGuid(r.account.object_id)),
      emails: records.map((r) => r.account.email?.toLowerCase() ?? null),
      sessionIds: records.map((r) => r.session.id),
      tokenHashes: records.map((r) => r.session.token_hash),
      deviceIds: records.map((r) => r.session.device_id),
      voipDeviceIds: records.map((r) => r.session.voip_device_id),
      tenantIds: records.map((r) => r.session.tenant_id),
      expiresAtMs: records.map((r) => r.session.expires_at.getTime()),
      requestIds: records.map((r) => r.audit.request_id),
      actors: records.map((r) => r.audit.actor),
      details: records.map((r) => JSON.stringify(r.audit.details)),
      deviceEnrolled: firstState.DEVICE_ENROLLED,
      enrolledOnDeviceState: firstState.enrolledOnDevice,
      newDeviceState: firstState.otherwise,
    });
    return rows.map(
      (row): SignInOutcome =>
        row.session && row.account
          ? { user: withDates<UserRow>(row.account), session: withDates<SessionRow>(row.session), replaced: row.replaced_ids }
          : {
              holders: (row.holders ?? []).map((holder) => withDates<UserRow>(holder)),
              emailOwner: row.email_owner ? withDates<UserRow>(row.email_owner) : null,
            },
    );
  },
};
