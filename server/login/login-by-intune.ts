// POST /oauth/intune, decided in this order: configured → licensed → token → account → session.
import { AppError } from '../errors/app-error.ts';
import { audit } from '../audit/audit.ts';
import type { UserRow } from '../db/stores/user-store.ts';
import { identityStore } from '../db/stores/identity-store.ts';
import { qualifiesForIntune } from '../license/model.ts';
import type { Actor, ServiceContext } from '../runtime/context.ts';
import { isIntuneConfigured } from '../settings/rules.ts';
import { type OpenedSession, openSession } from '../sessions/open-session.ts';
import { enrollmentStore } from '../db/stores/enrollment-store.ts';
import type { PolicyCache } from '../enrollment/policy-cache.ts';
import type { TokenVerifier } from '../token/verifier.ts';
import type { LoginRateLimit } from './login-rate-limit.ts';
import type { LoginRequest } from './login-request.ts';
import { matchUser } from './match-user.ts';

export interface LoginDependencies {
  verifier: Pick<TokenVerifier, 'verify'>;
  /** The node's settings and license, kept current by the change feed. */
  config: Pick<PolicyCache, 'get'>;
  rateLimit: LoginRateLimit;
  mobileSessionLifetimeMs: number;
}

export interface LoginResult extends OpenedSession {
  user: UserRow;
  userCreated: boolean;
}

function refuseLockedAccounts(user: UserRow): void {
  if (user.is_bot) throw new AppError('api.user.login_by_intune.bot_login_forbidden.app_error');
  if (user.deleted_at) throw new AppError('api.user.login_by_intune.account_locked.app_error');
}

export async function loginByIntune(
  ctx: ServiceContext,
  deps: LoginDependencies,
  request: LoginRequest,
  actor: Actor & { clientIp: string },
): Promise<LoginResult> {
  const now = Date.now();
  deps.rateLimit.checkAddress(actor.clientIp, now);
  try {
    const { settings, license } = await deps.config.get(now);
    if (!isIntuneConfigured(settings)) throw new AppError('ent.intune.login.not_configured.app_error');
    deps.rateLimit.checkTenant(settings.IntuneSettings.TenantId, now);
    if (!qualifiesForIntune(license, now)) throw new AppError('ent.intune.login.not_licensed.app_error');
    const token = await deps.verifier.verify(request.access_token, settings);
    const { user, created } = await matchUser(ctx.db, settings, token);
    refuseLockedAccounts(user);
    const opened = await ctx.db.transaction(async (trx) => {
      // An enrollment of this user on this device (made through another server or session) is reused.
      const enrolledOnDevice =
        request.device_id &&
        (await enrollmentStore.stateFor(trx, { tenant_id: token.tid, object_id: token.oid, device_id: request.device_id })) ===
          'enrolled';
      await identityStore.record(trx, {
        user_id: user.id,
        source: 'oauth',
        tenant_id: token.tid,
        object_id: token.oid,
        raw_value: token.oid,
        attribute: 'oid',
      });
      const session = await openSession(
        trx,
        {
          userId: user.id,
          authService: user.auth_service,
          isMobile: true,
          deviceId: request.device_id || undefined,
          voipDeviceId: request.voip_device_id || undefined,
          tenantId: token.tid,
          objectId: token.oid,
          mamState: enrolledOnDevice ? 'enrolled' : 'pending',
          lifetimeMs: deps.mobileSessionLifetimeMs,
        },
        now,
      );
      await audit(trx, actor, {
        action: 'login.intune',
        target: `user:${user.id}`,
        outcome: 'success',
        details: {
          session_id: session.session.id,
          mam_state: session.session.mam_state,
          user_created: created,
          replaced_sessions: session.replaced,
          token_version: token.version,
          client_id: token.clientId,
        },
      });
      return session;
    });
    // Only ended sessions concern this node's caches (a new token was never cached): then wait for the feed.
    if (opened.replaced.length > 0) await ctx.changes.catchUp();
    return { ...opened, user, userCreated: created };
  } catch (error) {
    // Rate-limit refusals are not written: a flood must not become a flood of writes.
    if (error instanceof AppError && error.id !== 'mamgate.login.rate_limited.app_error') {
      await audit(ctx.db, actor, {
        action: 'login.intune',
        outcome: 'refused',
        details: { error_id: error.id, reason: error.detailed || error.message },
      }).catch(() => undefined);
    }
    throw error;
  }
}
