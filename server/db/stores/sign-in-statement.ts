// The mobile sign-in as ONE prepared statement for a batch of sign-ins (one round trip, one implicit transaction),
// written as the rules it carries out, in their order. Each part is a named CTE; sign-in-store.ts runs it.
//
// "One live session per (user, device)" is held by the unique index sessions_one_live_per_device, not by a lock:
// two sign-ins on the same device that race both insert, and the later one fails with a unique violation that the
// caller retries. A batch must not hold two sign-ins of one account on one device.
//
// Data-modifying CTEs share one snapshot and run in no guaranteed order; `new_session` reads an aggregate over
// `ended_on_device`, which forces the old sessions to be ended before the new ones are inserted (else the unique
// index would see two live sessions). Data-modifying CTEs run whether or not they are read; `notified` is a plain
// SELECT of a volatile function: materialised, and run only because the final SELECT reads it. Columns are named
// (no `*`) so a later migration cannot invalidate the prepared plan.
import { prepareStatement } from '../prepared.ts';
import { IDENTITY_REFRESH_INTERVAL } from './identity-store.ts';

export const SESSION_COLUMNS = `id, token_hash, user_id, device_id, voip_device_id, is_mobile, auth_service, tenant_id, object_id,
  mam_state, created_at, expires_at, revoked_at, revoked_reason`;
const USER_FIELDS = ['id', 'username', 'email', 'auth_service', 'auth_data', 'first_name', 'last_name', 'is_bot', 'deleted_at', 'created_at', 'updated_at'];
const userColumns = (alias: string) => USER_FIELDS.map((field) => `${alias}.${field}`).join(', ');

export type SignInParams = {
  channel: string;
  replacedReason: string;
  source: string;
  attribute: string;
  action: string;
  authServices: string[];
  objectIds: string[];
  emails: (string | null)[];
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

/** The batch, one row per sign-in in order. */
const INPUT = `input as (
  select * from unnest(:authServices::text[], :objectIds::text[], :emails::text[], :sessionIds::text[], :tokenHashes::text[],
                       :deviceIds::text[], :voipDeviceIds::text[], :tenantIds::text[], :expiresAtMs::float8[],
                       :requestIds::text[], :actors::text[], :details::text[])
         with ordinality as t(auth_service, object_id, email, session_id, token_hash, device_id, voip_device_id, tenant_id,
                              expires_at_ms, request_id, actor, details, ord)
)`;

/** The accounts of the protected provider holding the objectId, at most two (two are a duplicate the rules refuse). */
const holdersOf = (alias: string, input: string) => `select ${userColumns(alias)} from users ${alias}
   where ${alias}.auth_service = ${input}.auth_service and lower(${alias}.auth_data) = ${input}.object_id
     and ${alias}.auth_data is not null and ${alias}.auth_data <> ''
   limit 2`;

/** Who may sign in: the one account whose auth data is the objectId under the protected provider. */
const ACCOUNT_THAT_MAY_SIGN_IN = `account as (
  -- objectIds are GUIDs, equal in any letter case: lower(auth_data), and the conditions of the partial index
  -- users_auth_object_id. LATERAL makes it one index probe per sign-in, whatever the table's size: as a join the
  -- planner chose two scans of every user at 10,000 users. Not a bot, not deactivated. An objectId that two
  -- accounts hold (their auth data differ only by case) signs in neither: the account rules refuse it
  -- (user_mismatch), as the identity report predicts.
  select i.ord, i.device_id as signin_device_id, ${userColumns('u')}
    from input i
    cross join lateral (select h.*, count(*) over () as holders from (${holdersOf('x', 'i')}) h) u
   where u.holders = 1 and not u.is_bot and u.deleted_at is null
)`;

/** A new session on a device ends the user's live sessions there (Mattermost's rule). */
const ENDED_ON_DEVICE = `ended_on_device as (
  -- User and device from one relation, so the index lookup uses both columns (not every live session of the user).
  update sessions s set revoked_at = now(), revoked_reason = :replacedReason
    from account a
   where s.user_id = a.id and s.device_id = a.signin_device_id and s.revoked_at is null
  returning s.id, a.ord
)`;

/** Every ended session is a change record, announced on the change channel so every node drops it from its cache. */
const CHANGE_RECORDS = `changed as (
  insert into changes (kind, ref) select 'session', id from ended_on_device order by ord returning seq
), notified as (
  select pg_notify(:channel, seq::text) from changed
)`;

/** The new session; its first state is mam-state.ts's SIGN_IN_STATE (bound as parameters). */
const NEW_SESSION = `new_session as (
  insert into sessions (id, token_hash, user_id, device_id, voip_device_id, is_mobile, auth_service, tenant_id,
                        object_id, mam_state, expires_at)
  select i.session_id, i.token_hash, a.id, i.device_id, i.voip_device_id, true, a.auth_service, i.tenant_id,
         i.object_id,
         -- Enrolled when this user's app already enrolled on this device (through another server or session).
         case when exists (select 1 from enrollments e
                            where e.tenant_id = i.tenant_id and e.object_id = i.object_id
                              and e.device_id = i.device_id and e.state = :deviceEnrolled::text)
              then :enrolledOnDeviceState::text else :newDeviceState::text end,
         to_timestamp(i.expires_at_ms / 1000)
    from input i join account a on a.ord = i.ord, (select count(*) from ended_on_device) as after_ended
  returning ${SESSION_COLUMNS}
)`;

/** The oauth identity observation of the user stays current (the identity report reads it). */
const IDENTITY_OBSERVATION = `observed as (
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
)`;

/** The success entry of the audit log, with the session, its state and the sessions it replaced. */
const AUDIT_ENTRY = `audited as (
  insert into audit_log (request_id, actor, action, target, outcome, details)
  select i.request_id, i.actor, :action, 'user:' || n.user_id, 'success',
         i.details::jsonb || jsonb_build_object(
           'session_id', n.id, 'mam_state', n.mam_state,
           'replaced_sessions', coalesce((select jsonb_agg(e.id) from ended_on_device e where e.ord = i.ord), '[]'::jsonb))
    from new_session n join input i on i.session_id = n.id
   order by i.ord
)`;

/**
 * The answer, one row per sign-in: what was written; or, for a sign-in that opened nothing, the facts the account
 * rules (login/sign-in-rules.ts) decide from — the accounts holding the objectId (any, at most two) and the account
 * owning the token's email — so the caller says why without reading them again. The subqueries of a CASE run only
 * for the rows that reach them: a sign-in that opened its session pays nothing for them.
 */
const ANSWER = `select i.ord, to_jsonb(n) as session,
       case when n.id is not null then to_jsonb(a) - 'ord' - 'signin_device_id' end as account,
       coalesce((select array_agg(e.id) from ended_on_device e where e.ord = i.ord), '{}') as replaced_ids,
       case when n.id is null then
         (select coalesce(jsonb_agg(to_jsonb(h) order by h.id), '[]'::jsonb) from (${holdersOf('x', 'i')}) h)
       end as holders,
       case when n.id is null and i.email is not null then
         (select to_jsonb(m) from (select ${userColumns('y')} from users y where lower(y.email) = i.email limit 1) m)
       end as email_owner,
       (select count(*) from notified) as notified
  from input i left join account a on a.ord = i.ord left join new_session n on n.id = i.session_id
 order by i.ord`;

export const SIGN_IN_STATEMENT = prepareStatement<SignInParams>(
  'mamgate_sign_in_v5',
  `with ${[INPUT, ACCOUNT_THAT_MAY_SIGN_IN, ENDED_ON_DEVICE, CHANGE_RECORDS, NEW_SESSION, IDENTITY_OBSERVATION, AUDIT_ENTRY].join(',\n')}\n${ANSWER}`,
);
