// Everything successful mobile sign-ins read and write, as ONE prepared statement for a batch of sign-ins (one
// round trip, one implicit transaction): find each account that may sign in (auth service + objectId, not a bot,
// not deactivated; for any other account nothing is written and no row is returned, and the caller's account
// rules say why), end the user's live sessions on the device (with a change record and NOTIFY each, so every
// node drops them from its cache), insert the new session (its first state is mam-state.ts's SIGN_IN_STATE,
// bound as parameters: enrolled when this user's app already enrolled on this device), keep the oauth identity observation current, and append the audit entry.
//
// "One live session per (user, device)" is held by the unique index sessions_one_live_per_device, not by a lock:
// two sign-ins on the same device that race both insert, and the later one fails with a unique violation
// (isDeviceConflict) that the caller retries. The common case — a sign-in on a device nobody else is signing in
// on — takes no lock at all and never waits for another user's sign-in. A batch must not hold two sign-ins of one
// account on one device.
import { CHANGE_CHANNEL } from '../change-channel.ts';
import type { Database } from '../connect.ts';
import { prepareStatement, runPrepared } from '../prepared.ts';
import type { SessionRow } from './session-store.ts';
import { IDENTITY_REFRESH_INTERVAL } from './identity-store.ts';
import { UNIQUE_VIOLATION, type UserRow } from './user-store.ts';
import { normaliseGuid } from '../../util/guid.ts';
import { SIGN_IN_STATE } from '../../enrollment/mam-state.ts';

const SESSION_DEVICE_CONFLICT_INDEX = 'sessions_one_live_per_device';

export function isDeviceConflict(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e.code === UNIQUE_VIOLATION && (e.constraint === SESSION_DEVICE_CONFLICT_INDEX || !!e.message?.includes(SESSION_DEVICE_CONFLICT_INDEX));
}

const SESSION_COLUMNS = `id, token_hash, user_id, device_id, voip_device_id, is_mobile, auth_service, tenant_id, object_id,
  mam_state, created_at, expires_at, revoked_at, revoked_reason`;
const USER_COLUMNS = 'u.id, u.username, u.email, u.auth_service, u.auth_data, u.first_name, u.last_name, u.is_bot, u.deleted_at, u.created_at, u.updated_at';

export interface SignInRecord {
  /** The account: the one whose auth data is the token's objectId under the protected provider. */
  account: { auth_service: string; object_id: string };
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

type SignInParams = {
  channel: string;
  replacedReason: string;
  source: string;
  attribute: string;
  action: string;
  authServices: string[];
  objectIds: string[];
  sessionIds: string[];
  tokenHashes: string[];
  deviceIds: (string | null)[];
  voipDeviceIds: (string | null)[];
  tenantIds: string[];
  expiresAtMs: number[];
  requestIds: (string | null)[];
  actors: string[];
  details: string[];
  deviceEnrolled: string;
  enrolledOnDeviceState: string;
  newDeviceState: string;
};

export const SIGN_IN_REPLACED_REASON = 'replaced_by_new_session_on_device';

// Data-modifying CTEs share one snapshot and run in no guaranteed order; `ins` reads an aggregate over `ended`,
// which forces the old sessions to be ended before the new ones are inserted (else the unique index would see
// two live sessions). Data-modifying CTEs run whether or not they are read; `notified` is a plain SELECT of a
// volatile function: materialised, and run only because the final SELECT reads it. Columns are named (no `*`) so a later migration cannot invalidate the prepared plan.
const SIGN_IN = prepareStatement<SignInParams>(
  'mamgate_sign_in_v3',
  `
with input as (
  select * from unnest(:authServices::text[], :objectIds::text[], :sessionIds::text[], :tokenHashes::text[],
                       :deviceIds::text[], :voipDeviceIds::text[], :tenantIds::text[], :expiresAtMs::float8[],
                       :requestIds::text[], :actors::text[], :details::text[])
         with ordinality as t(auth_service, object_id, session_id, token_hash, device_id, voip_device_id, tenant_id,
                              expires_at_ms, request_id, actor, details, ord)
), account as (
  -- objectIds are GUIDs, equal in any letter case: lower(auth_data), and the conditions of the partial index
  -- users_auth_object_id, so the planner uses it. An objectId that two accounts hold (their auth data differ only
  -- by case) signs in neither: the account rules refuse it (user_mismatch), as the identity report predicts.
  select i.ord, i.device_id as signin_device_id, ${USER_COLUMNS} from input i
    join users u on u.auth_service = i.auth_service and lower(u.auth_data) = i.object_id
   where u.auth_data is not null and u.auth_data <> '' and not u.is_bot and u.deleted_at is null
     and not exists (select 1 from users o
                      where o.auth_service = i.auth_service and lower(o.auth_data) = i.object_id and o.id <> u.id
                        and o.auth_data is not null and o.auth_data <> '')
), ended as (
  -- User and device from one relation, so the index lookup uses both columns (not every live session of the user).
  update sessions s set revoked_at = now(), revoked_reason = :replacedReason
    from account a
   where s.user_id = a.id and s.device_id = a.signin_device_id and s.revoked_at is null
  returning s.id, a.ord
), changed as (
  insert into changes (kind, ref) select 'session', id from ended order by ord returning seq
), notified as (
  select pg_notify(:channel, seq::text) from changed
), ins as (
  insert into sessions (id, token_hash, user_id, device_id, voip_device_id, is_mobile, auth_service, tenant_id,
                        object_id, mam_state, expires_at)
  select i.session_id, i.token_hash, a.id, i.device_id, i.voip_device_id, true, a.auth_service, i.tenant_id,
         i.object_id,
         -- The first state is mam-state.ts's rule (signInState), its values bound as parameters.
         case when exists (select 1 from enrollments e
                            where e.tenant_id = i.tenant_id and e.object_id = i.object_id
                              and e.device_id = i.device_id and e.state = :deviceEnrolled::text)
              then :enrolledOnDeviceState::text else :newDeviceState::text end,
         to_timestamp(i.expires_at_ms / 1000)
    from input i join account a on a.ord = i.ord, (select count(*) from ended) as after_ended
  returning ${SESSION_COLUMNS}
), observed as (
  -- One observation per user (the latest sign-in of the batch).
  select distinct on (a.id) a.id as user_id, i.tenant_id, i.object_id
    from input i join account a on a.ord = i.ord order by a.id, i.ord desc
), identity_updated as (
  -- Unchanged and seen recently: no write (and no row lock), so concurrent sign-ins of one user never queue.
  update identities d set tenant_id = o.tenant_id, object_id = o.object_id, raw_value = o.object_id,
                          attribute = :attribute, seen_at = now()
    from observed o
   where d.user_id = o.user_id and d.source = :source
     and ((d.tenant_id, d.object_id, d.raw_value, d.attribute) is distinct from (o.tenant_id, o.object_id, o.object_id, :attribute)
          or d.seen_at < now() - interval '${IDENTITY_REFRESH_INTERVAL}')
), identity_inserted as (
  insert into identities (user_id, source, tenant_id, object_id, raw_value, attribute, seen_at)
  select o.user_id, :source, o.tenant_id, o.object_id, o.object_id, :attribute, now() from observed o
   where not exists (select 1 from identities d where d.user_id = o.user_id and d.source = :source)
  on conflict (user_id, source) do nothing
), audited as (
  insert into audit_log (request_id, actor, action, target, outcome, details)
  select i.request_id, i.actor, :action, 'user:' || n.user_id, 'success',
         i.details::jsonb || jsonb_build_object(
           'session_id', n.id, 'mam_state', n.mam_state,
           'replaced_sessions', coalesce((select jsonb_agg(e.id) from ended e where e.ord = i.ord), '[]'::jsonb))
    from ins n join input i on i.session_id = n.id
   order by i.ord
)
select i.ord, to_jsonb(a) - 'ord' - 'signin_device_id' as account, to_jsonb(n) as session,
       coalesce((select array_agg(e.id) from ended e where e.ord = i.ord), '{}') as replaced_ids,
       (select count(*) from notified) as notified
  from input i join account a on a.ord = i.ord join ins n on n.id = i.session_id`,
);

interface SignInResultRow {
  ord: number | string;
  account: Record<string, unknown>;
  session: Record<string, unknown>;
  replaced_ids: string[];
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
   * Writes a batch of sign-ins; answers, per record in order, what was written, or undefined (nothing written)
   * when no account may sign in with that objectId. Throws the database's unique violation (isDeviceConflict)
   * when a sign-in raced another on its device; then nothing of the batch is written.
   */
  async writeMany(db: Database, records: SignInRecord[]): Promise<(SignInWritten | undefined)[]> {
    const rows = await runPrepared<SignInResultRow, SignInParams>(db, SIGN_IN, {
      channel: CHANGE_CHANNEL,
      replacedReason: SIGN_IN_REPLACED_REASON,
      source: 'oauth',
      attribute: 'oid',
      action: 'login.intune',
      authServices: records.map((r) => r.account.auth_service),
      objectIds: records.map((r) => normaliseGuid(r.account.object_id)),
      sessionIds: records.map((r) => r.session.id),
      tokenHashes: records.map((r) => r.session.token_hash),
      deviceIds: records.map((r) => r.session.device_id),
      voipDeviceIds: records.map((r) => r.session.voip_device_id),
      tenantIds: records.map((r) => r.session.tenant_id),
      expiresAtMs: records.map((r) => r.session.expires_at.getTime()),
      requestIds: records.map((r) => r.audit.request_id),
      actors: records.map((r) => r.audit.actor),
      details: records.map((r) => JSON.stringify(r.audit.details)),
      deviceEnrolled: SIGN_IN_STATE.DEVICE_ENROLLED,
      enrolledOnDeviceState: SIGN_IN_STATE.enrolledOnDevice,
      newDeviceState: SIGN_IN_STATE.otherwise,
    });
    const written: (SignInWritten | undefined)[] = records.map(() => undefined);
    for (const row of rows) {
      written[Number(row.ord) - 1] = {
        user: withDates<UserRow>(row.account),
        session: withDates<SessionRow>(row.session),
        replaced: row.replaced_ids,
      };
    }
    return written;
  },
};
